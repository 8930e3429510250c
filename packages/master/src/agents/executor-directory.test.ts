// The sandbox directory the master reports for each executor it tracks (Tepui's addition to Mesos'
// master state): learnt from the agent's EXECUTOR_LAUNCHED and from its re-registration, shown in
// /master/state, GET_EXECUTORS and GET_STATE, and forgotten with the executor.
import { expect } from 'chai';
import { ScriptedAgent, ScriptedScheduler, operatorCall, startInProcess, until, type InProcessCluster } from '../testing/in-process';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });
const DIRECTORY = '/var/lib/tepui/slaves/S0/frameworks/F/executors/group-ex/runs/c-1';

describe('executor directories in the master (in-process master)', () => {
  let cluster: InProcessCluster;
  let scheduler: ScriptedScheduler;
  let frameworkId: string;

  /** The executor as /master/state, GET_EXECUTORS and GET_STATE show it. */
  const reported = async (executorId: string) => {
    const state = (await (await fetch(`${cluster.master.url}/master/state`)).json()) as Json;
    const inState = (state.frameworks as Json[]).find((f) => f.id === frameworkId)?.executors.find((e: Json) => e.executor_id === executorId);
    const executors = ((await operatorCall(cluster.master.url, { type: 'GET_EXECUTORS' })).json!.get_executors.executors ?? []) as Json[];
    const getState = ((await operatorCall(cluster.master.url, { type: 'GET_STATE' })).json!.get_state.get_executors.executors ?? []) as Json[];
    const byId = (e: Json) => e.executor_info.executor_id.value === executorId;
    return { state: inState as Json | undefined, getExecutors: executors.find(byId), getState: getState.find(byId) };
  };
  const launched = (executorId: string, directory = DIRECTORY) => cluster.agent.send({
    type: 'EXECUTOR_LAUNCHED', agent_id: { value: cluster.agent.agentId }, framework_id: { value: frameworkId },
    executor_id: { value: executorId }, container_id: { value: 'c-1' }, directory,
  });

  beforeEach(async () => {
    cluster = await startInProcess();
    scheduler = new ScriptedScheduler(cluster.master.url);
    await scheduler.subscribe({ user: 'root', name: 'directories' });
    frameworkId = await until(() => scheduler.frameworkId, 'subscribed');
    const offer = await until(() => scheduler.find((e) => e.offers?.offers?.[0]), 'an offer');
    const task = { name: 'g', task_id: { value: 'g' }, agent_id: offer.agent_id, resources: [scalar('cpus', 0.1), scalar('mem', 32)], command: { value: 'sleep 600' } };
    const status = await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH_GROUP', launch_group: { executor: { type: 'DEFAULT', executor_id: { value: 'group-ex' }, resources: [scalar('cpus', 0.1), scalar('mem', 32)] }, task_group: { tasks: [task] } } }],
      },
    });
    expect(status).to.equal(202);
    await until(() => cluster.agent.received.find((m) => m.type === 'RUN_TASK_GROUP'), 'RUN_TASK_GROUP');
  });
  afterEach(async () => {
    scheduler.disconnect();
    await cluster.stop();
  });

  it('an executor launched but not yet up has an empty directory in /master/state and none in the operator API', async () => {
    const before = await reported('group-ex');
    expect(before.state).to.include({ executor_id: 'group-ex', directory: '' });
    expect(before.getExecutors).to.not.have.property('directory');
    expect(before.getState).to.not.have.property('directory');
  });

  it("EXECUTOR_LAUNCHED gives the executor its directory everywhere it is listed", async () => {
    launched('group-ex');
    await until(async () => (await reported('group-ex')).state?.directory === DIRECTORY, 'the directory in /master/state');
    const after = await reported('group-ex');
    expect(after.getExecutors).to.include({ directory: DIRECTORY });
    expect(after.getState).to.include({ directory: DIRECTORY });
  });

  it('a directory for an executor the master does not track (a command executor, one that exited) is not recorded', async () => {
    const agentId = cluster.agent.agentId!;
    launched('some-command-task');
    cluster.agent.send({ type: 'EXITED_EXECUTOR', agent_id: { value: agentId }, framework_id: { value: frameworkId }, executor_id: { value: 'group-ex' }, status: 0 });
    launched('group-ex', '/late');
    // The agent's messages are handled in order: once this one reached the scheduler, all have been.
    cluster.agent.send({ type: 'EXECUTOR_TO_FRAMEWORK', agent_id: { value: agentId }, framework_id: { value: frameworkId }, executor_id: { value: 'group-ex' }, data: 'bWFya2Vy' });
    await until(() => scheduler.find((e) => e.message), 'the marker message');
    const after = await reported('group-ex');
    expect(after.state).to.equal(undefined);
    expect(after.getExecutors).to.equal(undefined);
    const agent = cluster.master.master.agents.get(agentId)!;
    expect(agent.executorDirectory(frameworkId, 'group-ex')).to.equal(undefined);
    expect(agent.executorDirectory(frameworkId, 'some-command-task')).to.equal(undefined);
  });

  it('a re-registering agent reports each executor with its directory', async () => {
    const agentId = cluster.agent.agentId!;
    cluster.agent.close();
    const returning = new ScriptedAgent();
    cluster.agent = returning;
    await returning.reregister(cluster.master.url, agentId, 'slave(1)@127.0.0.1:15051', undefined, {
      executors: [{ framework_id: { value: frameworkId }, executor_info: { type: 'DEFAULT', executor_id: { value: 'group-ex' }, framework_id: { value: frameworkId } }, directory: DIRECTORY }],
      frameworks: [{ user: 'root', name: 'directories', id: { value: frameworkId } }],
    });
    const after = await reported('group-ex');
    expect(after.state).to.include({ directory: DIRECTORY });
    expect(after.getExecutors).to.include({ directory: DIRECTORY });
  });
});
