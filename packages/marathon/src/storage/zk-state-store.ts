// Marathon's state in ZooKeeper (`--zk=zk://…/marathon`: documents under `<path>/state`), for
// Marathons in one election. Every batch is one ZooKeeper transaction that also checks this
// Marathon's own leader-latch node: once it is gone (the session expired, the leader abdicated) the
// whole write is refused, so a deposed leader that has not noticed yet cannot overwrite its
// successor's state. A leader whose session lease has lapsed does not even try.
//
// Documents are JSON in the key's node; those too large for a znode are chunked (zk-chunks.ts).
import { isZkError, type ZkCandidacyHandle, type ZkOp, type ZkSession } from '@tepui/coordination';
import { BatchPlan, type ZkTreeView } from './zk-batch-plan';
import { CHUNKS_DIR, chunkNames, decodeManifest, encodeManifest, joinChunks, splitDocument, type ChunkManifest } from './zk-chunks';
import { checkKey, StateStoreError, type StateStore, type StoreOp } from './state-store';

/** ZooKeeper's default jute.maxbuffer is 1 MiB for a whole request; stay clear of it. */
export const DEFAULT_MAX_NODE_BYTES = 1_000_000;

export class FencedWriteRefused extends StateStoreError {
  constructor(reason: string) {
    super(`State write refused: this Marathon no longer leads (${reason})`);
    this.name = 'FencedWriteRefused';
  }
}

export interface ZkStateStoreOptions {
  /** The current candidacy: its session reads and writes, its latch node fences writes. */
  readonly candidacy: () => ZkCandidacyHandle | undefined;
  /** The store's znode, e.g. `/marathon/state`. */
  readonly root: string;
  /** Largest node written, and largest transaction (Marathon: --zk_max_node_size). */
  readonly maxNodeBytes?: number;
}

export class ZkStateStore implements StateStore {
  private readonly root: string;
  private readonly maxNodeBytes: number;
  /** Nodes known to exist, for the candidacy they were learnt under. */
  private known = new Set<string>();
  private knownFor: string | undefined;
  /** Keys whose node holds a chunk manifest, as last read or written. */
  private readonly chunked = new Map<string, ChunkManifest>();
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: ZkStateStoreOptions) {
    this.root = options.root.replace(/\/+$/, '');
    this.maxNodeBytes = options.maxNodeBytes ?? DEFAULT_MAX_NODE_BYTES;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const path = this.pathOf(key);
    const session = this.handle('read').session;
    let data: Buffer;
    try {
      data = (await session.get(path)).data;
    } catch (err) {
      if (isZkError(err, 'NONODE')) return undefined;
      throw this.failure('read', key, err);
    }
    if (data.length === 0) return undefined; // a parent of other keys, no document of its own
    let manifest: ChunkManifest | undefined;
    try {
      manifest = decodeManifest(data);
      if (manifest) {
        this.chunked.set(path, manifest);
        const chunks = await Promise.all(chunkNames(manifest).map(async (name) => (await session.get(`${this.root}/${CHUNKS_DIR}/${name}`)).data));
        data = joinChunks(manifest, chunks);
      } else {
        this.chunked.delete(path);
      }
      return JSON.parse(data.toString('utf8')) as T;
    } catch (err) {
      throw new StateStoreError(`State key '${key}' in ZooKeeper (${path}) does not hold a readable document: ${err instanceof Error ? err.message : String(err)}`, key);
    }
  }

  put(key: string, value: unknown): Promise<void> {
    return this.batch([{ put: key, value }]);
  }

  delete(key: string): Promise<void> {
    return this.batch([{ delete: key }]);
  }

  async children(prefix: string): Promise<string[]> {
    const path = prefix === '/' ? this.root : this.pathOf(prefix);
    try {
      const names = await this.handle('read').session.children(path);
      return names.filter((n) => !n.startsWith('#')).sort();
    } catch (err) {
      if (isZkError(err, 'NONODE')) return [];
      throw this.failure('list', prefix, err);
    }
  }

  /** One batch at a time: each plans against what the previous one left. */
  batch(ops: readonly StoreOp[]): Promise<void> {
    const run = this.writing.then(() => this.write(ops));
    this.writing = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
  }

  private async write(ops: readonly StoreOp[]): Promise<void> {
    if (this.closed) throw new StateStoreError('State store is closed');
    if (ops.length === 0) return;
    for (const op of ops) checkKey('put' in op ? op.put : op.delete);
    try {
      await this.attempt(ops);
    } catch (err) {
      if (err instanceof StateStoreError) throw err;
      // What this store believed of the tree may be stale (another leader wrote meanwhile): if our
      // latch node still stands, learn the tree again and try once more.
      await this.refuseIfDeposed(err);
      this.known.clear();
      try {
        await this.attempt(ops);
      } catch (again) {
        if (again instanceof StateStoreError) throw again;
        await this.refuseIfDeposed(again);
        throw this.failure('write', ops.map((op) => ('put' in op ? op.put : op.delete)).join(', '), again);
      }
    }
  }

  private async attempt(ops: readonly StoreOp[]): Promise<void> {
    const handle = this.handle('write');
    const revoked = handle.session.leaseRevoked();
    if (revoked !== undefined) throw new FencedWriteRefused(revoked);
    if (this.knownFor !== handle.node) {
      this.known = new Set();
      this.knownFor = handle.node;
    }
    const plan = new BatchPlan(this.treeView(handle.session));
    const { documents, forceChunks } = this.serialise(ops);
    const staged: Array<{ path: string; manifest: ChunkManifest; chunks: Buffer[] }> = [];
    const dropChunks: string[] = [];
    await this.ensureRoot(handle.session);
    for (const [n, op] of ops.entries()) {
      if ('put' in op) {
        const path = this.pathOf(op.put);
        let data = documents[n]!;
        if (data.length > this.maxNodeBytes || forceChunks.has(n)) {
          const split = splitDocument(data, this.maxNodeBytes);
          staged.push({ path, ...split });
          data = encodeManifest(split.manifest);
        }
        const old = this.chunked.get(path);
        if (old) dropChunks.push(...chunkNames(old));
        await plan.put(this.root, path, data);
      } else {
        for (const gone of await plan.delete(this.pathOf(op.delete))) {
          const old = this.chunked.get(gone);
          if (old) dropChunks.push(...chunkNames(old));
        }
      }
    }
    // Chunks go first, where nothing reads them until the transaction points a manifest at them.
    if (staged.length > 0) await this.ensurePath(handle.session, `${this.root}/${CHUNKS_DIR}`);
    for (const s of staged) {
      for (const [i, name] of chunkNames(s.manifest).entries()) await handle.session.create(`${this.root}/${CHUNKS_DIR}/${name}`, s.chunks[i]!, {});
    }
    const txn: ZkOp[] = [{ op: 'check', path: handle.node }, ...plan.ops, ...dropChunks.map((name): ZkOp => ({ op: 'delete', path: `${this.root}/${CHUNKS_DIR}/${name}` }))];
    try {
      await handle.session.transaction(txn);
    } catch (err) {
      for (const s of staged) for (const name of chunkNames(s.manifest)) void handle.session.delete(`${this.root}/${CHUNKS_DIR}/${name}`).catch(() => undefined);
      throw err;
    }
    for (const [path, exists] of plan.touched) {
      if (exists) this.known.add(path);
      else {
        this.known.delete(path);
        this.chunked.delete(path);
      }
    }
    for (const op of ops) if ('put' in op) this.chunked.delete(this.pathOf(op.put));
    for (const s of staged) this.chunked.set(s.path, s.manifest);
  }

  /** Each put's document, and which ones (by index) go to chunks so that the transaction stays small enough. */
  private serialise(ops: readonly StoreOp[]): { documents: Array<Buffer | undefined>; forceChunks: Set<number> } {
    const documents = ops.map((op) => ('put' in op ? Buffer.from(JSON.stringify(op.value) ?? 'null') : undefined));
    // Inline documents share one request: move the largest to chunks until the rest fit.
    const forceChunks = new Set<number>();
    const order = documents.map((d, n) => [d?.length ?? 0, n] as const).sort((a, b) => b[0] - a[0]);
    let inline = documents.reduce((sum, d) => sum + (d && d.length <= this.maxNodeBytes ? d.length : 0), 0);
    for (const [size, n] of order) {
      if (inline <= this.maxNodeBytes) break;
      if (size > this.maxNodeBytes) continue; // chunked anyway
      forceChunks.add(n);
      inline -= size;
    }
    return { documents, forceChunks };
  }

  private treeView(session: ZkSession): ZkTreeView {
    return {
      exists: async (path) => {
        if (this.known.has(path)) return true;
        const exists = (await session.exists(path)) !== undefined;
        if (exists) this.known.add(path);
        return exists;
      },
      descendants: async (path) => {
        const found: string[] = [];
        const walk = async (node: string): Promise<void> => {
          let names: string[];
          try {
            names = await session.children(node);
          } catch (err) {
            if (isZkError(err, 'NONODE')) return;
            throw err;
          }
          await Promise.all(names.map(async (name) => {
            found.push(`${node}/${name}`);
            await walk(`${node}/${name}`);
          }));
        };
        await walk(path);
        return found;
      },
    };
  }

  private async ensureRoot(session: ZkSession): Promise<void> {
    await this.ensurePath(session, this.root);
  }

  private async ensurePath(session: ZkSession, path: string): Promise<void> {
    if (this.known.has(path)) return;
    await session.ensurePath(path);
    this.known.add(path);
  }

  private async refuseIfDeposed(err: unknown): Promise<void> {
    const handle = this.options.candidacy();
    if (!handle) throw new FencedWriteRefused('the ZooKeeper candidacy ended');
    const revoked = handle.session.leaseRevoked();
    if (revoked !== undefined) throw new FencedWriteRefused(revoked);
    let latchStands: boolean;
    try {
      latchStands = (await handle.session.exists(handle.node)) !== undefined;
    } catch {
      throw this.failure('write', handle.node, err);
    }
    if (!latchStands) throw new FencedWriteRefused(`its leader latch node ${handle.node} is gone`);
  }

  private handle(what: 'read' | 'write'): ZkCandidacyHandle {
    if (this.closed) throw new StateStoreError('State store is closed');
    const handle = this.options.candidacy();
    if (!handle) {
      if (what === 'write') throw new FencedWriteRefused('no ZooKeeper candidacy');
      throw new StateStoreError('State store has no ZooKeeper session (not a candidate)');
    }
    return handle;
  }

  private pathOf(key: string): string {
    checkKey(key);
    return `${this.root}${key}`;
  }

  private failure(what: string, key: string, err: unknown): StateStoreError {
    return new StateStoreError(`Could not ${what} '${key}' in ZooKeeper: ${err instanceof Error ? err.message : String(err)}`, key);
  }
}
