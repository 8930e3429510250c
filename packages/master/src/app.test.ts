// The master in-process on port 0, driven through its real HTTP and WebSocket endpoints by a
// scripted agent and a scripted scheduler, with time on a ManualClock.
import { request } from 'node:http';
import { expect } from 'chai';
import pino from 'pino';
import { ManualClock, RecordIODecoder, newStatusUuid } from '@tepui/protocol';
import { loadMasterConfig } from './config';
import { startMaster, type RunningMaster } from './app';
import { ScriptedAgent, ScriptedScheduler, operatorCall, until } from './testing/in-process';

describe('master app (in-process)', () => {
  let running: RunningMaster;
  let clock: ManualClock;
  let agent: ScriptedAgent;
  let pump: NodeJS.Timeout;

  beforeEach(async () => {
    clock = new ManualClock();
    // Work the master schedules "now" (batched allocation) runs when the test yields; time itself never moves.
    pump = setInterval(() => clock.advance(0), 2);
    const config = loadMasterConfig(['--port=0', '--ip=127.0.0.1', '--allocator_seed=1']);
    running = await startMaster(config, { clock, log: pino({ level: 'silent' }) });
    agent = new ScriptedAgent();
    await agent.connect(running.url);
  });

  afterEach(async () => {
    clearInterval(pump);
    agent.close();
    await running.stop();
  });

  it('offers the agent, launches on ACCEPT, relays the update and the acknowledgement', async () => {
    const s = new ScriptedScheduler(running.url);
    await s.subscribe({ user: 'root', name: 'in-process' });
    const offer = await until(() => s.find((e) => e.offers?.offers?.[0]), 'an offer');
    expect(offer.agent_id.value).to.equal(agent.agentId);
    expect(await s.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't1' }, agent_id: offer.agent_id, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }], command: { value: 'true' } }] } }],
      },
    })).to.equal(202);
    const run = await until(() => agent.received.find((m) => m.type === 'RUN_TASK'), 'RUN_TASK');
    expect(run.type === 'RUN_TASK' && run.task.task_id.value).to.equal('t1');
    const uuid = newStatusUuid();
    agent.send({ type: 'STATUS_UPDATE', update: { framework_id: { value: s.frameworkId }, agent_id: { value: agent.agentId }, status: { task_id: { value: 't1' }, state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', uuid, timestamp: 1 } } });
    const update = await until(() => s.find((e) => e.update?.status), 'UPDATE');
    expect(update.uuid).to.equal(uuid);
    expect(await s.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: agent.agentId }, task_id: { value: 't1' }, uuid } })).to.equal(202);
    const ack = await until(() => agent.received.find((m) => m.type === 'STATUS_UPDATE_ACK'), 'ack relayed to the agent');
    expect(ack.type === 'STATUS_UPDATE_ACK' && ack.uuid).to.equal(uuid);
    s.disconnect();
  });

  it('removes a disconnected framework once its failover_timeout elapses, killing its tasks', async () => {
    const s = new ScriptedScheduler(running.url);
    await s.subscribe({ user: 'root', name: 'short-lived', failover_timeout: 30 });
    const offer = await until(() => s.find((e) => e.offers?.offers?.[0]), 'an offer');
    await s.call({
      type: 'ACCEPT',
      accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't1' }, agent_id: offer.agent_id, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }], command: { value: 'sleep 9' } }] } }] },
    });
    await until(() => agent.received.find((m) => m.type === 'RUN_TASK'), 'RUN_TASK');
    s.disconnect();
    const framework = running.master.frameworks.get(s.frameworkId!)!;
    await until(() => (framework.connected ? undefined : true), 'disconnect noticed');
    clock.advance(29_000);
    expect(running.master.frameworks.has(s.frameworkId!)).to.equal(true);
    clock.advance(1_000);
    expect(running.master.frameworks.has(s.frameworkId!)).to.equal(false);
    await until(() => agent.received.find((m) => m.type === 'SHUTDOWN_FRAMEWORK'), 'SHUTDOWN_FRAMEWORK to the agent');
    expect(running.master.completedFrameworks.map((f) => f.id)).to.include(s.frameworkId);
  });

  it('fails over a re-subscribing framework: ERROR on the old stream, offers rescinded, same id', async () => {
    const first = new ScriptedScheduler(running.url);
    await first.subscribe({ user: 'root', name: 'twice', failover_timeout: 60 });
    await until(() => first.find((e) => e.offers?.offers?.[0]), 'an offer');
    const second = new ScriptedScheduler(running.url);
    await second.subscribe({ user: 'root', name: 'twice', failover_timeout: 60, id: { value: first.frameworkId } }, first.frameworkId);
    await until(() => first.find((e) => (e.type === 'ERROR' ? e.error : undefined)), 'ERROR on the old stream');
    expect(first.find((e) => e.error?.message)).to.equal('Framework failed over');
    await until(() => second.find((e) => e.subscribed), 'SUBSCRIBED');
    expect(second.frameworkId).to.equal(first.frameworkId);
    await until(() => second.find((e) => e.offers?.offers?.[0]), 'an offer on the new stream');
    expect(await first.call({ type: 'REVIVE' })).to.equal(400);
    second.disconnect();
  });

  it('rescinds an offer that outlives --offer_timeout and offers the resources again', async () => {
    await running.stop();
    agent.close();
    running = await startMaster(loadMasterConfig(['--port=0', '--ip=127.0.0.1', '--offer_timeout=10secs']), { clock, log: pino({ level: 'silent' }) });
    agent = new ScriptedAgent();
    await agent.connect(running.url);
    const s = new ScriptedScheduler(running.url);
    await s.subscribe({ user: 'root', name: 'slow' });
    const offer = await until(() => s.find((e) => e.offers?.offers?.[0]), 'an offer');
    clock.advance(9_999);
    expect(s.find((e) => e.rescind)).to.equal(undefined);
    clock.advance(1);
    const rescind = await until(() => s.find((e) => e.rescind), 'RESCIND');
    expect(rescind.offer_id).to.deep.equal(offer.id);
    await until(() => s.find((e) => (e.offers?.offers?.[0] && e.offers.offers[0].id.value !== offer.id.value ? e.offers.offers[0] : undefined)), 'a new offer');
    s.disconnect();
  });

  it('answers the operator API', async () => {
    const post = (body: object) => operatorCall(running.url, body);
    expect((await post({ type: 'GET_HEALTH' })).json).to.deep.equal({ type: 'GET_HEALTH', get_health: { healthy: true } });
    const version = await post({ type: 'GET_VERSION' });
    expect(version.json?.get_version.version_info.version).to.equal('1.11.0');
    const agents = await post({ type: 'GET_AGENTS' });
    expect(agents.json?.get_agents.agents[0].agent_info.id.value).to.equal(agent.agentId);
    const stateRes = await post({ type: 'GET_STATE' });
    expect(stateRes.json?.get_state).to.have.keys('get_tasks', 'get_executors', 'get_frameworks', 'get_agents');
    const flags = await post({ type: 'GET_FLAGS' });
    expect(flags.json?.get_flags.flags).to.deep.include({ name: 'allocation_interval', value: '1secs' });
    expect((await post({ type: 'NOT_A_CALL' })).status).to.equal(400);
  });

  it('streams operator events: SUBSCRIBED snapshot, then FRAMEWORK_ADDED, TASK_ADDED, TASK_UPDATED, AGENT_ADDED', async () => {
    const events: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    const req = request(`${running.url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, (res) => {
      const decoder = new RecordIODecoder();
      res.on('data', (chunk: Buffer) => decoder.push(chunk).forEach((r) => events.push(JSON.parse(r.toString()))));
    });
    req.end(JSON.stringify({ type: 'SUBSCRIBE' }));
    const subscribed = await until(() => events.find((e) => e.type === 'SUBSCRIBED'), 'SUBSCRIBED');
    expect(subscribed.subscribed.get_state.get_agents.agents).to.have.length(1);
    const s = new ScriptedScheduler(running.url);
    await s.subscribe({ user: 'root', name: 'observed' });
    await until(() => events.find((e) => e.type === 'FRAMEWORK_ADDED'), 'FRAMEWORK_ADDED');
    const offer = await until(() => s.find((e) => e.offers?.offers?.[0]), 'an offer');
    await s.call({
      type: 'ACCEPT',
      accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 'op-1' }, agent_id: offer.agent_id, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }], command: { value: 'true' } }] } }] },
    });
    const added = await until(() => events.find((e) => e.type === 'TASK_ADDED'), 'TASK_ADDED');
    expect(added.task_added.task).to.include({ state: 'TASK_STAGING', name: 't' });
    agent.send({ type: 'STATUS_UPDATE', update: { framework_id: { value: s.frameworkId }, agent_id: { value: agent.agentId }, status: { task_id: { value: 'op-1' }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: newStatusUuid() } } });
    const updated = await until(() => events.find((e) => e.type === 'TASK_UPDATED'), 'TASK_UPDATED');
    expect(updated.task_updated).to.deep.include({ state: 'TASK_RUNNING', framework_id: { value: s.frameworkId } });
    const second = new ScriptedAgent();
    await second.connect(running.url, 'slave(1)@127.0.0.1:15052');
    const agentAdded = await until(() => events.find((e) => e.type === 'AGENT_ADDED'), 'AGENT_ADDED');
    expect(agentAdded.agent_added.agent.agent_info.id.value).to.equal(second.agentId);
    second.close();
    req.destroy();
    s.disconnect();
  });

  it('removes an agent whose pid registers afresh (it restarted without its state); others at other pids stay', async () => {
    const other = new ScriptedAgent();
    await other.connect(running.url, 'slave(1)@127.0.0.1:15052');
    const restarted = new ScriptedAgent();
    await restarted.connect(running.url, 'slave(1)@127.0.0.1:15051');
    expect(restarted.agentId).to.not.equal(agent.agentId);
    expect([...running.master.agents.keys()].sort()).to.deep.equal([other.agentId!, restarted.agentId!].sort());
    expect(running.master.agents.atPid('slave(1)@127.0.0.1:15051').map((a) => a.id)).to.deep.equal([restarted.agentId]);
    other.close();
    restarted.close();
  });

  it('marks an agent that stops answering pings unreachable', async () => {
    const s = new ScriptedScheduler(running.url);
    await s.subscribe({ user: 'root', name: 'watcher', capabilities: [{ type: 'PARTITION_AWARE' }] });
    await until(() => s.find((e) => e.offers?.offers?.[0]), 'an offer');
    agent.close();
    await until(() => (running.master.agents.get(agent.agentId!)?.connected === false ? true : undefined), 'disconnect noticed');
    clock.advance(4 * 15_000);
    expect(running.master.unreachableAgents.has(agent.agentId!)).to.equal(false);
    clock.advance(15_000);
    await until(() => (running.master.unreachableAgents.has(agent.agentId!) ? true : undefined), 'agent unreachable');
    await until(() => s.find((e) => (e.type === 'FAILURE' ? e.failure : undefined)), 'FAILURE event');
    s.disconnect();
  });
});
