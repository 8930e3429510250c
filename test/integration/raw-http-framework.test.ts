// Acceptance: a framework written with raw HTTP (no SDK) against a real master and a real agent
// running the real command executor. Every message is checked against Mesos v1 JSON shapes.
import { expect } from 'chai';
import { TestCluster } from '../support/cluster';
import { RawScheduler, type Json } from '../support/raw-scheduler';

const B64_UUID = /^[A-Za-z0-9+/]{22}==$/;

function expectId(value: unknown): void {
  expect(value).to.be.an('object');
  expect(Object.keys(value as object)).to.deep.equal(['value']);
  expect((value as Json).value).to.be.a('string').and.not.equal('');
}

function expectNoCamelCase(value: unknown, path = '$'): void {
  if (Array.isArray(value)) value.forEach((v, i) => expectNoCamelCase(v, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      expect(k, `key at ${path}`).to.match(/^[a-z0-9_]+$/);
      expectNoCamelCase(v, `${path}.${k}`);
    }
  }
}

function expectResource(r: Json): void {
  expect(r.name).to.be.a('string');
  expect(['SCALAR', 'RANGES', 'SET']).to.include(r.type);
  if (r.type === 'SCALAR') expect(r.scalar.value).to.be.a('number');
  if (r.type === 'RANGES') for (const range of r.ranges.range) expect(range).to.have.all.keys('begin', 'end');
  expect(r.role).to.equal('*');
  expect(r.allocation_info).to.deep.equal({ role: '*' });
}

describe('raw HTTP framework against a real cluster', function () {
  this.timeout(60_000);
  const cluster = new TestCluster({ agents: 1 });
  let scheduler: RawScheduler;

  before(async () => {
    await cluster.start();
  });
  after(async () => {
    scheduler?.disconnect();
    await cluster.stop();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(cluster.logs());
  });

  it('subscribes, launches a sleep task, sees it RUNNING, acknowledges, kills it and sees TASK_KILLED', async () => {
    scheduler = new RawScheduler(cluster.masterUrl);
    await scheduler.subscribe({
      user: 'root', name: 'raw-http', failover_timeout: 60, checkpoint: true,
      capabilities: [{ type: 'TASK_KILLING_STATE' }],
    });
    expect(scheduler.status).to.equal(200);
    expect(scheduler.contentType).to.equal('application/json');
    expect(scheduler.streamId).to.match(/^[0-9a-f-]{36}$/);

    const subscribed = await scheduler.next((e) => e.type === 'SUBSCRIBED', 'no SUBSCRIBED');
    expect(scheduler.events[0]).to.equal(subscribed);
    expect(Object.keys(subscribed)).to.deep.equal(['type', 'subscribed']);
    expectId(subscribed.subscribed.framework_id);
    expect(subscribed.subscribed.framework_id.value).to.match(/^[0-9a-f-]{36}-\d{4}$/);
    expect(subscribed.subscribed.heartbeat_interval_seconds).to.equal(15);
    const info = subscribed.subscribed.master_info;
    expect(info).to.include.keys('id', 'ip', 'port', 'pid', 'hostname', 'version', 'address');
    expect(info.port).to.equal(cluster.masterPort);
    expect(info.pid).to.equal(`master@127.0.0.1:${cluster.masterPort}`);
    expect(info.ip).to.equal(16777343); // 127.0.0.1 packed as Mesos does
    expect(info.address).to.deep.equal({ hostname: info.hostname, ip: '127.0.0.1', port: cluster.masterPort });

    const offersEvent = await scheduler.next((e) => e.type === 'OFFERS', 'no OFFERS');
    expectNoCamelCase(offersEvent);
    const offer = offersEvent.offers.offers[0] as Json;
    expectId(offer.id);
    expect(offer.id.value).to.match(/-O\d+$/);
    expect(offer.framework_id).to.deep.equal({ value: scheduler.frameworkId });
    expectId(offer.agent_id);
    expect(offer.agent_id.value).to.match(/-S\d+$/);
    expect(offer.hostname).to.be.a('string');
    expect(offer.allocation_info).to.deep.equal({ role: '*' });
    expect(offer.url).to.deep.equal({
      scheme: 'http',
      address: { hostname: offer.hostname, ip: '127.0.0.1', port: cluster.agents[0]!.port },
      path: '/slave(1)',
    });
    offer.resources.forEach(expectResource);
    const names = offer.resources.map((r: Json) => r.name).sort();
    expect(names).to.include.members(['cpus', 'mem', 'disk', 'ports']);
    expect(offer.attributes).to.deep.equal([{ name: 'rack', type: 'TEXT', text: { value: 'r0' } }]);

    const taskId = 'raw-sleep-1';
    const accepted = await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{
          type: 'LAUNCH',
          launch: {
            task_infos: [{
              name: 'sleeper', task_id: { value: taskId }, agent_id: offer.agent_id,
              resources: [
                { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
                { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
              ],
              command: { value: 'sleep 1000' },
            }],
          },
        }],
        filters: { refuse_seconds: 1 },
      },
    });
    expect(accepted.status).to.equal(202);
    expect(accepted.body).to.equal('');

    // The agent holds TASK_RUNNING back until TASK_STARTING is acknowledged.
    const starting = await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_STARTING', 'no TASK_STARTING');
    expect(starting.update.status.uuid).to.match(B64_UUID);
    expect((await scheduler.ack(starting.update.status)).status).to.equal(202);
    const running = await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_RUNNING', 'no TASK_RUNNING');
    expectNoCamelCase(running);
    const status = running.update.status;
    expect(status.task_id).to.deep.equal({ value: taskId });
    expect(status.agent_id).to.deep.equal(offer.agent_id);
    expect(status.source).to.equal('SOURCE_EXECUTOR');
    expect(status.uuid).to.match(B64_UUID);
    expect(Buffer.from(status.uuid, 'base64')).to.have.length(16);
    expect(status.timestamp).to.be.a('number');
    expectId(status.executor_id);

    expect((await scheduler.ack(status)).status).to.equal(202);

    const state = await cluster.state();
    const task = state.frameworks.find((f) => f.id === scheduler.frameworkId)!.tasks.find((t) => t.id === taskId)!;
    expect(task.state).to.equal('TASK_RUNNING');

    const killed = await scheduler.call({ type: 'KILL', kill: { task_id: { value: taskId }, agent_id: offer.agent_id } });
    expect(killed.status).to.equal(202);
    const killing = await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_KILLING', 'no TASK_KILLING');
    expect(killing.update.status.uuid).to.match(B64_UUID);
    await scheduler.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: offer.agent_id, task_id: { value: taskId }, uuid: killing.update.status.uuid } });
    const terminal = await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_KILLED', 'no TASK_KILLED');
    expect(terminal.update.status.uuid).to.match(B64_UUID);
    expect(terminal.update.status.source).to.equal('SOURCE_EXECUTOR');
    const ack = await scheduler.call({
      type: 'ACKNOWLEDGE',
      acknowledge: { agent_id: offer.agent_id, task_id: { value: taskId }, uuid: terminal.update.status.uuid },
    });
    expect(ack.status).to.equal(202);

    const after = await cluster.state();
    const fw = after.frameworks.find((f) => f.id === scheduler.frameworkId)!;
    expect(fw.tasks.map((t) => t.id)).to.not.include(taskId);
    expect(fw.completed_tasks.find((t) => t.id === taskId)?.state).to.equal('TASK_KILLED');
  });

  it('launches a task group on the default executor; killing one task kills the group', async () => {
    // The first test spent the first offer; its unused resources come back after refuse_seconds.
    const firstOffer = scheduler.events.find((e) => e.type === 'OFFERS')!.offers.offers[0].id.value;
    const offersEvent = await scheduler.next((e) => e.type === 'OFFERS' && e.offers.offers[0].id.value !== firstOffer, 'no second offer');
    const offer = offersEvent.offers.offers[0] as Json;
    const resources = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
    ];
    const groupTask = (id: string) => ({ name: id, task_id: { value: id }, agent_id: offer.agent_id, resources, command: { value: `sleep 61${id.slice(-1)}` } });
    const res = await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{
          type: 'LAUNCH_GROUP',
          launch_group: {
            executor: { type: 'DEFAULT', executor_id: { value: 'group-executor' }, resources },
            task_group: { tasks: [groupTask('group-1'), groupTask('group-2')] },
          },
        }],
      },
    });
    expect(res.status).to.equal(202);
    const stateOf = (id: string, state: string) => scheduler.all((e) => e.type === 'UPDATE' && e.update.status.task_id.value === id && e.update.status.state === state);
    for (const id of ['group-1', 'group-2']) {
      await scheduler.next(() => stateOf(id, 'TASK_STARTING').length > 0, `${id} not starting`);
      await scheduler.ack(stateOf(id, 'TASK_STARTING')[0]!.update.status);
    }
    for (const id of ['group-1', 'group-2']) {
      await scheduler.next(() => stateOf(id, 'TASK_RUNNING').length > 0, `${id} not running`);
      const running = stateOf(id, 'TASK_RUNNING')[0]!.update.status;
      expect(running.executor_id).to.deep.equal({ value: 'group-executor' });
      await scheduler.ack(running);
    }
    await scheduler.call({ type: 'KILL', kill: { task_id: { value: 'group-1' } } });
    for (const id of ['group-1', 'group-2']) {
      await scheduler.next(() => stateOf(id, 'TASK_KILLING').length > 0, `${id} not killing`);
      await scheduler.ack(stateOf(id, 'TASK_KILLING')[0]!.update.status);
      await scheduler.next(() => stateOf(id, 'TASK_KILLED').length > 0, `${id} not killed with its group`);
      await scheduler.ack(stateOf(id, 'TASK_KILLED')[0]!.update.status);
    }
  });

  it('delivered only records that are v1 scheduler events', () => {
    const known = ['SUBSCRIBED', 'OFFERS', 'RESCIND', 'UPDATE', 'MESSAGE', 'FAILURE', 'ERROR', 'HEARTBEAT'];
    for (const event of scheduler.events) expect(known).to.include(event.type);
  });
});
