// The master's writer of its registry: operations go out in the order the master decided them, each
// fenced by this master's leadership, so that a master that lost it writes nothing more. The master
// does not wait for them (Mesos does, before answering an agent); a failed write is logged.
import type { Fence } from '@tepui/coordination';
import type { Logger } from 'pino';
import { FencedWriteRefused, type MasterRegistry, type RegistryOperation } from './registry';

export class Registrar {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly registry: MasterRegistry,
    private readonly fence: Fence,
    private readonly log: Logger,
  ) {}

  record(op: RegistryOperation): void {
    this.chain = this.chain
      .then(() => this.registry.apply(op, this.fence))
      .catch((err: unknown) => {
        if (err instanceof FencedWriteRefused) this.log.error({ op: op.type, reason: err.reason }, 'registry write refused: this master no longer leads');
        else this.log.error({ op: op.type, err: err instanceof Error ? err.message : String(err) }, 'registry write failed');
      });
  }

  /** Resolves once every operation recorded so far was applied or refused. */
  flushed(): Promise<void> {
    return this.chain;
  }
}
