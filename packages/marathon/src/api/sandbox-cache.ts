// Where each task's sandbox was found (agent address and directory), kept for a while: a sandbox
// does not move while its task lives, and a tail following a file reads every second. Entries
// expire by the clock (compared, never timed), and the oldest go first beyond a bound.
import type { Clock } from '@tepui/protocol';

export const SANDBOX_CACHE_MS = 30_000;
export const SANDBOX_CACHE_ENTRIES = 1_000;

export interface SandboxLocation {
  readonly agent: string;
  readonly sandbox: string;
}

export class SandboxCache {
  private readonly entries = new Map<string, SandboxLocation & { readonly expiresAt: number }>();

  constructor(private readonly clock: Pick<Clock, 'now'>, private readonly ttlMs = SANDBOX_CACHE_MS, private readonly maxEntries = SANDBOX_CACHE_ENTRIES) {}

  get(taskId: string): SandboxLocation | undefined {
    const entry = this.entries.get(taskId);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(taskId);
      return undefined;
    }
    return { agent: entry.agent, sandbox: entry.sandbox };
  }

  set(taskId: string, location: SandboxLocation): void {
    this.entries.delete(taskId);
    this.entries.set(taskId, { ...location, expiresAt: this.clock.now() + this.ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  forget(taskId: string): void {
    this.entries.delete(taskId);
  }
}
