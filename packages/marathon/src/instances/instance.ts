// What Marathon knows of one instance of an app: where it runs, its Mesos task, its state and
// health. Stored in the repository and rendered as Marathon's task JSON.
import type { TaskState, UnreachableStrategy } from '@tepui/protocol';
import type { HealthResult } from '../health/health-state';
import type { PlacedInstance } from '../scheduling/constraints';

/** Running: keep it alive (replace it when it fails); Decommissioned: being killed, never replaced. */
export type InstanceGoal = 'Running' | 'Decommissioned';

export interface Instance {
  readonly instanceId: string;
  readonly appId: string;
  /** The app version this instance runs. */
  readonly version: string;
  readonly taskId: string;
  readonly agentId: string;
  readonly host: string;
  state: TaskState;
  stagedAt: string;
  startedAt?: string;
  /** Host ports, one per port definition / mapping with a host port. */
  readonly ports: number[];
  ipAddresses: Array<{ ipAddress: string; protocol: 'IPv4' | 'IPv6' }>;
  healthCheckResults: HealthResult[];
  /** `healthy` from the last Mesos status, for Mesos-side (executor) health checks. */
  mesosHealthy?: boolean;
  readonly role: string;
  goal: InstanceGoal;
  /** The agent it sits on, as constraints compare it. */
  readonly placement: PlacedInstance;
  /** When Marathon last asked Mesos to kill it; kills are re-sent until a terminal update arrives. */
  killSentAt?: number;
  /** When Mesos reported it TASK_UNREACHABLE (cleared when it comes back). */
  unreachableSince?: string;
}

/** Known bad: a health check counted a failure, or Mesos reported it unhealthy (unknown is not failing). */
export function isFailing(instance: Instance): boolean {
  if (instance.mesosHealthy !== undefined) return !instance.mesosHealthy;
  return instance.healthCheckResults.some((r) => r.consecutiveFailures > 0);
}

/**
 * Where an unreachable instance stands under its app's unreachableStrategy (reference §1.1):
 * still counted (`unreachable`), replaced but remembered (`inactive`), or to be forgotten (`expunge`).
 */
export function unreachablePhase(i: Instance, strategy: UnreachableStrategy, now: number): 'reachable' | 'unreachable' | 'inactive' | 'expunge' {
  if (i.state !== 'TASK_UNREACHABLE' || i.unreachableSince === undefined) return 'reachable';
  if (strategy === 'disabled') return 'unreachable';
  const elapsed = now - Date.parse(i.unreachableSince);
  if (elapsed >= strategy.expungeAfterSeconds * 1000) return 'expunge';
  if (elapsed >= strategy.inactiveAfterSeconds * 1000) return 'inactive';
  return 'unreachable';
}

/** Marathon's instance condition for a Mesos task state (instance_changed_event). */
export function conditionOf(state: TaskState): string {
  const table: Partial<Record<TaskState, string>> = {
    TASK_STAGING: 'Staging', TASK_STARTING: 'Starting', TASK_RUNNING: 'Running', TASK_KILLING: 'Killing',
    TASK_KILLED: 'Killed', TASK_FINISHED: 'Finished', TASK_FAILED: 'Failed', TASK_ERROR: 'Error', TASK_GONE: 'Gone',
    TASK_DROPPED: 'Dropped', TASK_UNREACHABLE: 'Unreachable', TASK_LOST: 'Unreachable', TASK_GONE_BY_OPERATOR: 'Gone',
    TASK_UNKNOWN: 'Unknown',
  };
  return table[state] ?? 'Unknown';
}

/** Healthy as Marathon counts it: every health result alive (Marathon-side), or Mesos said healthy. */
export function isHealthy(instance: Instance, checks: number): boolean | undefined {
  if (checks === 0) return undefined;
  if (instance.mesosHealthy !== undefined) return instance.mesosHealthy;
  if (instance.healthCheckResults.length === 0) return undefined;
  return instance.healthCheckResults.every((r) => r.alive);
}
