// Marathon's task JSON (types/task.raml), as `/v2/tasks`, `/v2/apps/{id}/tasks` and
// `/v2/apps?embed=apps.tasks` serve it; load balancers and DNS read it.
import type { AppDefinition } from './app-definition';

/** One entry of a task's `healthCheckResults`. */
export interface MarathonHealthCheckResult {
  alive: boolean;
  consecutiveFailures: number;
  firstSuccess: string | null;
  lastSuccess: string | null;
  lastFailure: string | null;
  lastFailureCause: string | null;
  instanceId: string;
}

export interface MarathonTaskJson {
  id: string;
  appId: string;
  host: string;
  slaveId: string;
  /** A Mesos task state; TASK_KILLING as soon as Marathon has decided to kill it. */
  state: string;
  stagedAt?: string;
  startedAt?: string;
  version?: string;
  /** Host ports, in the order of the app's port definitions or mappings. */
  ports?: number[];
  servicePorts: number[];
  ipAddresses: Array<{ ipAddress: string; protocol: string }>;
  healthCheckResults: MarathonHealthCheckResult[];
  localVolumes: unknown[];
  role: string;
}

/** An app of `GET /v2/apps?embed=apps.tasks`. */
export type MarathonAppWithTasks = AppDefinition & { tasks?: MarathonTaskJson[] };
