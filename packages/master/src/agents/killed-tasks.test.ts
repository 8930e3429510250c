// A KILL the agent may not have heard (Mesos' Slave::killedTasks): asked while the agent is
// disconnected, or just before it went away, it is sent again when the agent re-registers still
// running the task; a task it reports ended, or one nobody asked to kill, gets no KILL.
import { expect } from 'chai';
import { ScriptedAgent, ScriptedScheduler, startInProcess, until, type InProcessCluster } from '../testing/in-process';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });

describe('kills sent again to a re-registering agent (in-process master)', () => {
  let cluster: InProcessCluster;
  let scheduler: ScriptedScheduler;
  let frameworkId: string;
  let agentId: string;

  beforeEach(async () => {
    cluster = await startInProcess();
    scheduler = new ScriptedScheduler(cluster.master.url);
    // Checkpointing: a disconnected agent's tasks of other frameworks are lost at once, as in Mesos.
    await scheduler.subscribe({ user: 'root', name: 'killer', checkpoint: true });
    frameworkId = await until(() => scheduler.frameworkId, 'subscribed');
    agentId = cluster.agent.agentId!;
    const offer = await until(() => scheduler.find((e) => e.offers?.offers?.[0]), 'an offer');
    const task = (id: string) => ({ name: id, task_id: { value: id }, agent_id: offer.agent_id, resources: [scalar('cpus', 0.1), scalar('mem', 16)], command: { value: 'sleep 600' } });
    const status = await scheduler.call({
      type: 'ACCEPT',
      accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: ['killed', 'finished', 'kept'].map(task) } }] },
    });
    expect(status).to.equal(202);
    await until(() => cluster.agent.received.filter((m) => m.type === 'RUN_TASK').length === 3 || undefined, 'three RUN_TASKs');
  });
  afterEach(async () => {
    scheduler.disconnect();
    await cluster.stop();
  });

  const reported = (id: string, state: string) => ({
    name: id, task_id: { value: id }, framework_id: { value: frameworkId }, agent_id: { value: agentId }, state, resources: [scalar('cpus', 0.1), scalar('mem', 16)],
  });

  it('sends the KILL again after AGENT_REREGISTERED, for running tasks a framework asked to kill', async () => {
    cluster.agent.close();
    await until(() => cluster.master.master.agents.get(agentId)?.connected === false || undefined, 'the master sees the agent gone');
    for (const id of ['killed', 'finished']) {
      expect(await scheduler.call({ type: 'KILL', kill: { task_id: { value: id }, agent_id: { value: agentId } } })).to.equal(202);
    }
    const returning = new ScriptedAgent();
    cluster.agent = returning;
    await returning.reregister(cluster.master.url, agentId, 'slave(1)@127.0.0.1:15051', undefined, {
      tasks: [reported('killed', 'TASK_RUNNING'), reported('finished', 'TASK_FINISHED'), reported('kept', 'TASK_RUNNING')],
      frameworks: [{ user: 'root', name: 'killer', id: { value: frameworkId } }],
    });
    const kill = await until(() => returning.received.find((m) => m.type === 'KILL_TASK'), 'a KILL_TASK after re-registration') as Json;
    expect(kill).to.deep.include({ framework_id: { value: frameworkId }, task_id: { value: 'killed' } });
    // What the agent got after the KILL_TASK, in order: AGENT_REREGISTERED came first, and no other KILL.
    const types = returning.received.map((m) => m.type);
    expect(types.indexOf('AGENT_REREGISTERED')).to.be.below(types.indexOf('KILL_TASK'));
    expect(returning.received.filter((m) => m.type === 'KILL_TASK')).to.have.length(1);
  });

  it('sends a kill again even when the master believed the agent connected as it sent it', async () => {
    expect(await scheduler.call({ type: 'KILL', kill: { task_id: { value: 'killed' }, agent_id: { value: agentId } } })).to.equal(202);
    await until(() => cluster.agent.received.find((m) => m.type === 'KILL_TASK'), 'the first KILL_TASK');
    // The agent restarts before it could act on it.
    cluster.agent.close();
    const returning = new ScriptedAgent();
    cluster.agent = returning;
    await returning.reregister(cluster.master.url, agentId, 'slave(1)@127.0.0.1:15051', undefined, {
      tasks: [reported('killed', 'TASK_RUNNING'), reported('kept', 'TASK_RUNNING')],
      frameworks: [{ user: 'root', name: 'killer', id: { value: frameworkId } }],
    });
    const kill = await until(() => returning.received.find((m) => m.type === 'KILL_TASK'), 'the KILL_TASK sent again') as Json;
    expect(kill.task_id).to.deep.equal({ value: 'killed' });
  });
});
