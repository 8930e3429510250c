// KILL_TASK in every state a task can be in on the agent, against Mesos' answers
// (src/slave/slave.cpp killTask / killPendingTask / kill): the agent core with a fake
// containerizer, fake executor connections and a manual clock. Every case ends in an update.
import { expect } from 'chai';
import {
  ManualClock, newStatusUuid, type AgentToMasterMessage, type ExecutorEvent, type ExecutorInfo, type FrameworkInfo,
  type KillPolicy, type TaskInfo, type TaskStatus,
} from '@tepui/protocol';
import type { AgentCore } from './agent-core';
import { testAgentCore } from './testing/core-fixture';
import type { Containerizer, LaunchSpec } from './containerizer/containerizer';
import { DOCKER_EXECUTOR_ID, type ExecutorConnection } from './executors/executor-run';

class RecordingConnection implements ExecutorConnection {
  readonly events: ExecutorEvent[] = [];
  closed = false;
  send(event: ExecutorEvent): void {
    this.events.push(event);
  }
  close(): void {
    this.closed = true;
  }
  types(): string[] {
    return this.events.map((e) => e.type);
  }
}

class FakeContainerizer implements Containerizer {
  readonly launched: Array<{ spec: LaunchSpec; exit: (status?: number) => void }> = [];
  readonly destroyed: Array<number | undefined> = [];
  launch(spec: LaunchSpec, onExit: (status?: number) => void): Promise<number> {
    this.launched.push({ spec, exit: onExit });
    return Promise.resolve(4000 + this.launched.length);
  }
  recover(): void {}
  destroy(pid: number | undefined): void {
    this.destroyed.push(pid);
  }
  isAlive(): boolean {
    return false;
  }
}

const FW = 'fw-1';
const framework = (partitionAware = false): FrameworkInfo & { id: { value: string } } => ({
  user: 'root', name: 'marathon', id: { value: FW }, ...(partitionAware ? { capabilities: [{ type: 'PARTITION_AWARE' as const }] } : {}),
});
const commandTask = (id: string): TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'A-S0' }, command: { value: 'sleep 600' } });
const dockerTask = (id: string): TaskInfo => ({ ...commandTask(id), container: { type: 'DOCKER', docker: { image: 'local/busybox' } } });

describe('agent: KILL_TASK in every state of a task', () => {
  let clock: ManualClock;
  let containerizer: FakeContainerizer;
  let core: AgentCore;
  let toMaster: AgentToMasterMessage[];

  beforeEach(() => {
    clock = new ManualClock();
    containerizer = new FakeContainerizer();
    toMaster = [];
    core = testAgentCore(containerizer, undefined, clock);
    core.docker = { available: true, host: 'unix:///fake.sock' };
    core.attachMaster((m) => toMaster.push(m));
    core.updates.resume();
  });

  const updates = (taskId?: string): TaskStatus[] => toMaster.flatMap((m) => (m.type === 'STATUS_UPDATE' && (!taskId || m.update.status.task_id.value === taskId) ? [m.update.status] : []));
  const kill = (taskId: string, policy?: KillPolicy, frameworkId = FW) => core.handleMasterMessage({ type: 'KILL_TASK', framework_id: { value: frameworkId }, task_id: { value: taskId }, ...(policy ? { kill_policy: policy } : {}) });
  const ack = (status: TaskStatus) => core.handleMasterMessage({ type: 'STATUS_UPDATE_ACK', framework_id: { value: FW }, task_id: status.task_id, uuid: status.uuid! });
  const runTask = (task: TaskInfo, partitionAware = false) => core.handleMasterMessage({ type: 'RUN_TASK', framework_info: framework(partitionAware), task });
  function subscribe(executorId: string): RecordingConnection {
    const run = core.findRun(FW, executorId)!;
    const connection = new RecordingConnection();
    core.executorSubscribed(run, connection, []);
    return connection;
  }
  function report(executorId: string, taskId: string, state: TaskStatus['state']): TaskStatus {
    const status: TaskStatus = { task_id: { value: taskId }, state, source: 'SOURCE_EXECUTOR', uuid: newStatusUuid() };
    core.executorUpdate(core.findRun(FW, executorId)!, status);
    return status;
  }

  describe('a task the agent has no executor for', () => {
    it('of a framework it does not know: TASK_LOST, "Cannot find executor"', () => {
      kill('ghost.1', undefined, 'other-fw');
      expect(updates()).to.have.length(1);
      expect(updates()[0]).to.include({ state: 'TASK_LOST', reason: 'REASON_EXECUTOR_TERMINATED', message: 'Cannot find executor', source: 'SOURCE_AGENT' });
    });

    it('of a known framework: TASK_LOST, or TASK_DROPPED for a partition-aware one', () => {
      runTask(commandTask('known.1'));
      kill('ghost.1');
      expect(updates('ghost.1').map((u) => u.state)).to.deep.equal(['TASK_LOST']);
      core.handleMasterMessage({ type: 'UPDATE_FRAMEWORK', framework_info: framework(true) });
      kill('ghost.2');
      expect(updates('ghost.2').map((u) => u.state)).to.deep.equal(['TASK_DROPPED']);
    });

    it('that already ended and was acknowledged: TASK_LOST again, not silence', () => {
      runTask(commandTask('done.1'));
      subscribe('done.1');
      ack(report('done.1', 'done.1', 'TASK_RUNNING'));
      ack(report('done.1', 'done.1', 'TASK_FINISHED'));
      kill('done.1');
      expect(updates('done.1').map((u) => u.state)).to.deep.equal(['TASK_RUNNING', 'TASK_FINISHED', 'TASK_LOST']);
    });
  });

  describe('a task queued for an executor that has not subscribed yet', () => {
    it('ends TASK_KILLED at once, is never launched, and its command executor is shut down', () => {
      runTask(commandTask('q.1'));
      kill('q.1');
      expect(updates('q.1')).to.have.length(1);
      expect(updates('q.1')[0]).to.include({ state: 'TASK_KILLED', reason: 'REASON_TASK_KILLED_DURING_LAUNCH', message: 'Killed before delivery to the executor' });
      const connection = subscribe('q.1');
      expect(connection.types()).to.deep.equal(['SUBSCRIBED', 'SHUTDOWN']);
    });

    it('a repeated KILL adds nothing: the TASK_KILLED is retried until acknowledged', () => {
      runTask(commandTask('q.1'));
      kill('q.1');
      kill('q.1');
      expect(updates('q.1').map((u) => u.state)).to.deep.equal(['TASK_KILLED']);
      clock.advance(10_000);
      expect(updates('q.1').map((u) => u.state)).to.deep.equal(['TASK_KILLED', 'TASK_KILLED']);
      expect(updates('q.1')[1]!.uuid).to.equal(updates('q.1')[0]!.uuid);
    });

    it('on the shared Docker executor: the others still launch, and the executor stays for later tasks', () => {
      runTask(dockerTask('d.1'));
      runTask(dockerTask('d.2'));
      kill('d.1');
      const connection = subscribe(DOCKER_EXECUTOR_ID);
      expect(connection.events.filter((e) => e.type === 'LAUNCH').map((e) => e.launch!.task.task_id.value)).to.deep.equal(['d.2']);
      expect(connection.types()).to.not.include('SHUTDOWN');
      runTask(dockerTask('d.3'));
      expect(connection.events.filter((e) => e.type === 'LAUNCH').map((e) => e.launch!.task.task_id.value)).to.deep.equal(['d.2', 'd.3']);
    });

    it('of a task group: every task of the group ends TASK_KILLED and the group is never launched', () => {
      const executor: ExecutorInfo = { type: 'DEFAULT', executor_id: { value: 'group-exec' }, framework_id: { value: FW } };
      core.handleMasterMessage({ type: 'RUN_TASK_GROUP', framework_info: framework(), executor_info: executor, task_group: { tasks: [commandTask('g.1'), commandTask('g.2')] } });
      kill('g.2');
      for (const id of ['g.1', 'g.2']) {
        expect(updates(id)).to.have.length(1);
        expect(updates(id)[0]).to.include({ state: 'TASK_KILLED', reason: 'REASON_TASK_KILLED_DURING_LAUNCH', message: 'A task within the task group was killed before delivery to the executor' });
      }
      expect(subscribe('group-exec').types()).to.deep.equal(['SUBSCRIBED', 'SHUTDOWN']);
    });
  });

  describe('a launched task', () => {
    beforeEach(() => {
      runTask(commandTask('r.1'));
    });

    it('gets the KILL with its policy, every time it is asked', () => {
      const connection = subscribe('r.1');
      report('r.1', 'r.1', 'TASK_RUNNING');
      kill('r.1', { grace_period: { nanoseconds: 5e9 } });
      kill('r.1');
      const kills = connection.events.filter((e) => e.type === 'KILL').map((e) => e.kill);
      expect(kills).to.deep.equal([{ task_id: { value: 'r.1' }, kill_policy: { grace_period: { nanoseconds: 5e9 } } }, { task_id: { value: 'r.1' } }]);
    });

    it('whose executor is not connected gets the KILL once it subscribes again', () => {
      const first = subscribe('r.1');
      report('r.1', 'r.1', 'TASK_RUNNING');
      core.executorDisconnected(core.findRun(FW, 'r.1')!, first);
      kill('r.1', { grace_period: { nanoseconds: 2e9 } });
      const again = subscribe('r.1');
      expect(again.events.filter((e) => e.type === 'KILL').map((e) => e.kill)).to.deep.equal([{ task_id: { value: 'r.1' }, kill_policy: { grace_period: { nanoseconds: 2e9 } } }]);
      expect(again.types()).to.not.include('LAUNCH');
    });

    it('whose executor died: the task already ended TASK_FAILED; a KILL adds nothing until that is acknowledged, then TASK_LOST', () => {
      subscribe('r.1');
      ack(report('r.1', 'r.1', 'TASK_RUNNING'));
      containerizer.launched[0]!.exit(137);
      expect(updates('r.1').map((u) => u.state)).to.deep.equal(['TASK_RUNNING', 'TASK_FAILED']);
      kill('r.1');
      expect(updates('r.1').map((u) => u.state)).to.deep.equal(['TASK_RUNNING', 'TASK_FAILED']);
      ack(updates('r.1')[1]!);
      kill('r.1');
      expect(updates('r.1').map((u) => u.state)).to.deep.equal(['TASK_RUNNING', 'TASK_FAILED', 'TASK_LOST']);
    });

    it('whose Docker executor died: its containers are removed as its tasks are reported', () => {
      const removed: string[][] = [];
      core.removeDockerContainers = async (ids) => removed.push([...ids]);
      runTask(dockerTask('d.1'));
      subscribe(DOCKER_EXECUTOR_ID);
      ack(report(DOCKER_EXECUTOR_ID, 'd.1', 'TASK_RUNNING'));
      containerizer.launched.at(-1)!.exit(137);
      expect(removed).to.deep.equal([['d.1']]);
      expect(updates('d.1').at(-1)).to.include({ state: 'TASK_FAILED', reason: 'REASON_EXECUTOR_TERMINATED' });
    });

    it('whose executor is shutting down: left to the shutdown, which ends it TASK_KILLED', () => {
      const connection = subscribe('r.1');
      ack(report('r.1', 'r.1', 'TASK_RUNNING'));
      core.handleMasterMessage({ type: 'SHUTDOWN_FRAMEWORK', framework_id: { value: FW } });
      kill('r.1');
      expect(connection.types()).to.deep.equal(['SUBSCRIBED', 'LAUNCH', 'ACKNOWLEDGED', 'SHUTDOWN']);
      clock.advance(5000);
      expect(updates('r.1').map((u) => u.state)).to.deep.equal(['TASK_RUNNING', 'TASK_KILLED']);
    });
  });
});
