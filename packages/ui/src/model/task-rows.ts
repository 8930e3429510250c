// The app page's task table as data: one row per task with links to each host port (Marathon's
// UI shows host:port, one link per port; IP-per-task apps use the task's IP instead).
import { formatAge, formatTaskState } from './format';
import type { TaskHealth, TaskSummary } from './marathon-wire';

export interface TaskLink {
  readonly label: string;
  readonly href: string;
}

export interface TaskRow {
  readonly id: string;
  readonly host: string;
  readonly links: readonly TaskLink[];
  readonly state: string;
  readonly health: TaskHealth;
  readonly startedAt?: string;
  readonly started: string;
  readonly version?: string;
}

/** Running tasks first, then the rest; newest first within each. */
function order(a: TaskSummary, b: TaskSummary): number {
  const running = Number(b.state === 'TASK_RUNNING') - Number(a.state === 'TASK_RUNNING');
  if (running !== 0) return running;
  const at = (t: TaskSummary): string => t.startedAt ?? t.stagedAt ?? '';
  return at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : a.id < b.id ? -1 : 1;
}

export function taskLinks(task: TaskSummary): TaskLink[] {
  const address = task.ports.length === 0 && task.ipAddresses.length > 0 ? task.ipAddresses[0]! : task.host;
  const host = address.includes(':') ? `[${address}]` : address; // IPv6
  return task.ports.map((port) => ({ label: `${address}:${port}`, href: `http://${host}:${port}/` }));
}

export function taskRows(tasks: readonly TaskSummary[], now: number): TaskRow[] {
  return [...tasks].sort(order).map((t) => {
    const startedAt = t.startedAt ?? t.stagedAt;
    return {
      id: t.id,
      host: t.host,
      links: taskLinks(t),
      state: formatTaskState(t.state),
      health: t.health,
      ...(startedAt ? { startedAt } : {}),
      started: formatAge(startedAt, now),
      ...(t.version ? { version: t.version } : {}),
    };
  });
}
