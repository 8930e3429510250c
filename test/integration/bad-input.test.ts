// Bad input to the scheduler API gets the answer real Mesos gives (reference §1.1, §1.4), and the
// master keeps running with its state unchanged.
import { expect } from 'chai';
import { TestCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { RawScheduler, post, type Json } from '../support/raw-scheduler';

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
    { name: 'a KILL with a task_id of the wrong type', body: () => JSON.stringify({ type: 'KILL', framework_id: { value: a.frameworkId }, kill: { task_id: 'x' } }), headers: () => ({ 'Mesos-Stream-Id': a.streamId! }), status: 400, message: /kill\.task_id/ },
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
