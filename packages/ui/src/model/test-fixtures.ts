// Builders for the model's unit tests: an app or queue entry as Marathon would send it, decoded.
import { decodeApp, type AppSummary, type QueueSummary } from './marathon-wire';

export function app(id: string, fields: Record<string, unknown> = {}): AppSummary {
  const decoded = decodeApp({
    id, cmd: 'sleep 100', instances: 1, cpus: 0.5, mem: 64, disk: 0, labels: {}, healthChecks: [],
    tasksRunning: 1, tasksStaged: 0, tasksHealthy: 0, tasksUnhealthy: 0, deployments: [], version: '2024-05-01T10:00:00.000Z',
    ...fields,
  });
  if (!decoded) throw new Error(`fixture app ${id} did not decode`);
  return decoded;
}

export function queued(appId: string, overdue: boolean): QueueSummary {
  return { appId, count: 1, delay: { timeLeftSeconds: overdue ? 0 : 30, overdue }, processedOffers: 0, unusedOffers: 0, rejectReasons: [] };
}
