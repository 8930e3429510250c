// An executor re-subscribing after the agent or its stream went away, against Mesos' answer
// (src/slave/slave.cpp, Slave::subscribe): its unacknowledged updates are taken first, then every
// task sent to it that is still staging and that it does not list among its unacknowledged tasks
// ends TASK_DROPPED (TASK_LOST for a framework that is not partition-aware), "Task launched during
// agent restart". The agent core with a fake containerizer, recording connections and a manual clock.
import { expect } from 'chai';
import { newStatusUuid, type AgentToMasterMessage, type ExecutorEvent, type TaskInfo, type TaskStatus } from '@tepui/protocol';
import type { AgentCore } from './agent-core';
import { testAgentCore } from './testing/core-fixture';
import type { Containerizer } from './containerizer/containerizer';
import { DOCKER_EXECUTOR_ID, type ExecutorConnection } from './executors/executor-run';

const FW = 'fw-1';
const idle: Containerizer = { launch: () => Promise.resolve(4001), recover: () => undefined, destroy: () => undefined, isAlive: () => false };
const dockerTask = (id: string): TaskInfo => ({
  name: id, task_id: { value: id }, agent_id: { value: 'A-S0' }, command: { value: 'sleep 600' }, container: { type: 'DOCKER', docker: { image: 'local/busybox' } },
});

describe('agent: an executor re-subscribing with its unacknowledged tasks and updates', () => {
  let core: AgentCore;
  let toMaster: AgentToMasterMessage[];

  function start(partitionAware: boolean): void {
    toMaster = [];
    core = testAgentCore(idle);
    core.docker = { available: true, host: 'unix:///fake.sock' };
    core.attachMaster((m) => toMaster.push(m));
    core.updates.resume();
    const framework_info = { user: 'root', name: 'marathon', id: { value: FW }, ...(partitionAware ? { capabilities: [{ type: 'PARTITION_AWARE' as const }] } : {}) };
    for (const id of ['d.1', 'd.2', 'd.3']) core.handleMasterMessage({ type: 'RUN_TASK', framework_info, task: dockerTask(id) });
  }

  const run = () => core.findRun(FW, DOCKER_EXECUTOR_ID)!;
  const info = (id: string) => run().tasks.get(id)!.info;
  const states = (): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (const m of toMaster) if (m.type === 'STATUS_UPDATE') (out[m.update.status.task_id.value] ??= []).push(m.update.status.state);
    return out;
  };
  const running = (id: string): TaskStatus => ({ task_id: { value: id }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: newStatusUuid() });
  /** Subscribes the Docker executor with what it has no acknowledgement for; the stream's events come back. */
  function subscribe(updates: TaskStatus[] = [], tasks: TaskInfo[] = []): ExecutorEvent[] & { disconnect(): void } {
    const events: ExecutorEvent[] = [];
    const connection: ExecutorConnection = { send: (e) => void events.push(e), close: () => undefined };
    core.executorSubscribed(run(), connection, updates, tasks);
    return Object.assign(events, { disconnect: () => core.executorDisconnected(run(), connection) });
  }
  const launches = (events: ExecutorEvent[]) => events.filter((e) => e.type === 'LAUNCH').map((e) => e.launch!.task.task_id.value);

  it('drops the staging tasks it does not list as TASK_LOST, keeps those it lists or reported on, and sends none again', () => {
    start(false);
    const first = subscribe();
    expect(launches(first)).to.deep.equal(['d.1', 'd.2', 'd.3']);
    core.executorUpdate(run(), running('d.1'));
    first.disconnect();
    // d.1 ran before; d.2's RUNNING comes with the subscription (taken before any task is dropped,
    // as in Mesos, though the task is not listed); d.3 the executor lists, with no update yet.
    const again = subscribe([running('d.2')], [info('d.3')]);
    expect(launches(again)).to.deep.equal([]);
    expect(states()).to.deep.equal({ 'd.1': ['TASK_RUNNING'], 'd.2': ['TASK_RUNNING'] });
    again.disconnect();

    // The executor restarted and knows nothing: d.3, still staging, never reached it.
    const third = subscribe([], []);
    expect(launches(third)).to.deep.equal([]);
    expect(states()['d.3']).to.deep.equal(['TASK_LOST']);
    const lost = toMaster.flatMap((m) => (m.type === 'STATUS_UPDATE' && m.update.status.task_id.value === 'd.3' ? [m.update.status] : []))[0]!;
    expect(lost).to.include({ source: 'SOURCE_AGENT', reason: 'REASON_AGENT_RESTARTED', message: 'Task launched during agent restart' });
    expect(lost.executor_id).to.deep.equal({ value: DOCKER_EXECUTOR_ID });
  });

  it('uses TASK_DROPPED for a partition-aware framework, and leaves tasks never sent to be launched', () => {
    start(true);
    subscribe().disconnect();
    // d.4 arrives while the executor is away: it waits for the next subscription.
    core.handleMasterMessage({ type: 'RUN_TASK', framework_info: { user: 'root', name: 'marathon', id: { value: FW }, capabilities: [{ type: 'PARTITION_AWARE' }] }, task: dockerTask('d.4') });
    const again = subscribe([], [info('d.1')]);
    expect(states()).to.deep.equal({ 'd.2': ['TASK_DROPPED'], 'd.3': ['TASK_DROPPED'] });
    expect(launches(again)).to.deep.equal(['d.4']);
  });

  it('does not send again a task recovered with no update that the executor lists', () => {
    start(false);
    subscribe().disconnect();
    // Recovery (recovery.ts) cannot tell whether a task with no update went out before the restart.
    for (const id of ['d.1', 'd.2', 'd.3']) run().tasks.get(id)!.launched = false;
    const again = subscribe([], [info('d.1'), info('d.2'), info('d.3')]);
    expect(launches(again)).to.deep.equal([]);
    expect(states()).to.deep.equal({});
  });
});
