// The registry in ZooKeeper, shared by every master of an ensemble path: one znode holding the
// registry's JSON (`<zk path>/registry`). Each write is a transaction that checks the writer's own
// election node still exists and that the registry is at the version this master last read or
// wrote, so a deposed master's write is refused whatever it believes, and the new leader's state
// stands (Mesos fences its replicated log with the same idea: a new leader's higher proposal).
// A write whose answer never came (the connection dropped) may have landed: before the next write,
// the registry is read back and adopted when it holds exactly that write — otherwise the retry would
// meet our own write as a version conflict and refuse every write after it as if another master
// had written.
import { isZkError, type ZkCandidacyHandle } from '@tepui/coordination';
import type { Fence } from '@tepui/coordination';
import { applyRegistryOperations, EMPTY_REGISTRY, FencedWriteRefused, type MasterRegistry, type RegistryOperation, type RegistryState } from './registry';

export class ZkRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZkRegistryError';
  }
}

/** What the registry holds if a write whose answer was lost landed: its state and its bytes. */
interface InDoubtWrite {
  readonly state: RegistryState;
  readonly json: string;
}

export class ZkMasterRegistry implements MasterRegistry {
  private state: RegistryState = EMPTY_REGISTRY;
  private version = -1;
  /** A write whose outcome is unknown. */
  private inDoubt: InDoubtWrite | undefined;

  constructor(
    /** The current candidacy (its session writes; its node fences). */
    private readonly candidacy: () => ZkCandidacyHandle | undefined,
    private readonly path: string,
  ) {}

  async load(): Promise<RegistryState> {
    const handle = this.required();
    const { data, stat } = await this.readOrCreate(handle);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      throw new ZkRegistryError(`The registry in ZooKeeper (${this.path}) is not JSON; refusing to recover from it`);
    }
    this.state = { ...EMPTY_REGISTRY, ...(parsed as Partial<RegistryState>) };
    this.version = stat.version;
    this.inDoubt = undefined;
    return this.state;
  }

  async apply(ops: readonly RegistryOperation[], fence: Fence): Promise<void> {
    const revoked = fence.revoked();
    if (revoked !== undefined) throw new FencedWriteRefused(revoked);
    const handle = this.required();
    if (this.inDoubt) await this.settleInDoubt(handle, this.inDoubt);
    const next = applyRegistryOperations(this.state, ops);
    const json = JSON.stringify(next);
    try {
      await handle.session.transaction([
        { op: 'check', path: handle.node },
        { op: 'set', path: this.path, data: Buffer.from(json), version: this.version },
      ]);
    } catch (err) {
      if (isZkError(err, 'NONODE')) throw new FencedWriteRefused(`our election node ${handle.node} is gone`);
      if (isZkError(err, 'BADVERSION')) throw new FencedWriteRefused(`another master wrote the registry (${this.path}) since we read it`);
      this.inDoubt = { state: next, json };
      throw err;
    }
    this.state = next;
    this.version += 1;
  }

  /**
   * Reads the registry, creating it empty the first time. Read first: a create that finds the node
   * is still a write to ZooKeeper (a transaction through its leader, synced to disk), on the path
   * of every failover.
   */
  private async readOrCreate(handle: ZkCandidacyHandle): Promise<{ data: Buffer; stat: { version: number } }> {
    try {
      return await handle.session.get(this.path);
    } catch (err) {
      if (!isZkError(err, 'NONODE')) throw err;
    }
    try {
      await handle.session.create(this.path, Buffer.from(JSON.stringify(EMPTY_REGISTRY)), {});
    } catch (err) {
      if (!isZkError(err, 'NODEEXISTS')) throw err;
    }
    return handle.session.get(this.path);
  }

  /** Adopts a write whose answer was lost if it landed; the next write's version check settles the rest. */
  private async settleInDoubt(handle: ZkCandidacyHandle, doubt: InDoubtWrite): Promise<void> {
    const { data, stat } = await handle.session.get(this.path);
    this.inDoubt = undefined;
    // Only this master writes while its election node stands, and the next write checks that node:
    // a registry one version on holding our bytes is our write.
    if (stat.version === this.version + 1 && data.toString('utf8') === doubt.json) {
      this.state = doubt.state;
      this.version = stat.version;
    }
  }

  private required(): ZkCandidacyHandle {
    const handle = this.candidacy();
    if (!handle) throw new FencedWriteRefused('no ZooKeeper candidacy');
    return handle;
  }
}
