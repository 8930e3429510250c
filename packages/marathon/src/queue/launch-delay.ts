// Marathon's launch backoff (core/launchqueue/impl/RateLimiter.scala), as data and the time:
// delay state per (app id, lastConfigChangeAt), so scaling or restarting keeps a delay and a
// config change starts fresh. No timers: callers compare `launchableAt` with now.

export interface BackoffSpec {
  readonly backoffSeconds: number;
  readonly backoffFactor: number;
  readonly maxLaunchDelaySeconds: number;
}

export interface LaunchDelay {
  /** The current delay in ms. */
  readonly delayMs: number;
  /** When the delay was last (re)started: a failure, or the last launch that made progress. */
  readonly referenceAt: number;
}

/** Terminal conditions that grow the delay; TASK_KILLED does not (Marathon). */
const FAILURE_STATES: ReadonlySet<string> = new Set(['TASK_FAILED', 'TASK_FINISHED', 'TASK_ERROR', 'TASK_GONE', 'TASK_DROPPED', 'TASK_LOST']);
const PROGRESS_STATES: ReadonlySet<string> = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING']);

export function delayKey(appId: string, lastConfigChangeAt: string): string {
  return `${appId}\u0000${lastConfigChangeAt}`;
}

export class LaunchDelays {
  private readonly delays = new Map<string, LaunchDelay>();

  /** Applies a task state seen for an instance of the app version `key`. */
  onTaskState(key: string, spec: BackoffSpec, state: string, now: number): void {
    const current = this.delays.get(key);
    const maxMs = spec.maxLaunchDelaySeconds * 1000;
    if (FAILURE_STATES.has(state)) {
      const delayMs = current ? Math.min(current.delayMs * spec.backoffFactor, maxMs) : Math.min(spec.backoffSeconds * 1000, maxMs);
      this.delays.set(key, { delayMs, referenceAt: now });
    } else if (PROGRESS_STATES.has(state) && current) {
      this.delays.set(key, { delayMs: current.delayMs, referenceAt: now });
    }
  }

  /** When instances of `key` may be launched again (now or earlier means: go). */
  launchableAt(key: string): number {
    const d = this.delays.get(key);
    return d ? d.referenceAt + d.delayMs : Number.NEGATIVE_INFINITY;
  }

  get(key: string): LaunchDelay | undefined {
    return this.delays.get(key);
  }

  /** Restart/stop deployments and DELETE /v2/queue/{id}/delay clear an app's delay. */
  reset(appId: string): void {
    for (const key of [...this.delays.keys()]) if (key.startsWith(`${appId}\u0000`)) this.delays.delete(key);
  }

  /** Periodic cleanup: a delay with no failure for maxLaunchDelaySeconds is forgotten. */
  expire(now: number, maxLaunchDelayMs: (key: string) => number): void {
    for (const [key, d] of [...this.delays]) if (now - d.referenceAt >= maxLaunchDelayMs(key)) this.delays.delete(key);
  }

  /** The `delay` object of a /v2/queue item. */
  queueDelay(key: string, now: number): { timeLeftSeconds: number; overdue: boolean } {
    const left = Math.max(0, this.launchableAt(key) - now);
    return { timeLeftSeconds: Math.ceil(left / 1000), overdue: left === 0 };
  }
}
