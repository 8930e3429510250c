// Mesos' recommended reconciliation (docs/reconciliation.md, reference §3.4): after every
// (re)subscribe, explicitly reconcile the tasks believed non-terminal, re-asking with truncated
// exponential backoff until each has an update newer than the start; and, optionally,
// reconcile implicitly (every task the master knows) on a long period.
// `ReconciliationRound` is the decision (time comes in as data); `TaskReconciler` owns the timers.
import { SystemClock, type Cancel, type Clock, type TaskStatus } from '@tepui/protocol';
import { backoffDelay, type BackoffOptions } from './backoff';
import { toId, type IdLike, type ReconcileTask } from './calls';
import { SILENT_LOGGER, type Logger } from './logger';

export interface ReconcileTarget {
  readonly taskId: IdLike;
  readonly agentId?: IdLike;
}

export const DEFAULT_RECONCILE_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 60_000, jitter: 0 };

/** One explicit reconciliation round: which tasks still await a fresh update, and when to ask again. */
export class ReconciliationRound {
  private readonly pending = new Map<string, ReconcileTask>();
  private attempt = 0;

  constructor(
    tasks: Iterable<ReconcileTarget>,
    readonly startedAt: number,
    private readonly backoff: BackoffOptions = DEFAULT_RECONCILE_BACKOFF,
  ) {
    for (const t of tasks) {
      const taskId = toId(t.taskId);
      this.pending.set(taskId.value, { task_id: taskId, ...(t.agentId !== undefined ? { agent_id: toId(t.agentId) } : {}) });
    }
  }

  get done(): boolean {
    return this.pending.size === 0;
  }

  get outstanding(): string[] {
    return [...this.pending.keys()];
  }

  /**
   * Settles the task if `status` is newer than the round: a reconciliation answer (the master
   * sends those only because we asked), or an update stamped at or after the start. Older
   * updates (an agent retrying an unacknowledged one) say nothing about the task's state now.
   */
  observe(status: TaskStatus): boolean {
    if (!this.pending.has(status.task_id.value)) return false;
    const fresh = status.reason === 'REASON_RECONCILIATION' || status.timestamp === undefined || status.timestamp * 1000 >= this.startedAt;
    if (fresh) this.pending.delete(status.task_id.value);
    return fresh;
  }

  /** The RECONCILE to send now and how long to wait before the next one; undefined once done. */
  nextRequest(random = 0): { tasks: ReconcileTask[]; retryInMs: number } | undefined {
    if (this.done) return undefined;
    return { tasks: [...this.pending.values()], retryInMs: backoffDelay(this.attempt++, this.backoff, random) };
  }
}

export interface ReconcilingDriver {
  reconcile(tasks: readonly ReconcileTask[]): Promise<void>;
}

export interface TaskReconcilerOptions {
  readonly clock?: Clock;
  readonly backoff?: Partial<BackoffOptions>;
  /** Implicit reconciliation period (e.g. 15 min); none when absent. */
  readonly implicitIntervalMs?: number;
  readonly logger?: Logger;
}

/**
 * Call `start(tasks)` from onSubscribed with the tasks you believe non-terminal, and
 * `observe(status)` from onUpdate. `settled` resolves when every task of the round answered.
 */
export class TaskReconciler {
  private round?: ReconciliationRound;
  private retryTimer?: Cancel;
  private implicitTimer?: Cancel;
  private waiters: Array<() => void> = [];
  private readonly clock: Clock;
  private readonly backoff: BackoffOptions;
  private readonly log: Logger;

  constructor(
    private readonly driver: ReconcilingDriver,
    private readonly options: TaskReconcilerOptions = {},
  ) {
    this.clock = options.clock ?? new SystemClock();
    this.backoff = { ...DEFAULT_RECONCILE_BACKOFF, ...options.backoff };
    this.log = options.logger ?? SILENT_LOGGER;
  }

  /** Starts a new round, replacing any unfinished one. */
  start(tasks: Iterable<ReconcileTarget>): void {
    this.retryTimer?.();
    this.round = new ReconciliationRound(tasks, this.clock.now(), this.backoff);
    this.ask();
    if (this.options.implicitIntervalMs !== undefined && !this.implicitTimer) this.scheduleImplicit(this.options.implicitIntervalMs);
    if (this.round.done) this.release();
  }

  observe(status: TaskStatus): void {
    if (!this.round?.observe(status) || !this.round.done) return;
    this.retryTimer?.();
    this.release();
  }

  /** Task ids of the current round still without a fresh update. */
  get outstanding(): string[] {
    return this.round?.outstanding ?? [];
  }

  /** Resolves once the current round is done (at once if there is none). */
  settled(): Promise<void> {
    if (!this.round || this.round.done) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.retryTimer?.();
    this.implicitTimer?.();
    this.implicitTimer = undefined;
  }

  private ask(): void {
    const round = this.round;
    const request = round?.nextRequest();
    if (!round || !request) return;
    this.driver.reconcile(request.tasks).catch((err: unknown) => {
      // Not subscribed right now, or the master refused: the next attempt (or the next round) asks again.
      this.log.debug({ err, tasks: request.tasks.length }, 'reconcile call failed');
    });
    this.retryTimer = this.clock.setTimer(request.retryInMs, () => {
      if (this.round === round) this.ask();
    });
  }

  private scheduleImplicit(intervalMs: number): void {
    this.implicitTimer = this.clock.setTimer(intervalMs, () => {
      this.driver.reconcile([]).catch((err: unknown) => this.log.debug({ err }, 'implicit reconcile call failed'));
      this.scheduleImplicit(intervalMs);
    });
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((resolve) => resolve());
  }
}
