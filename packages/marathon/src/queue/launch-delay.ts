// Marathon's launch backoff (core/launchqueue/impl/RateLimiter.scala), as data and the time:
// delay state per (app id, lastConfigChangeAt), so scaling or restarting keeps a delay and a
// config change starts fresh. No timers: callers compare `launchableAt` with now.

export interface BackoffSpec {
  readonly backoffSeconds: number;
  readonly backoffFactor: number;
  readonly maxLaunchDelaySeconds: number;
}

/** What a delay is kept for: an app at one configuration (its lastConfigChangeAt, else its version). */
export interface DelayedApp {
  readonly id: string;
  readonly version?: string;
  readonly versionInfo?: { readonly lastConfigChangeAt?: string };
}

export interface LaunchDelay {
  /** The current delay in ms. */
  readonly delayMs: number;
  /** When the delay was last (re)started: a failure, or the last launch that made progress. */
  readonly referenceAt: number;
}

interface StoredDelay extends LaunchDelay {
  readonly appId: string;
}

/** Terminal conditions that grow the delay; TASK_KILLED does not (Marathon). */
const FAILURE_STATES: ReadonlySet<string> = new Set(['TASK_FAILED', 'TASK_FINISHED', 'TASK_ERROR', 'TASK_GONE', 'TASK_DROPPED', 'TASK_LOST']);
const PROGRESS_STATES: ReadonlySet<string> = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING']);

/** The one definition of which configuration a delay belongs to. */
function keyOf(app: DelayedApp): string {
  return JSON.stringify([app.id, app.versionInfo?.lastConfigChangeAt ?? app.version ?? '']);
}

export class LaunchDelays {
  private readonly delays = new Map<string, StoredDelay>();

  /** Applies a task state seen for an instance of `app` (the definition it was launched from). */
  onTaskState(app: DelayedApp & BackoffSpec, state: string, now: number): void {
    const key = keyOf(app);
    const current = this.delays.get(key);
    const maxMs = app.maxLaunchDelaySeconds * 1000;
    if (FAILURE_STATES.has(state)) {
      const delayMs = current ? Math.min(current.delayMs * app.backoffFactor, maxMs) : Math.min(app.backoffSeconds * 1000, maxMs);
      this.delays.set(key, { appId: app.id, delayMs, referenceAt: now });
    } else if (PROGRESS_STATES.has(state) && current) {
      this.delays.set(key, { ...current, referenceAt: now });
    }
  }

  /** When instances of `app` may be launched again (now or earlier means: go). */
  launchableAt(app: DelayedApp): number {
    const d = this.delays.get(keyOf(app));
    return d ? d.referenceAt + d.delayMs : Number.NEGATIVE_INFINITY;
  }

  get(app: DelayedApp): LaunchDelay | undefined {
    const d = this.delays.get(keyOf(app));
    return d && { delayMs: d.delayMs, referenceAt: d.referenceAt };
  }

  /** Restart/stop deployments and DELETE /v2/queue/{id}/delay clear an app's delay. */
  reset(appId: string): void {
    for (const [key, d] of [...this.delays]) if (d.appId === appId) this.delays.delete(key);
  }

  /** Periodic cleanup: a delay with no failure for its app's maxLaunchDelaySeconds is forgotten. */
  expire(now: number, maxLaunchDelayMs: (appId: string) => number): void {
    for (const [key, d] of [...this.delays]) if (now - d.referenceAt >= maxLaunchDelayMs(d.appId)) this.delays.delete(key);
  }

  /** The `delay` object of a /v2/queue item. */
  queueDelay(app: DelayedApp, now: number): { timeLeftSeconds: number; overdue: boolean } {
    const left = Math.max(0, this.launchableAt(app) - now);
    return { timeLeftSeconds: Math.ceil(left / 1000), overdue: left === 0 };
  }
}
