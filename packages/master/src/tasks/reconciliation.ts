// Answers to RECONCILE, as docs/reconciliation.md and Master::reconcile describe them. Pure.
import type { Task, TaskState, TaskStatus } from '@tepui/protocol';

export type AgentStanding = 'registered' | 'recovering' | 'unreachable' | 'gone' | 'unknown';

export interface ReconcileInput {
  readonly partitionAware: boolean;
  readonly now: number;
  /** Explicit requests; empty means implicit reconciliation. */
  readonly requests: ReadonlyArray<{ taskId: string; agentId?: string }>;
  /** The framework's tasks the master knows (active, unreachable, or terminal but unacknowledged). */
  readonly findTask: (taskId: string) => Task | undefined;
  readonly knownTasks: () => Iterable<Task>;
  /** Standing of an agent, or of "any agent" when no id was given. */
  readonly agentStanding: (agentId: string | undefined) => AgentStanding;
  readonly unreachableSince: (agentId: string) => number | undefined;
}

const MESSAGE = 'Reconciliation: Latest task state';

function fromTask(task: Task, now: number): TaskStatus {
  const latest = task.statuses?.[task.statuses.length - 1];
  const status: TaskStatus = {
    task_id: task.task_id,
    state: task.status_update_state ?? task.state,
    source: 'SOURCE_MASTER',
    reason: 'REASON_RECONCILIATION',
    message: MESSAGE,
    agent_id: task.agent_id,
    timestamp: now / 1000,
  };
  if (task.executor_id) status.executor_id = task.executor_id;
  if (latest?.healthy !== undefined) status.healthy = latest.healthy;
  if (latest?.container_status) status.container_status = latest.container_status;
  if (status.state === 'TASK_UNREACHABLE' && latest?.unreachable_time) status.unreachable_time = latest.unreachable_time;
  return status;
}

function unknownTaskState(standing: AgentStanding, partitionAware: boolean): TaskState | undefined {
  switch (standing) {
    case 'recovering':
      return undefined; // Withheld until the agent re-registers; the client retries.
    case 'registered':
      return partitionAware ? 'TASK_GONE' : 'TASK_LOST';
    case 'unreachable':
      return partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST';
    case 'gone':
      return partitionAware ? 'TASK_GONE_BY_OPERATOR' : 'TASK_LOST';
    case 'unknown':
      return partitionAware ? 'TASK_UNKNOWN' : 'TASK_LOST';
  }
}

export function reconcileTasks(input: ReconcileInput): TaskStatus[] {
  const { now } = input;
  if (input.requests.length === 0) return [...input.knownTasks()].map((t) => fromTask(t, now));
  const out: TaskStatus[] = [];
  for (const { taskId, agentId } of input.requests) {
    const task = input.findTask(taskId);
    if (task && (agentId === undefined || task.agent_id.value === agentId)) {
      out.push(fromTask(task, now));
      continue;
    }
    const state = unknownTaskState(input.agentStanding(agentId), input.partitionAware);
    if (state === undefined) continue;
    const status: TaskStatus = {
      task_id: { value: taskId },
      state,
      source: 'SOURCE_MASTER',
      reason: 'REASON_RECONCILIATION',
      message: 'Reconciliation: Task is unknown',
      timestamp: now / 1000,
    };
    if (agentId !== undefined) status.agent_id = { value: agentId };
    const since = agentId === undefined ? undefined : input.unreachableSince(agentId);
    if (state === 'TASK_UNREACHABLE' && since !== undefined) status.unreachable_time = { nanoseconds: since * 1e6 };
    out.push(status);
  }
  return out;
}
