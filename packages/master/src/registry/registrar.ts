// The master's writer of its registry: operations go out in the order the master decided them, each
// write fenced by this master's leadership, so that a master that lost it writes nothing more. As
// Mesos' registrar does, operations recorded while a write is in flight go together in the next
// one: the registry is one document, and writing it once per operation falls behind (a thousand
// agents registering meant a thousand writes of a growing document, minutes behind the master).
// The master does not wait for them (Mesos does, before answering an agent). A write that fails for
// another reason than the fence (ZooKeeper unreachable for a moment) is tried again, its operations
// first; once the fence is revoked they are dropped, as the next leader owns the registry.
import type { Fence } from '@tepui/coordination';
import type { Clock } from '@tepui/protocol';
import type { Logger } from 'pino';
import { FencedWriteRefused, type MasterRegistry, type RegistryOperation } from './registry';

/** How long to wait before writing again after a failed write. */
const RETRY_MS = 250;

export class Registrar {
  private pending: RegistryOperation[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly registry: MasterRegistry,
    private readonly fence: Fence,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  record(op: RegistryOperation): void {
    this.pending.push(op);
    this.writing ??= this.drain();
  }

  /** Resolves once every operation recorded so far was applied or refused. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Operations recorded in the same turn as the first go with it.
    await Promise.resolve();
    while (this.pending.length > 0) {
      const ops = this.pending;
      this.pending = [];
      try {
        await this.registry.apply(ops, this.fence);
      } catch (err) {
        const types = [...new Set(ops.map((op) => op.type))];
        if (err instanceof FencedWriteRefused) {
          this.log.error({ ops: ops.length, types, reason: err.reason }, 'registry write refused: this master no longer leads');
          continue;
        }
        this.log.error({ ops: ops.length, types, err: err instanceof Error ? err.message : String(err), retryMs: RETRY_MS }, 'registry write failed; trying again');
        this.pending = [...ops, ...this.pending];
        await new Promise<void>((resolve) => this.clock.setTimer(RETRY_MS, resolve));
      }
    }
    this.writing = undefined;
  }
}
