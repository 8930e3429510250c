// An app's status as the list shows it. Marathon's UI (stores/AppsStore.js) derives Deploying,
// Suspended and Running from the app, then lets the launch queue override: a delay gives Delayed,
// an overdue delay Waiting. Tepui adds Unhealthy, for apps whose health checks fail, so that a
// failing app is not reported as plainly running.
import type { AppSummary, QueueSummary } from './marathon-wire';

export type AppStatus = 'running' | 'deploying' | 'suspended' | 'delayed' | 'waiting' | 'unhealthy';

/** Worst first: a group shows its worst app's status, and the list sorts by it. */
export const APP_STATUSES: readonly AppStatus[] = ['delayed', 'waiting', 'unhealthy', 'deploying', 'suspended', 'running'];

export const STATUS_LABELS: Readonly<Record<AppStatus, string>> = {
  running: 'Running', deploying: 'Deploying', suspended: 'Suspended', delayed: 'Delayed', waiting: 'Waiting', unhealthy: 'Unhealthy',
};

export function appStatus(app: AppSummary, queued: QueueSummary | undefined): AppStatus {
  if (queued && queued.count > 0) return queued.delay.overdue ? 'waiting' : 'delayed';
  if (app.deploymentIds.length > 0) return 'deploying';
  if (app.tasksUnhealthy > 0) return 'unhealthy';
  if (app.instances === 0 && app.tasksRunning === 0) return 'suspended';
  return 'running';
}

/** The worse of two statuses, in APP_STATUSES order. */
export function worseStatus(a: AppStatus, b: AppStatus): AppStatus {
  return APP_STATUSES.indexOf(a) <= APP_STATUSES.indexOf(b) ? a : b;
}
