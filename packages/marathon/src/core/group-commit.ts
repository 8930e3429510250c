// Coalesces many small state writes into one StateStore batch. Status updates arrive by the
// thousand during a large deployment; writing each on its own would put one fsync per task on the
// critical path. Callers await `write`, which resolves once their change is durable, so Mesos
// acknowledgements and launches still happen only after the state they depend on is stored.
import type { StateStore } from '../storage/state-store';

type Op = { put: string; value: unknown } | { delete: string };

export class GroupCommit {
  private pending = new Map<string, Op>();
  private waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly store: StateStore) {}

  put(key: string, value: unknown): Promise<void> {
    return this.enqueue(key, { put: key, value });
  }

  delete(key: string): Promise<void> {
    return this.enqueue(key, { delete: key });
  }

  /** Resolves when everything queued so far is stored. */
  async drain(): Promise<void> {
    while (this.flushing || this.pending.size > 0) {
      if (this.flushing) await this.flushing.catch(() => undefined);
      else this.schedule();
    }
  }

  private enqueue(key: string, op: Op): Promise<void> {
    // A later write to the same key replaces the earlier one: only the newest state matters.
    this.pending.delete(key);
    this.pending.set(key, op);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.schedule();
    return done;
  }

  private schedule(): void {
    if (this.flushing || this.pending.size === 0) return;
    this.flushing = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  private async flush(): Promise<void> {
    const ops = [...this.pending.values()];
    const waiters = this.waiters;
    this.pending = new Map();
    this.waiters = [];
    try {
      await this.store.batch(ops);
      for (const w of waiters) w.resolve();
    } catch (err) {
      for (const w of waiters) w.reject(err as Error);
    } finally {
      this.flushing = undefined;
      this.schedule();
    }
  }
}
