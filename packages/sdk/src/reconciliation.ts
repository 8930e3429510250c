// Mesos' recommended reconciliation (docs/reconciliation.md): after every (re)subscribe,
// explicitly reconcile the tasks believed non-terminal, backing off, until each has an update
// newer than the start; optionally, implicit reconciliation on a period.
import type { AgentID, Cancel, Clock, TaskStatus } from '@tepui/protocol';
import { Backoff } from './backoff';

export interface ReconcilableDriver {
  reconcile(tasks: ReadonlyArray<{ task_id: { value: string }; agent_id?: AgentID }>): Promise<void>;
}

export interface ReconcilerOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  /** Implicit reconciliation period; none when absent. */
  readonly implicitEveryMs?: number;
}

export class TaskReconciler {
  private pending = new Map<string, AgentID | undefined>();
  private timer?: Cancel;
  private implicitTimer?: Cancel;
  private backoff: Backoff;

  constructor(
    private readonly driver: ReconcilableDriver,
    private readonly clock: Clock,
    private readonly options: ReconcilerOptions = {},
  ) {
    this.backoff = new Backoff({ initialMs: options.initialMs ?? 1000, maxMs: options.maxMs ?? 60_000 }, () => 1);
  }

  /** Starts a round for these tasks (call it from the `subscribed` handler). */
  start(tasks: ReadonlyArray<{ taskId: string; agentId?: AgentID }>): void {
    this.pending = new Map(tasks.map((t) => [t.taskId, t.agentId]));
    this.backoff.reset();
    this.timer?.();
    this.round();
    if (this.options.implicitEveryMs !== undefined && !this.implicitTimer) this.scheduleImplicit();
  }

  /** Feed every status update here; a task stops being pending once anything about it arrives. */
  observe(status: TaskStatus): void {
    this.pending.delete(status.task_id.value);
    if (this.pending.size === 0) this.timer?.();
  }

  get outstanding(): string[] {
    return [...this.pending.keys()];
  }

  stop(): void {
    this.timer?.();
    this.implicitTimer?.();
  }

  private round(): void {
    if (this.pending.size === 0) return;
    const tasks = [...this.pending].map(([id, agent]) => ({ task_id: { value: id }, ...(agent ? { agent_id: agent } : {}) }));
    void this.driver.reconcile(tasks).catch(() => undefined);
    this.timer = this.clock.setTimer(this.backoff.next(), () => this.round());
  }

  private scheduleImplicit(): void {
    this.implicitTimer = this.clock.setTimer(this.options.implicitEveryMs!, () => {
      void this.driver.reconcile([]).catch(() => undefined);
      this.scheduleImplicit();
    });
  }
}
