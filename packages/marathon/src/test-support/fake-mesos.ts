// A fake Mesos master (and its agents) behind MesosActions, for tests of the scheduler that need
// each moment of a task's life on demand: LAUNCH calls held in flight, tasks that never report,
// kills an agent drops, agents gone or unreachable, tasks the master never heard of. It answers
// the way the Mesos master does (reconciliation of unknown tasks included), through `deliver`.
import type { Offer, TaskInfo, TaskState, TaskStatus } from '@tepui/protocol';
import type { MesosActions } from '../core/mesos-actions';

export type AgentStanding = 'registered' | 'unreachable' | 'gone' | 'unknown';

const UNKNOWN_TASK_STATE: Readonly<Record<AgentStanding, TaskState>> = {
  registered: 'TASK_GONE', unreachable: 'TASK_UNREACHABLE', gone: 'TASK_GONE_BY_OPERATOR', unknown: 'TASK_UNKNOWN',
};

interface FakeTask {
  readonly agentId: string;
  state: TaskState;
}

export class FakeMesos implements MesosActions {
  /** The master's tasks. */
  readonly tasks = new Map<string, FakeTask>();
  readonly agents = new Map<string, AgentStanding>();
  readonly calls: string[] = [];
  /** Launched tasks report STARTING and RUNNING at once. */
  autoRun = true;
  /** LAUNCH calls wait for `releaseLaunches`. */
  holdLaunches = false;
  /** The next LAUNCH never reaches the master (its tasks stay unknown to it). */
  loseNextLaunch = false;
  /** How many of the next kills the agent drops without an answer. */
  dropKills = 0;
  /** Reconciliations go unanswered (a master just failed over, the agent not back yet). */
  withholdReconciliation = false;
  private readonly heldLaunches: Array<() => void> = [];
  private offerSeq = 0;

  constructor(private readonly deliver: (status: TaskStatus) => Promise<void>) {}

  get launchesInFlight(): number {
    return this.heldLaunches.length;
  }

  releaseLaunches(): void {
    for (const release of this.heldLaunches.splice(0)) release();
  }

  /** A fresh offer of a whole agent. */
  offer(agentId = 'S1'): Offer {
    this.agents.set(agentId, this.agents.get(agentId) ?? 'registered');
    this.offerSeq += 1;
    return {
      id: { value: `O${this.offerSeq}` }, framework_id: { value: 'F' }, agent_id: { value: agentId }, hostname: `${agentId.toLowerCase()}.example`,
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 8 }, role: '*' },
        { name: 'mem', type: 'SCALAR', scalar: { value: 8192 }, role: '*' },
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31999 }] }, role: '*' },
      ],
      attributes: [],
    };
  }

  /** The task reports `state` (as its executor or agent would). */
  report(taskId: string, state: TaskState): void {
    const task = this.tasks.get(taskId);
    if (task) task.state = state;
    this.send(taskId, task?.agentId ?? 'S1', state);
  }

  async launch(offerId: string, tasks: readonly TaskInfo[]): Promise<void> {
    this.calls.push(`LAUNCH ${offerId} ${tasks.map((t) => t.task_id.value).join(',')}`);
    const lost = this.loseNextLaunch;
    this.loseNextLaunch = false;
    const apply = (): void => {
      if (lost) return;
      for (const t of tasks) {
        this.tasks.set(t.task_id.value, { agentId: t.agent_id.value, state: 'TASK_STAGING' });
        if (this.autoRun) {
          this.report(t.task_id.value, 'TASK_STARTING');
          this.report(t.task_id.value, 'TASK_RUNNING');
        }
      }
    };
    if (!this.holdLaunches) return apply();
    await new Promise<void>((resolve) => this.heldLaunches.push(() => {
      apply();
      resolve();
    }));
  }

  async decline(offerIds: readonly string[]): Promise<void> {
    this.calls.push(`DECLINE ${offerIds.join(',')}`);
  }

  async kill(taskId: string, agentId: string): Promise<void> {
    this.calls.push(`KILL ${taskId}`);
    const task = this.tasks.get(taskId);
    if (!task) return this.answerUnknown(taskId, agentId);
    if (this.agents.get(task.agentId) === 'unreachable') return this.send(taskId, task.agentId, 'TASK_UNREACHABLE');
    if (this.dropKills > 0) {
      this.dropKills -= 1;
      return;
    }
    this.report(taskId, 'TASK_KILLED');
    this.tasks.delete(taskId);
  }

  async revive(): Promise<void> {
    this.calls.push('REVIVE');
  }

  async suppress(): Promise<void> {
    this.calls.push('SUPPRESS');
  }

  async reconcile(tasks: ReadonlyArray<{ taskId: string; agentId: string }>): Promise<void> {
    this.calls.push(`RECONCILE ${tasks.map((t) => t.taskId).join(',')}`);
    if (this.withholdReconciliation) return;
    const asked = tasks.length > 0 ? tasks : [...this.tasks].map(([taskId, t]) => ({ taskId, agentId: t.agentId }));
    for (const { taskId, agentId } of asked) {
      const task = this.tasks.get(taskId);
      if (task) this.send(taskId, task.agentId, this.agents.get(task.agentId) === 'unreachable' ? 'TASK_UNREACHABLE' : task.state, 'REASON_RECONCILIATION');
      else this.answerUnknown(taskId, agentId);
    }
  }

  /** An agent leaves: the master forgets its tasks (marked gone) or keeps them unreachable. */
  agentLeft(agentId: string, standing: 'unreachable' | 'gone'): void {
    this.agents.set(agentId, standing);
    if (standing === 'gone') for (const [id, t] of [...this.tasks]) if (t.agentId === agentId) this.tasks.delete(id);
  }

  /** What the master answers for a task it does not know (partition-aware framework, Mesos 1.11). */
  private answerUnknown(taskId: string, agentId: string): void {
    this.send(taskId, agentId, UNKNOWN_TASK_STATE[this.agents.get(agentId) ?? 'unknown']);
  }

  private send(taskId: string, agentId: string, state: TaskState, reason?: 'REASON_RECONCILIATION'): void {
    void this.deliver({ task_id: { value: taskId }, agent_id: { value: agentId }, state, source: 'SOURCE_MASTER', timestamp: 0, ...(reason ? { reason } : {}) });
  }
}
