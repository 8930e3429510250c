// What a run of health-check results means, as Mesos' built-in executors decide it
// (docs/health-checks.md): failures inside the grace period don't count until a check has
// succeeded once; healthiness changes are reported; `consecutive_failures` failures kill the task.
import type { HealthCheck } from '@tepui/protocol';

export interface HealthCheckOptions {
  readonly delayMs: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly consecutiveFailures: number;
  readonly gracePeriodMs: number;
}

/** Mesos' defaults for HealthCheck fields that are unset. */
export function healthCheckOptions(check: HealthCheck): HealthCheckOptions {
  return {
    delayMs: (check.delay_seconds ?? 15) * 1000,
    intervalMs: (check.interval_seconds ?? 10) * 1000,
    timeoutMs: (check.timeout_seconds ?? 20) * 1000,
    consecutiveFailures: check.consecutive_failures ?? 3,
    gracePeriodMs: (check.grace_period_seconds ?? 10) * 1000,
  };
}

export interface HealthState {
  readonly healthy: boolean | undefined;
  readonly consecutiveFailures: number;
  readonly everSucceeded: boolean;
}

export const INITIAL_HEALTH: HealthState = { healthy: undefined, consecutiveFailures: 0, everSucceeded: false };

export interface HealthDecision {
  readonly state: HealthState;
  /** Set when healthiness changed and should be reported. */
  readonly report?: boolean;
  readonly kill: boolean;
}

export function decideHealth(
  state: HealthState,
  succeeded: boolean,
  options: HealthCheckOptions,
  taskStartedAt: number,
  now: number,
): HealthDecision {
  if (succeeded) {
    const next: HealthState = { healthy: true, consecutiveFailures: 0, everSucceeded: true };
    return { state: next, report: state.healthy !== true ? true : undefined, kill: false };
  }
  const inGrace = !state.everSucceeded && now - taskStartedAt < options.gracePeriodMs;
  if (inGrace) return { state, kill: false };
  const failures = state.consecutiveFailures + 1;
  const next: HealthState = { healthy: false, consecutiveFailures: failures, everSucceeded: state.everSucceeded };
  return {
    state: next,
    report: state.healthy !== false ? false : undefined,
    kill: options.consecutiveFailures > 0 && failures >= options.consecutiveFailures,
  };
}
