// When a task being killed gets its SIGKILL, as Mesos' command executor decides it
// (src/launcher/executor.cpp, kill()): the first KILL starts the grace period; a later KILL can
// only shorten it (a retried KILL is a no-op, a longer grace is ignored, a shorter one brings the
// SIGKILL forward, at once when it has already run out). Pure: time comes in as `now`.
import type { KillPolicy, TaskInfo } from '@tepui/protocol';

export interface KillEscalation {
  /** When the first KILL arrived. */
  readonly startedAt: number;
  /** When the task gets SIGKILL if it is still there. */
  readonly deadline: number;
}

export interface EscalationDecision {
  readonly escalation: KillEscalation;
  /** The deadline moved (or was set): (re)schedule the SIGKILL. */
  readonly rescheduled: boolean;
}

export function escalateKill(current: KillEscalation | undefined, graceMs: number, now: number): EscalationDecision {
  if (!current) return { escalation: { startedAt: now, deadline: now + graceMs }, rescheduled: true };
  const asked = current.startedAt + graceMs;
  if (asked >= current.deadline) return { escalation: current, rescheduled: false };
  return { escalation: { startedAt: current.startedAt, deadline: Math.max(asked, now) }, rescheduled: true };
}

/** The grace period of a kill: the KILL's own policy, else the task's, else the executor's default. */
export function killGraceMs(override: KillPolicy | undefined, task: TaskInfo, defaultMs: number): number {
  const ns = override?.grace_period?.nanoseconds ?? task.kill_policy?.grace_period?.nanoseconds;
  return ns === undefined ? defaultMs : Math.max(0, ns / 1e6);
}

/**
 * Mesos' built-in executors kill their tasks on SHUTDOWN with the agent's shutdown grace period
 * less a margin (src/launcher/executor.cpp, shutdown: MAX_REAP_INTERVAL + 1 s), so that they
 * report TASK_KILLED and clean up before the agent destroys the executor.
 */
export const SHUTDOWN_MARGIN_MS = 2000;

export function shutdownKillGraceMs(shutdownGraceMs: number): number {
  return Math.max(0, shutdownGraceMs - SHUTDOWN_MARGIN_MS);
}
