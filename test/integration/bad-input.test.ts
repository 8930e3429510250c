// Bad input to the master's and agent's APIs gets the answer real Mesos gives (reference §1.1,
// §1.4, §4, §5), never a 5xx, and both processes keep running with the master's state unchanged.
import { expect } from 'chai';
import { MAX_REQUEST_BODY_BYTES, hostileBodies, newStatusUuid, type HostileBody } from '@tepui/protocol';
import { TestCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { RawScheduler, post, type Json } from '../support/raw-scheduler';

/** POSTs bytes as they are (a string body would be re-encoded). */
async function postRaw(target: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(target, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
  return { status: res.status, body: await res.text() };
}

describe('scheduler API bad input', function () {
  this.timeout(60_000);
  const cluster = new TestCluster({ agents: 1 });
  let a: RawScheduler;
  let b: RawScheduler;
  let url: string;

  const frameworkInfo = (name: string): Json => ({ user: 'root', name, capabilities: [{ type: 'PARTITION_AWARE' }] });

  before(async () => {
    await cluster.start();
    url = `${cluster.masterUrl}/api/v1/scheduler`;
    a = new RawScheduler(cluster.masterUrl);
    b = new RawScheduler(cluster.masterUrl);
    await a.subscribe(frameworkInfo('bad-input-a'));
    await b.subscribe(frameworkInfo('bad-input-b'));
    await a.next((e) => e.type === 'SUBSCRIBED', 'a not subscribed');
    await b.next((e) => e.type === 'SUBSCRIBED', 'b not subscribed');
    // b only serves as "another framework"; it must not sit on the agent's offers.
    expect((await b.call({ type: 'SUPPRESS', suppress: {} })).status).to.equal(202);
    for (const e of b.all((x) => x.type === 'OFFERS')) await b.call({ type: 'DECLINE', decline: { offer_ids: e.offers.offers.map((o: Json) => o.id), filters: { refuse_seconds: 3600 } } });
  });
  after(async () => {
    a?.disconnect();
    b?.disconnect();
    await cluster.stop();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(cluster.logs());
  });

  const rows: Array<{ name: string; body: () => string; headers?: () => Record<string, string>; status: number; message: RegExp }> = [
    { name: 'malformed JSON', body: () => '{"type": "SUBSCRIBE",', status: 400, message: /Failed to parse body into JSON/ },
    { name: 'a JSON array instead of an object', body: () => '[]', status: 400, message: /Expecting a JSON object/ },
    { name: 'an unknown call type', body: () => JSON.stringify({ type: 'LAUNCH_ROCKETS', framework_id: { value: a.frameworkId } }), headers: () => ({ 'Mesos-Stream-Id': a.streamId! }), status: 400, message: /Failed to validate scheduler::Call: Expecting 'type' to be present/ },
    { name: 'a Content-Type with a charset suffix', body: () => JSON.stringify({ type: 'REVIVE' }), headers: () => ({ 'Content-Type': 'application/json; charset=utf-8' }), status: 415, message: /Content-Type/ },
    { name: 'a text/plain body', body: () => 'hello', headers: () => ({ 'Content-Type': 'text/plain' }), status: 415, message: /Content-Type/ },
    { name: 'a SUBSCRIBE missing framework_info.user', body: () => JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'x' } } }), status: 400, message: /Missing required fields: subscribe\.framework_info\.user/ },
    { name: 'a SUBSCRIBE carrying a Mesos-Stream-Id', body: () => JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo('x') } }), headers: () => ({ 'Mesos-Stream-Id': a.streamId! }), status: 400, message: /should not include the 'Mesos-Stream-Id' header/ },
    { name: 'a call without framework_id', body: () => JSON.stringify({ type: 'REVIVE' }), headers: () => ({ 'Mesos-Stream-Id': a.streamId! }), status: 400, message: /Expecting 'framework_id' to be present/ },
    { name: 'a call without Mesos-Stream-Id', body: () => JSON.stringify({ type: 'REVIVE', framework_id: { value: a.frameworkId } }), status: 400, message: /should include the 'Mesos-Stream-Id' header/ },
    { name: 'a call with a wrong Mesos-Stream-Id', body: () => JSON.stringify({ type: 'REVIVE', framework_id: { value: a.frameworkId } }), headers: () => ({ 'Mesos-Stream-Id': 'not-the-stream' }), status: 400, message: /didn't match the stream ID/ },
    { name: "a call for another framework's id", body: () => JSON.stringify({ type: 'TEARDOWN', framework_id: { value: b.frameworkId } }), headers: () => ({ 'Mesos-Stream-Id': a.streamId! }), status: 400, message: /didn't match the stream ID currently associated with framework ID/ },
    { name: 'a call for an unknown framework', body: () => JSON.stringify({ type: 'REVIVE', framework_id: { value: 'nope-0000' } }), headers: () => ({ 'Mesos-Stream-Id': a.streamId! }), status: 400, message: /Framework cannot be found/ },
    { name: 'an ACCEPT without its accept member', body: () => JSON.stringify({ type: 'ACCEPT', framework_id: { value: a.frameworkId } }), headers: () => ({ 'Mesos-Stream-Id': a.streamId! }), status: 400, message: /Expecting 'accept' to be present/ },
    { name: 'a KILL with a task_id of the wrong type', body: () => JSON.stringify({ type: 'KILL', framework_id: { value: a.frameworkId }, kill: { task_id: 'x' } }), headers: () => ({ 'Mesos-Stream-Id': a.streamId! }), status: 400, message: /Not expecting a JSON string for field 'task_id'/ },
    { name: '5,000 nested objects (once a 500)', body: () => `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, status: 400, message: /^Failed to parse body into JSON: syntax error at line 1 near: / },
    { name: 'a number where a string goes', body: () => JSON.stringify({ type: 'REVIVE', framework_id: { value: 42 } }), headers: () => ({ 'Mesos-Stream-Id': a.streamId! }), status: 400, message: /^Failed to convert JSON into Call protobuf: Not expecting a JSON number for field 'value'$/ },
  ];

  for (const row of rows) {
    it(`answers ${row.status} to ${row.name}`, async () => {
      const before = await cluster.state();
      const res = await post(url, row.body(), row.headers?.() ?? {});
      expect(res.status, res.body).to.equal(row.status);
      expect(res.body).to.match(row.message);
      const after = await cluster.state();
      expect(after.frameworks.map((f) => [f.id, f.active, f.tasks.length])).to.deep.equal(
        before.frameworks.map((f) => [f.id, f.active, f.tasks.length]),
      );
    });
  }

  /** POSTs every body; reports each answer that is a 5xx, or a 4xx without a message. */
  async function fiveHundreds(target: string, bodies: readonly HostileBody[], headers: Record<string, string> = {}): Promise<string[]> {
    const failures: string[] = [];
    for (const { name, body } of bodies) {
      const res = await postRaw(target, body, headers);
      if (res.status >= 500 || (res.status >= 400 && res.body.length === 0)) failures.push(`${target} ${name}: ${res.status} ${res.body.slice(0, 200)}`);
    }
    return failures;
  }

  it('answers every hostile body on every body endpoint of the master and the agent with a 4xx, and both stay up', async () => {
    const before = await cluster.state();
    const fw = { value: a.frameworkId };
    const stream = { 'Mesos-Stream-Id': a.streamId! };
    const failures = [
      ...await fiveHundreds(url, hostileBodies({ type: 'RECONCILE', framework_id: fw, reconcile: { tasks: [{ task_id: { value: 'nope' }, agent_id: { value: 'nope' } }] } }), stream),
      ...await fiveHundreds(url, hostileBodies({ type: 'KILL', framework_id: fw, kill: { task_id: { value: 'nope' }, kill_policy: { grace_period: { nanoseconds: 1 } } } }), stream),
      ...await fiveHundreds(`${cluster.masterUrl}/master/api/v1/scheduler`, hostileBodies({ type: 'DECLINE', framework_id: fw, decline: { offer_ids: [{ value: 'nope' }], filters: { refuse_seconds: 1 } } }), stream),
      ...await fiveHundreds(`${cluster.masterUrl}/api/v1`, hostileBodies({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'fuzz', weight: 2 }] } })),
      ...await fiveHundreds(`${cluster.masterUrl}/master/api/v1`, hostileBodies({ type: 'TEARDOWN', teardown: { framework_id: { value: 'nope' } } })),
      ...await fiveHundreds(`${cluster.masterUrl}/master/teardown`, hostileBodies({ frameworkId: 'nope' }), { 'Content-Type': 'application/x-www-form-urlencoded' }),
      ...await fiveHundreds(`http://127.0.0.1:${cluster.agents[0]!.port}/api/v1/executor`, hostileBodies({
        type: 'UPDATE', executor_id: { value: 'nope' }, framework_id: fw,
        update: { status: { task_id: { value: 'nope' }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: newStatusUuid() } },
      })),
    ];
    expect(failures).to.deep.equal([]);
    expect(cluster.master.exited || cluster.agents[0]!.process.exited).to.equal(false);
    expect((await fetch(`http://127.0.0.1:${cluster.agents[0]!.port}/health`)).status).to.equal(200);
    const after = await cluster.state();
    expect(after.slaves.map((x) => [x.id, x.active])).to.deep.equal(before.slaves.map((x) => [x.id, x.active]));
    expect(after.frameworks.map((f) => [f.id, f.active, f.tasks.length])).to.deep.equal(before.frameworks.map((f) => [f.id, f.active, f.tasks.length]));
  });

  it('answers an oversized body 413 on the master and on the agent alike', async () => {
    const huge = Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, 0x20);
    for (const target of [url, `${cluster.masterUrl}/api/v1`, `http://127.0.0.1:${cluster.agents[0]!.port}/api/v1/executor`]) {
      const res = await postRaw(target, huge);
      expect(res.status, target).to.equal(413);
      expect(res.body).to.equal(`Request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes`);
    }
  });

  it('answers 405 to a GET', async () => {
    const res = await fetch(url);
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('POST');
  });

  it('answers 406 to a SUBSCRIBE that only accepts protobuf', async () => {
    const res = await post(url, JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo('x') } }), { Accept: 'application/x-protobuf' });
    expect(res.status).to.equal(406);
  });

  it('sends ERROR on the stream for an unusable FrameworkInfo', async () => {
    const c = new RawScheduler(cluster.masterUrl);
    await c.subscribe({ user: 'root', name: 'bad-roles', roles: ['a'] });
    const error = await c.next((e) => e.type === 'ERROR', 'no ERROR');
    expect(error.error.message).to.match(/MULTI_ROLE/);
    await c.next(() => c.ended, 'stream not closed');
  });

  describe('ACCEPTs that cannot launch', () => {
    let offer: Json;
    const task = (id: string, extra: Json = {}): Json => ({
      name: id, task_id: { value: id }, agent_id: offer.agent_id,
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
      command: { value: 'sleep 100' }, ...extra,
    });
    const launch = (offerIds: Json[], tasks: Json[]) => a.call({
      type: 'ACCEPT', accept: { offer_ids: offerIds, operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }], filters: { refuse_seconds: 0 } },
    });
    const updateFor = (id: string) => a.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === id, `no update for ${id}`);

    const used = new Set<string>();
    const unusedOffer = (): Json | undefined =>
      a.all((e) => e.type === 'OFFERS').flatMap((e) => e.offers.offers as Json[]).find((o) => !used.has(o.id.value));
    const rescinded = (id: string) => a.all((e) => e.type === 'RESCIND').some((e) => e.rescind.offer_id.value === id);

    beforeEach(async () => {
      offer = await eventually(() => {
        const o = unusedOffer();
        return o && !rescinded(o.id.value) ? o : undefined;
      }, { message: 'no unused offer' });
      used.add(offer.id.value);
    });

    it('drops tasks of an unknown offer with REASON_INVALID_OFFERS', async () => {
      used.delete(offer.id.value); // this test does not spend the offer
      const res = await launch([{ value: 'no-such-offer' }], [task('t-unknown-offer')]);
      expect(res.status).to.equal(202);
      const status = (await updateFor('t-unknown-offer')).update.status;
      expect(status).to.include({ state: 'TASK_DROPPED', source: 'SOURCE_MASTER', reason: 'REASON_INVALID_OFFERS' });
      expect(status).to.not.have.property('uuid');
    });

    it('refuses a task that needs more than the offer with TASK_ERROR / REASON_TASK_INVALID', async () => {
      const res = await launch([offer.id], [task('t-too-big', { resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1000 } }] })]);
      expect(res.status).to.equal(202);
      const status = (await updateFor('t-too-big')).update.status;
      expect(status).to.include({ state: 'TASK_ERROR', source: 'SOURCE_MASTER', reason: 'REASON_TASK_INVALID' });
      expect(status.message).to.match(/more resources/);
    });

    it('refuses a task with neither command nor executor', async () => {
      const res = await launch([offer.id], [task('t-malformed', { command: undefined })]);
      expect(res.status).to.equal(202);
      const status = (await updateFor('t-malformed')).update.status;
      expect(status).to.include({ state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID' });
      expect(status.message).to.match(/CommandInfo or ExecutorInfo/);
    });

    it('drops tasks of an offer that was already used', async () => {
      await launch([offer.id], [task('t-first')]);
      await a.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === 't-first', 'first task not launched');
      const res = await launch([offer.id], [task('t-reused')]);
      expect(res.status).to.equal(202);
      const status = (await updateFor('t-reused')).update.status;
      expect(status).to.include({ state: 'TASK_DROPPED', reason: 'REASON_INVALID_OFFERS' });
      const state = await cluster.state();
      const fw = state.frameworks.find((f) => f.id === a.frameworkId)!;
      expect(fw.tasks.map((t) => t.id)).to.include('t-first');
      expect(fw.tasks.map((t) => t.id)).to.not.include('t-reused');
    });
  });
});
