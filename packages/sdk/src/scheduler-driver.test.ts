import { expect } from 'chai';
import { ManualLeaderDetector } from '@tepui/coordination';
import { ManualClock, type MasterInfo, type Offer, type SchedulerEvent, type TaskStatus } from '@tepui/protocol';
import { SchedulerCallError } from './errors';
import { SchedulerDriver, type SchedulerDriverOptions, type SchedulerHandlers } from './scheduler-driver';
import { FakeMaster, eventually, type FakeMasterOptions } from './test-support/fake-master';

const FAST_RECONNECT = { initialMs: 5, maxMs: 20 };
const UUID_A = Buffer.alloc(16, 0xa1).toString('base64');
const UUID_B = Buffer.alloc(16, 0xb2).toString('base64');

function offer(id: string): Offer {
  return {
    id: { value: id }, framework_id: { value: 'fw-1' }, agent_id: { value: 'agent-1' }, hostname: 'a1.example',
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, allocation_info: { role: '*' } }],
  };
}

function update(taskId: string, state: TaskStatus['state'], uuid?: string): SchedulerEvent {
  const status: TaskStatus = { task_id: { value: taskId }, state, agent_id: { value: 'agent-1' }, timestamp: 1 };
  if (uuid) status.uuid = uuid;
  return { type: 'UPDATE', update: { status } };
}

/** Records what the handlers saw. */
class Seen {
  offers: Offer[] = [];
  updates: TaskStatus[] = [];
  heartbeats = 0;
  errors: string[] = [];
  disconnects: string[] = [];
  subscribed: boolean[] = [];

  handlers(): SchedulerHandlers {
    return {
      onSubscribed: (info) => void this.subscribed.push(info.resubscribed),
      onOffers: (offers) => void this.offers.push(...offers),
      onUpdate: (status) => void this.updates.push(status),
      onHeartbeat: () => void this.heartbeats++,
      onError: (message) => void this.errors.push(message),
      onDisconnected: (reason) => void this.disconnects.push(reason),
    };
  }
}

const infoOf = (id: string, port: number): MasterInfo => ({ id, ip: 0, port, address: { ip: '127.0.0.1', port } });


describe('SchedulerDriver against a fake master', () => {
  const masters: FakeMaster[] = [];
  const drivers: SchedulerDriver[] = [];

  async function fakeMaster(options: FakeMasterOptions = {}): Promise<FakeMaster> {
    const m = await FakeMaster.start(options);
    masters.push(m);
    return m;
  }

  function driver(options: Partial<SchedulerDriverOptions>): SchedulerDriver {
    const d = new SchedulerDriver({ frameworkInfo: { user: 'root', name: 'test' }, reconnectBackoff: FAST_RECONNECT, ...options });
    drivers.push(d);
    return d;
  }

  afterEach(async () => {
    await Promise.all(drivers.splice(0).map((d) => d.stop()));
    await Promise.all(masters.splice(0).map((m) => m.close()));
  });

  it('subscribes with JSON headers and no stream id, and learns its framework id', async () => {
    const master = await fakeMaster({ frameworkId: 'fw-42' });
    const d = driver({ master: master.url });
    const info = await d.start();
    expect(info).to.include({ frameworkId: 'fw-42', heartbeatIntervalSeconds: 15, resubscribed: false });
    expect(d.frameworkId).to.equal('fw-42');
    const { headers, call } = master.subscribes[0]!;
    expect(headers['content-type']).to.equal('application/json');
    expect(headers.accept).to.equal('application/json');
    expect(headers['mesos-stream-id']).to.equal(undefined);
    expect(call.subscribe?.framework_info).to.deep.include({ user: 'root', name: 'test' });
    expect(call.framework_id).to.equal(undefined);
    expect(d.streamId).to.equal(master.streamId);
  });

  for (const split of [[1], [3], [7, 1, 2], [64]]) {
    it(`delivers typed events when records are re-chunked at ${split.join('/')}-byte boundaries`, async () => {
      const master = await fakeMaster();
      const seen = new Seen();
      const d = driver({ master: master.url, handlers: seen.handlers(), autoAcknowledge: false });
      await d.start();
      master.send([
        { type: 'OFFERS', offers: { offers: [offer('o-1'), offer('o-2')] } },
        { type: 'HEARTBEAT' },
        update('t-1', 'TASK_RUNNING'),
        { type: 'OFFERS', offers: { offers: [offer('o-3')] } },
        { type: 'INVERSE_OFFERS', inverse_offers: { inverse_offers: [] } },
        update('t-ü', 'TASK_FINISHED'),
      ], split);
      await eventually(() => seen.updates.length === 2, 5000, 'both updates');
      expect(seen.offers.map((o) => o.id.value)).to.deep.equal(['o-1', 'o-2', 'o-3']);
      expect(seen.offers[0]!.resources[0]!.scalar?.value).to.equal(2);
      expect(seen.updates.map((s) => [s.task_id.value, s.state])).to.deep.equal([['t-1', 'TASK_RUNNING'], ['t-ü', 'TASK_FINISHED']]);
      expect(seen.heartbeats).to.equal(1);
    });
  }

  it('acknowledges updates that carry a uuid, with that exact uuid, and never those without one', async () => {
    const master = await fakeMaster();
    const seen = new Seen();
    const d = driver({ master: master.url, handlers: seen.handlers() });
    await d.start();
    master.send([update('t-1', 'TASK_RUNNING', UUID_A), update('t-2', 'TASK_LOST'), update('t-3', 'TASK_FINISHED', UUID_B)]);
    await eventually(() => master.callsOfType('ACKNOWLEDGE').length >= 2, 5000, 'two acknowledgements');
    // One more round trip, so an ack for the uuid-less update, had it been sent, would be here too.
    await d.reconcile([]);
    const acks = master.callsOfType('ACKNOWLEDGE').map((c) => c.acknowledge);
    expect(acks).to.have.deep.members([
      { agent_id: { value: 'agent-1' }, task_id: { value: 't-1' }, uuid: UUID_A },
      { agent_id: { value: 'agent-1' }, task_id: { value: 't-3' }, uuid: UUID_B },
    ]);
    expect(acks).to.have.length(2);
    expect(master.callsOfType('ACKNOWLEDGE')[0]!.framework_id).to.deep.equal({ value: d.frameworkId });
  });

  it('acknowledges only after an async onUpdate resolved, and not when it threw', async () => {
    const master = await fakeMaster();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const d = driver({
      master: master.url,
      handlers: {
        onUpdate: async (status) => {
          if (status.task_id.value === 'bad') throw new Error('handler failed');
          await gate;
        },
      },
    });
    await d.start();
    master.send([update('bad', 'TASK_RUNNING', UUID_B), update('slow', 'TASK_RUNNING', UUID_A)]);
    await d.reconcile([]);
    expect(master.callsOfType('ACKNOWLEDGE')).to.have.length(0);
    release();
    await eventually(() => master.callsOfType('ACKNOWLEDGE').length === 1, 5000, 'the ack');
    await d.reconcile([]);
    expect(master.callsOfType('ACKNOWLEDGE').map((c) => c.acknowledge?.uuid)).to.deep.equal([UUID_A]);
  });

  it('sends the Mesos-Stream-Id and framework id on every call, and builds the wire bodies', async () => {
    const master = await fakeMaster({ frameworkId: 'fw-7' });
    const d = driver({ master: master.url });
    await d.start();
    await d.launch(['o-1'], [{ name: 't', task_id: { value: 't-1' }, agent_id: { value: 'a-1' }, command: { value: 'true' } }], { refuse_seconds: 1 });
    await d.decline([{ value: 'o-2' }]);
    await d.kill('t-1', 'a-1');
    await d.suppress();
    await d.revive(['web']);
    await d.message('a-1', 'e-1', 'hi');
    await d.updateFramework({ user: 'root', name: 'renamed' });
    for (const { headers, call } of master.calls) {
      expect(headers['mesos-stream-id'], call.type).to.equal(master.streamId);
      expect(call.framework_id, call.type).to.deep.equal({ value: 'fw-7' });
    }
    const [accept] = master.callsOfType('ACCEPT');
    expect(accept!.accept).to.deep.equal({
      offer_ids: [{ value: 'o-1' }],
      operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't-1' }, agent_id: { value: 'a-1' }, command: { value: 'true' } }] } }],
      filters: { refuse_seconds: 1 },
    });
    expect(master.callsOfType('DECLINE')[0]!.decline).to.deep.equal({ offer_ids: [{ value: 'o-2' }] });
    expect(master.callsOfType('KILL')[0]!.kill).to.deep.equal({ task_id: { value: 't-1' }, agent_id: { value: 'a-1' } });
    expect(master.callsOfType('MESSAGE')[0]!.message?.data).to.equal(Buffer.from('hi').toString('base64'));
    expect(master.callsOfType('UPDATE_FRAMEWORK')[0]!.update_framework?.framework_info).to.deep.equal({ user: 'root', name: 'renamed', id: { value: 'fw-7' } });
    expect(d.suppressedRoles).to.deep.equal(['*']);
  });

  it('rejects a call the master refuses with a typed error carrying status and body', async () => {
    const master = await fakeMaster();
    const d = driver({ master: master.url });
    await d.start();
    master.callStatus = { status: 403, body: 'Framework is not subscribed' };
    const err = await d.decline(['o-1']).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(SchedulerCallError);
    expect(err).to.include({ code: 'SCHEDULER_CALL_FAILED', callType: 'DECLINE', status: 403, body: 'Framework is not subscribed' });
  });

  it('follows a 307 whose Location has no scheme to the leader, and sends calls there', async () => {
    const leader = await fakeMaster({ frameworkId: 'fw-L' });
    const standby = await fakeMaster({ redirectTo: `//127.0.0.1:${leader.port}/api/v1/scheduler` });
    const d = driver({ master: standby.url });
    const info = await d.start();
    expect(info.frameworkId).to.equal('fw-L');
    expect(standby.subscribes).to.have.length(1);
    await d.revive();
    expect(leader.callsOfType('REVIVE')).to.have.length(1);
    expect(standby.calls).to.have.length(0);
  });

  it('tries the next master when one refuses connections or answers 503', async () => {
    const dead = await fakeMaster();
    const deadUrl = dead.url;
    await dead.close();
    masters.splice(masters.indexOf(dead), 1);
    const leaderless = await fakeMaster({ refuseWith: 503 });
    const good = await fakeMaster({ frameworkId: 'fw-ok' });
    const d = driver({ master: [deadUrl, leaderless.url, good.url] });
    expect((await d.start()).frameworkId).to.equal('fw-ok');
    expect(leaderless.subscribes).to.have.length(1);
  });

  it('subscribes to the leader a detector names, and re-subscribes at once to each new one', async () => {
    const [first, second] = [await fakeMaster({ frameworkId: 'fw-ha' }), await fakeMaster({ frameworkId: 'fw-ha' })];
    const detector = new ManualLeaderDetector<MasterInfo>((a, b) => a.id === b.id);
    const seen = new Seen();
    const d = driver({ detector, handlers: seen.handlers() });
    const started = d.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(first.subscribes, 'nothing is tried before a leader is known').to.have.length(0);
    detector.set(infoOf('m1', first.port));
    expect((await started).frameworkId).to.equal('fw-ha');
    detector.set(infoOf('m2', second.port));
    await eventually(() => seen.subscribed.length === 2, 5000, 'SUBSCRIBED from the new leader');
    expect(second.subscribes[0]!.call.framework_id).to.deep.equal({ value: 'fw-ha' });
    await d.decline(['o-1']);
    expect(second.calls.at(-1)!.call.type, 'calls go to the new leader').to.equal('DECLINE');
    expect(first.calls.filter((c) => c.call.type === 'DECLINE')).to.have.length(0);
  });

  it('re-subscribes with its framework id after the master drops the stream', async () => {
    const master = await fakeMaster({ frameworkId: 'fw-9' });
    const seen = new Seen();
    const d = driver({ master: master.url, handlers: seen.handlers() });
    await d.start();
    await d.suppress();
    master.dropStream();
    await eventually(() => seen.subscribed.length === 2, 5000, 'a second SUBSCRIBED');
    expect(seen.subscribed).to.deep.equal([false, true]);
    expect(seen.disconnects).to.have.length(1);
    const again = master.subscribes[1]!.call;
    expect(again.framework_id).to.deep.equal({ value: 'fw-9' });
    expect(again.subscribe?.framework_info.id).to.deep.equal({ value: 'fw-9' });
    expect(again.subscribe?.suppressed_roles).to.deep.equal(['*']);
    await d.decline(['o-1']);
    expect(master.calls.at(-1)!.headers['mesos-stream-id']).to.equal('stream-2');
  });

  it('re-subscribes when a call is rejected for a stale stream id', async () => {
    const master = await fakeMaster();
    const d = driver({ master: master.url });
    await d.start();
    master.forgetStreamId();
    const err = await d.decline(['o-1']).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(SchedulerCallError).and.to.include({ status: 400 });
    await eventually(() => master.subscribes.length === 2 && d.connected, 5000, 're-subscription');
    await d.decline(['o-1']);
  });

  it('re-subscribes after an ERROR, but stops for good once the framework has been removed', async () => {
    const master = await fakeMaster();
    const seen = new Seen();
    const d = driver({ master: master.url, handlers: seen.handlers() });
    await d.start();
    master.send([{ type: 'ERROR', error: { message: 'Framework failed over' } }]);
    await eventually(() => seen.subscribed.length === 2, 5000, 're-subscription after ERROR');
    master.send([{ type: 'ERROR', error: { message: 'Framework has been removed' } }]);
    const reason = await d.done;
    expect(reason.kind).to.equal('removed');
    expect(seen.errors).to.deep.equal(['Framework failed over', 'Framework has been removed']);
    expect(d.connected).to.equal(false);
    await eventually(() => !master.streaming, 5000, 'stream closed by the driver');
    expect(master.subscribes).to.have.length(2);
  });

  it('reconnects when no event arrives within the heartbeat timeout; any event resets the watchdog', async () => {
    const clock = new ManualClock();
    const master = await fakeMaster();
    const seen = new Seen();
    const d = driver({ master: master.url, handlers: seen.handlers(), clock, heartbeatTimeoutMs: 1000, reconnectBackoff: { initialMs: 10, maxMs: 10 } });
    await d.start();
    clock.advance(900);
    master.send([{ type: 'HEARTBEAT' }]);
    await eventually(() => seen.heartbeats === 1, 5000, 'heartbeat');
    clock.advance(900);
    expect(seen.disconnects).to.deep.equal([]);
    clock.advance(200);
    expect(seen.disconnects).to.have.length(1);
    expect(seen.disconnects[0]).to.match(/no event from the master for 1000 ms/);
    clock.advance(10);
    await eventually(() => seen.subscribed.length === 2, 5000, 're-subscription');
    expect(master.subscribes[1]!.call.framework_id).to.deep.equal({ value: d.frameworkId });
  });

  it('defaults the heartbeat timeout to five heartbeat intervals from SUBSCRIBED', async () => {
    const clock = new ManualClock();
    const master = await fakeMaster({ heartbeatIntervalSeconds: 2 });
    const seen = new Seen();
    const d = driver({ master: master.url, handlers: seen.handlers(), clock });
    await d.start();
    clock.advance(9_999);
    expect(seen.disconnects).to.have.length(0);
    clock.advance(1);
    expect(seen.disconnects).to.have.length(1);
  });

  it('rejects start() and calls once stopped', async () => {
    const master = await fakeMaster({ autoSubscribed: false });
    const d = driver({ master: master.url });
    const started = d.start();
    await eventually(() => master.streaming, 5000, 'stream open');
    await d.stop();
    const err = await started.then(() => undefined, (e: unknown) => e);
    expect(err).to.include({ code: 'DRIVER_STOPPED' });
    expect(await d.done).to.deep.equal({ kind: 'stopped' });
    const callErr = await d.revive().then(() => undefined, (e: unknown) => e);
    expect(callErr).to.include({ code: 'NOT_SUBSCRIBED' });
  });

  it('teardown sends TEARDOWN and stops without reporting an error', async () => {
    const master = await fakeMaster();
    const seen = new Seen();
    const d = driver({ master: master.url, handlers: seen.handlers() });
    await d.start();
    await d.teardown();
    expect(master.callsOfType('TEARDOWN')).to.have.length(1);
    expect(await d.done).to.deep.equal({ kind: 'torn-down' });
    expect(seen.errors).to.deep.equal([]);
  });
});
