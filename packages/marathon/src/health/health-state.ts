// Marathon-side health checks as data (core/health/impl/HealthCheckActor.scala): each result of a
// check on an instance updates its `healthCheckResults` entry and yields the events and the kill
// Marathon would emit. Pure: results and time come in, a decision comes out.
import type { AppHealthCheck, MarathonHealthCheckResult } from '@tepui/protocol';

export interface HealthCheckDefaults {
  readonly gracePeriodMs: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly maxConsecutiveFailures: number;
}

export function healthCheckDefaults(check: AppHealthCheck): HealthCheckDefaults {
  return {
    gracePeriodMs: (check.gracePeriodSeconds ?? 300) * 1000,
    intervalMs: (check.intervalSeconds ?? 60) * 1000,
    timeoutMs: (check.timeoutSeconds ?? 20) * 1000,
    maxConsecutiveFailures: check.maxConsecutiveFailures ?? 3,
  };
}

/** Whether Marathon itself runs this check (the rest run in the executor and arrive in status updates). */
export function isMarathonSideCheck(check: AppHealthCheck): boolean {
  const protocol = check.protocol ?? 'HTTP';
  return protocol === 'HTTP' || protocol === 'HTTPS' || protocol === 'TCP';
}

/** One entry of a task's `healthCheckResults`, in Marathon's JSON shape. */
export type HealthResult = MarathonHealthCheckResult;

export function initialHealth(instanceId: string): HealthResult {
  return { alive: false, consecutiveFailures: 0, firstSuccess: null, lastSuccess: null, lastFailure: null, lastFailureCause: null, instanceId };
}

export type CheckOutcome = { ok: true } | { ok: false; cause: string } | { ignored: true };

export interface HealthDecision {
  readonly result: HealthResult;
  /** alive changed: emit health_status_changed_event. */
  readonly aliveChanged: boolean;
  /** A counted failure: emit failed_health_check_event. */
  readonly failed: boolean;
  /** Kill the instance (unhealthy_instance_kill_event) with this reason. */
  readonly kill?: string;
}

export function applyCheckOutcome(
  previous: HealthResult,
  outcome: CheckOutcome,
  options: HealthCheckDefaults,
  instanceStartedAt: number,
  now: number,
): HealthDecision {
  if ('ignored' in outcome) return { result: previous, aliveChanged: false, failed: false };
  const at = new Date(now).toISOString();
  if (outcome.ok) {
    const result: HealthResult = { ...previous, alive: true, consecutiveFailures: 0, firstSuccess: previous.firstSuccess ?? at, lastSuccess: at };
    return { result, aliveChanged: !previous.alive, failed: false };
  }
  const inGrace = previous.firstSuccess === null && now - instanceStartedAt < options.gracePeriodMs;
  if (inGrace) return { result: previous, aliveChanged: false, failed: false };
  // The (max+1)-th failure in a row kills: the count already equals the maximum when it arrives.
  const kill = options.maxConsecutiveFailures > 0 && previous.consecutiveFailures >= options.maxConsecutiveFailures ? outcome.cause : undefined;
  const result: HealthResult = { ...previous, alive: false, consecutiveFailures: previous.consecutiveFailures + 1, lastFailure: at, lastFailureCause: outcome.cause };
  return { result, aliveChanged: previous.alive, failed: true, ...(kill !== undefined ? { kill } : {}) };
}

/** Marathon starts checking after min(interval, 5 s). */
export function firstCheckDelayMs(options: HealthCheckDefaults): number {
  return Math.min(options.intervalMs, 5000);
}
