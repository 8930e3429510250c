// Two masters in one election: only the elected one serves framework calls and offers; the other
// redirects to it; a master whose candidacy is lost stops at once and the next one takes over.
import { expect } from 'chai';
import pino from 'pino';
import WebSocket from 'ws';
import { MemoryElection } from '@tepui/coordination';
import { AGENT_CHANNEL_PATH, ManualClock, type MasterInfo } from '@tepui/protocol';
import { loadMasterConfig } from '../config';
import { MemoryRegistry, type RegistryState } from '../registry/registry';
import { startMaster, type RunningMaster } from '../app';
import { HELD_FRAMES_LIMIT } from '../agents/agent-channel-server';
import { ScriptedAgent, ScriptedScheduler, operatorCall, until } from '../testing/in-process';

describe('master leadership', () => {
  let clock: ManualClock;
  let pump: NodeJS.Timeout;
  let masters: RunningMaster[];
  let lost: Array<[number, string]>;
  let election: MemoryElection<MasterInfo>;
  let registry: HeldRegistry;
  /** How long a stopping master leaves its agents to move to the successor; a test watching them move raises it. */
  let agentsMoveWaitMs: number;

  beforeEach(async () => {
    clock = new ManualClock();
    pump = setInterval(() => clock.advance(0), 2);
    election = new MemoryElection<MasterInfo>((a, b) => a.id === b.id);
    registry = new HeldRegistry();
    agentsMoveWaitMs = 50;
    lost = [];
    masters = [];
    for (let n = 0; n < 2; n++) {
      const config = loadMasterConfig(['--port=0', '--ip=127.0.0.1', '--allocator_seed=1', `--hostname=m${n}.example`, '--agent_reregister_timeout=30secs']);
      masters.push(await startMaster(config, {
        clock, log: pino({ level: 'silent' }), masterRegistry: registry,
        contender: (self) => election.contender(self), detector: () => election.detector(),
        onLostLeadership: (reason) => lost.push([n, reason]),
        get agentsMoveWaitMs() {
          return agentsMoveWaitMs;
        },
      }));
    }
  });

  afterEach(async () => {
    clearInterval(pump);
    for (const m of masters) await m.stop();
  });

  const [first, second] = [0, 1];

  it('lets only the elected master serve; the standby redirects to it as Mesos does', async () => {
    const leader = masters[first]!;
    const standby = masters[second]!;
    expect(leader.leadership.isLeader()).to.equal(true);
    await until(() => standby.leadership.leader()?.id === leader.master.info.id, 'the standby detecting the leader');
    expect(standby.leadership.isLeader()).to.equal(false);

    const subscribe = await fetch(`${standby.url}/api/v1/scheduler`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}', redirect: 'manual' });
    expect(subscribe.status).to.equal(307);
    expect(subscribe.headers.get('location')).to.equal(`//m0.example:${leader.port}/api/v1/scheduler`);
    const operator = await fetch(`${standby.url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"GET_STATE"}', redirect: 'manual' });
    expect(operator.status).to.equal(307);
    const redirect = await fetch(`${standby.url}/master/redirect`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).to.deep.equal([307, `//m0.example:${leader.port}`]);
    const state = (await (await fetch(`${leader.url}/master/state`)).json()) as Record<string, unknown>;
    expect(state.leader).to.equal(leader.master.info.pid);
    expect(state.elected_time).to.be.a('number');
    expect(state.leader_info).to.include({ id: leader.master.info.id, hostname: 'm0.example', port: leader.port });
    const metrics = async (m: RunningMaster) => ((await (await fetch(`${m.url}/metrics/snapshot`)).json()) as Record<string, number>)['master/elected'];
    expect([await metrics(leader), await metrics(standby)]).to.deep.equal([1, 0]);
    // The standby admits no agent: its channel is not there.
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(standby.url.replace('http', 'ws') + AGENT_CHANNEL_PATH);
      ws.on('open', () => resolve('open'));
      ws.on('error', (err) => resolve(err.message));
    });
    expect(refused).to.equal('Unexpected server response: 404');
  });

  it('stops a master whose candidacy is lost at once, and the next one leads', async () => {
    const [old, next] = [masters[first]!, masters[second]!];
    const agent = new ScriptedAgent();
    await agent.connect(old.url);
    const scheduler = new ScriptedScheduler(old.url);
    await scheduler.subscribe({ user: 'u', name: 'fw' });
    await until(() => scheduler.find((e) => e.offers), 'an offer from the leader');

    election.expire(old.master.info);
    await until(() => lost.length > 0, 'the lost hook');
    expect(lost).to.deep.equal([[first, 'session expired']]);
    expect(old.leadership.isLeader()).to.equal(false);
    expect(old.master.allocation.running, 'no more allocation on the deposed master').to.equal(false);
    await until(() => next.leadership.isLeader(), 'the next master elected');
    const call = await fetch(`${old.url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"GET_STATE"}', redirect: 'manual' });
    expect([call.status, call.headers.get('location')], 'the deposed master sends callers to the new leader').to.deep.equal([307, `//m1.example:${next.port}/api/v1`]);
    const resubscribed = new ScriptedScheduler(next.url);
    await resubscribe(resubscribed, scheduler.frameworkId!);
    const again = new ScriptedAgent();
    await again.connect(next.url);
    await until(() => resubscribed.find((e) => e.offers), 'offers from the new leader');
    agent.close();
    again.close();
    scheduler.disconnect();
    resubscribed.disconnect();
  });

  it('hands the registry to the next leader: weights, and the agents to wait for; one that never comes back is unreachable after --agent_reregister_timeout', async () => {
    const [old, next] = [masters[first]!, masters[second]!];
    const [back, away] = [new ScriptedAgent(), new ScriptedAgent()];
    await back.connect(old.url, 'slave(1)@127.0.0.1:15051');
    await away.connect(old.url, 'slave(1)@127.0.0.1:15052');
    expect((await operatorCall(old.url, { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'prod', weight: 3 }] } })).status).to.equal(200);
    await old.master.registrar.flushed();

    election.expire(old.master.info);
    await until(() => next.leadership.isLeader() && next.master.electedTime !== undefined, 'the next master elected, registry read');
    const state = (await (await fetch(`${next.url}/master/state`)).json()) as { recovered_slaves: Array<{ id: string }> };
    expect(state.recovered_slaves.map((a) => a.id).sort()).to.deep.equal([back.agentId!, away.agentId!].sort());
    const agents = await operatorCall(next.url, { type: 'GET_AGENTS' });
    expect((agents.json?.get_agents.recovered_agents as Array<{ id: { value: string } }>).map((a) => a.id.value).sort()).to.deep.equal([back.agentId!, away.agentId!].sort());
    const weights = await operatorCall(next.url, { type: 'GET_WEIGHTS' });
    expect(weights.json?.get_weights.weight_infos).to.deep.include({ role: 'prod', weight: 3 });

    // A deposed master's registry writes are refused: the new leader's registry stands.
    old.master.registrar.record({ type: 'UPDATE_WEIGHTS', weights: { prod: 1 } });
    await old.master.registrar.flushed();
    expect((await registry.load()).weights).to.deep.equal({ prod: 3 });

    // One agent comes back within the timeout and keeps its id; the other never does.
    const returning = new ScriptedAgent();
    await returning.reregister(next.url, back.agentId!, 'slave(1)@127.0.0.1:15051');
    const scheduler = new ScriptedScheduler(next.url);
    await scheduler.subscribe({ user: 'u', name: 'fw', capabilities: [{ type: 'PARTITION_AWARE' }] });
    await until(() => scheduler.frameworkId, 'subscribed');
    const reconcile = () => scheduler.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 't-away' }, agent_id: { value: away.agentId } }] } });
    expect(await reconcile()).to.equal(202);
    const updates = () => scheduler.all((e) => e.update?.status).filter((s) => s.task_id.value === 't-away');
    await new Promise((r) => setTimeout(r, 50));
    expect(updates(), 'withheld while the agent may still re-register').to.deep.equal([]);
    clock.advance(30_000);
    await until(() => next.master.unreachableAgents.has(away.agentId!), 'the silent agent marked unreachable');
    expect(next.master.agents.has(back.agentId!), 'the returning agent kept its id').to.equal(true);
    expect((await registry.load()).unreachable.map((a) => a.id)).to.deep.equal([away.agentId!]);
    expect(await reconcile()).to.equal(202);
    await until(() => updates().length > 0, 'the reconciliation answer');
    expect(updates()[0]!.state).to.equal('TASK_UNREACHABLE');
    for (const a of [back, away, returning]) a.close();
    scheduler.disconnect();
  });

  it('holds an agent that re-registers before the registry is read: a gone agent is shut down, not let back in', async () => {
    const [old, next] = [masters[first]!, masters[second]!];
    const gone = new ScriptedAgent();
    await gone.connect(old.url, 'slave(1)@127.0.0.1:15053');
    expect((await operatorCall(old.url, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: gone.agentId } } })).status).to.equal(200);
    await old.master.registrar.flushed();
    gone.close();

    let readRegistry!: () => void;
    registry.hold = new Promise((resolve) => (readRegistry = resolve));
    election.expire(old.master.info);
    await until(() => next.leadership.isLeader(), 'the next master elected');
    const returning = new ScriptedAgent();
    await returning.sendReregistration(next.url, gone.agentId!, 'slave(1)@127.0.0.1:15053');
    await new Promise((r) => setTimeout(r, 50));
    expect(returning.received, 'nothing answered while the registry is unread').to.deep.equal([]);
    expect(next.master.agents.size).to.equal(0);
    readRegistry();
    await until(() => returning.received.length > 0, 'the answer once the registry is read');
    expect(returning.received[0]).to.deep.include({ type: 'SHUTDOWN_AGENT' });
    expect(next.master.agents.has(gone.agentId!)).to.equal(false);
    returning.close();
  });

  it('asks a channel that floods a recovering master to come back later (1013) instead of holding without bound', async () => {
    const [old, next] = [masters[first]!, masters[second]!];
    let readRegistry!: () => void;
    registry.hold = new Promise((resolve) => (readRegistry = resolve));
    election.expire(old.master.info);
    await until(() => next.leadership.isLeader(), 'the next master elected');
    const flooding = new ScriptedAgent();
    await flooding.sendReregistration(next.url, 'flooder', 'slave(1)@127.0.0.1:15054');
    const patient = new ScriptedAgent();
    await patient.sendReregistration(next.url, 'patient', 'slave(2)@127.0.0.1:15055');
    for (let i = 1; i < HELD_FRAMES_LIMIT; i++) flooding.send({ type: 'PONG' });
    await new Promise((r) => setTimeout(r, 50));
    expect(flooding.closedWith, 'held up to the limit').to.equal(undefined);
    flooding.send({ type: 'PONG' });
    await until(() => flooding.closedWith, 'the flooding channel closed');
    expect(flooding.closedWith).to.equal(1013);
    readRegistry();
    await until(() => patient.agentId, 'the patient agent re-registered once the registry is read');
    expect(next.master.agents.has('flooder')).to.equal(false);
    patient.close();
  });

  it('a stopping master tells its agents it is going away (1001) and hands over to the next one', async () => {
    const [old, next] = [masters[first]!, masters[second]!];
    const agent = new ScriptedAgent();
    await agent.connect(old.url);
    let successorLeadingWhenClosed: boolean | undefined;
    const stopped = old.stop();
    await until(() => {
      if (agent.closedWith !== undefined) successorLeadingWhenClosed ??= next.leadership.isLeader();
      return agent.closedWith;
    }, 'the agent channel closed');
    await stopped;
    masters.splice(first, 1);
    expect(agent.closedWith).to.equal(1001);
    expect(successorLeadingWhenClosed, 'the successor leads by the time the agents learn it').to.equal(true);
  });

  it('a stopping master leaves an agent that follows the election to move to the successor, without a going-away', async () => {
    agentsMoveWaitMs = 60_000;
    const [old, next] = [masters[first]!, masters[second]!];
    const agent = new ScriptedAgent();
    await agent.connect(old.url);
    const stopped = old.stop();
    await until(() => next.leadership.isLeader(), 'the successor leads');
    await new Promise((r) => setTimeout(r, 50));
    expect(agent.closedWith, 'nothing said while the agent may move').to.equal(undefined);
    // The agent's detector names the successor: it drops the old channel, and the old master is done.
    agent.close();
    await stopped;
    masters.splice(first, 1);
    await until(() => agent.closedWith, 'the channel closed');
    expect(agent.closedWith, 'closed by the agent, not told 1001').to.equal(1006);
    // It no longer leads: the agent leaving is not acted on (nothing marked, no task lost).
    expect(old.master.agents.get(agent.agentId!)?.active).to.equal(true);
  });

  async function resubscribe(s: ScriptedScheduler, frameworkId: string): Promise<void> {
    await s.subscribe({ user: 'u', name: 'fw', id: { value: frameworkId } }, frameworkId);
    await until(() => s.frameworkId, 'resubscribed');
  }
});

/** The registry masters share, whose reads wait while the test holds them. */
class HeldRegistry extends MemoryRegistry {
  hold: Promise<void> | undefined;

  override async load(): Promise<RegistryState> {
    await this.hold;
    return super.load();
  }
}
