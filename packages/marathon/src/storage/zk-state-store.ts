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
import type { ZkStateCache } from './zk-state-cache';

/** ZooKeeper's default jute.maxbuffer is 1 MiB for a whole request; stay clear of it. */
export const DEFAULT_MAX_NODE_BYTES = 1_000_000;
/** A batch being applied in several transactions (see `journaled`). */
const JOURNAL = '#journal';

interface StagedDocument { readonly path: string; readonly manifest: ChunkManifest; readonly chunks: Buffer[] }

interface Prepared {
  /** The transaction's operations, without the fence. */
  readonly ops: ZkOp[];
  readonly touched: ReadonlyMap<string, boolean>;
  readonly puts: readonly string[];
  readonly staged: readonly StagedDocument[];
  /** About what the transaction weighs on the wire. */
  readonly bytes: number;
}

/** An operation's size on the wire: path, data, and for a create its ACLs (digest ids are long). */
const opBytes = (op: ZkOp): number => Buffer.byteLength(op.path) + ('data' in op ? op.data.length : 0) + (op.op === 'create' ? 160 : 48);

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
  /** A standby's copy of this store's tree: reads it holds are served from memory. */
  readonly cache?: ZkStateCache;
}

export class ZkStateStore implements StateStore {
  private readonly root: string;
  private readonly maxNodeBytes: number;
  /**
   * What a transaction may weigh by `opBytes`' estimate, with room to spare: ZooKeeper drops the
   * connection of a request over jute.maxbuffer, and the client sends it again, for ever.
   */
  private readonly maxTxnBytes: number;
  /** Nodes known to exist, for the candidacy they were learnt under. */
  private known = new Set<string>();
  /** Nodes found missing during the current write (only this writer creates nodes meanwhile). */
  private absent = new Set<string>();
  private knownFor: string | undefined;
  /** Keys whose node holds a chunk manifest, as last read or written. */
  private readonly chunked = new Map<string, ChunkManifest>();
  private writing: Promise<void> = Promise.resolve();
  /** A journal being applied: reads wait for it, so that none sees half a batch. */
  private replaying: Promise<void> | undefined;
  /** The journal check done for a candidacy (its latch node). */
  private recovered: { node: string; done: Promise<void> } | undefined;
  private closed = false;

  constructor(private readonly options: ZkStateStoreOptions) {
    this.root = options.root.replace(/\/+$/, '');
    this.maxNodeBytes = options.maxNodeBytes ?? DEFAULT_MAX_NODE_BYTES;
    this.maxTxnBytes = Math.floor(this.maxNodeBytes * 0.9);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const path = this.pathOf(key);
    const session = (await this.reader()).session;
    let data: Buffer;
    try {
      data = await this.read(session, path);
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
        const chunks = await Promise.all(chunkNames(manifest).map((name) => this.read(session, `${this.root}/${CHUNKS_DIR}/${name}`)));
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
      const session = (await this.reader()).session;
      const names = this.options.cache?.children(session, path) ?? await session.children(path);
      return names.filter((n) => !n.startsWith('#')).sort();
    } catch (err) {
      if (isZkError(err, 'NONODE')) return [];
      throw this.failure('list', prefix, err);
    }
  }

  private async read(session: ZkSession, path: string): Promise<Buffer> {
    return this.options.cache?.data(session, path) ?? (await session.get(path)).data;
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
      await this.apply(this.writer(), ops);
    } catch (err) {
      if (err instanceof StateStoreError) throw err;
      // What this store believed of the tree may be stale (another leader wrote meanwhile): if our
      // latch node still stands, learn the tree again and try once more.
      await this.refuseIfDeposed(err);
      this.known.clear();
      try {
        await this.apply(this.writer(), ops);
      } catch (again) {
        if (again instanceof StateStoreError) throw again;
        await this.refuseIfDeposed(again);
        throw this.failure('write', ops.map((op) => ('put' in op ? op.put : op.delete)).join(', '), again);
      }
    }
  }

  /** The candidacy to write with, checked: a lapsed lease writes nothing. */
  private writer(): ZkCandidacyHandle {
    const handle = this.handle('write');
    const revoked = handle.session.leaseRevoked();
    if (revoked !== undefined) throw new FencedWriteRefused(revoked);
    if (this.knownFor !== handle.node) {
      this.known = new Set();
      this.knownFor = handle.node;
      this.recovered = undefined;
    }
    return handle;
  }

  /** One transaction when the batch fits in one; else through the journal. */
  private async apply(handle: ZkCandidacyHandle, ops: readonly StoreOp[]): Promise<void> {
    await this.recoverJournal(handle);
    this.absent = new Set();
    await this.warm(handle.session, ops);
    const prepared = await this.prepare(handle, ops);
    if (prepared.bytes <= this.maxTxnBytes) return this.commit(handle, prepared);
    await this.journaled(handle, ops);
  }

  /**
   * A batch too large for one ZooKeeper request: its operations are written down first (chunks,
   * then a `#journal` node naming them, in one fenced transaction), then applied in transactions
   * that fit, then the journal is removed. Every operation sets or removes a whole document, so a
   * journal left by a crash is applied again from the start by the next writer before anything else.
   */
  private async journaled(handle: ZkCandidacyHandle, ops: readonly StoreOp[]): Promise<void> {
    const { manifest, chunks } = splitDocument(Buffer.from(JSON.stringify(ops)), this.maxNodeBytes);
    await this.stage(handle, [{ path: `${this.root}/${JOURNAL}`, manifest, chunks }]);
    await handle.session.transaction([{ op: 'check', path: handle.node }, { op: 'create', path: `${this.root}/${JOURNAL}`, data: encodeManifest(manifest) }]);
    await this.replay(handle, ops, manifest);
  }

  private async replay(handle: ZkCandidacyHandle, ops: readonly StoreOp[], manifest: ChunkManifest): Promise<void> {
    this.replaying = this.applyInParts(handle, ops);
    try {
      await this.replaying;
    } finally {
      this.replaying = undefined;
    }
    await handle.session.transaction([
      { op: 'check', path: handle.node },
      { op: 'delete', path: `${this.root}/${JOURNAL}` },
      ...chunkNames(manifest).map((name): ZkOp => ({ op: 'delete', path: `${this.root}/${CHUNKS_DIR}/${name}` })),
    ]);
  }

  /** Applies `ops` in order, in as many transactions as it takes (only ever under a journal). */
  private async applyInParts(handle: ZkCandidacyHandle, ops: readonly StoreOp[]): Promise<void> {
    if (ops.length === 0) return;
    // Groups that should fit, so that each is planned once; halved should one not.
    if (ops.length > 1 && ops.reduce((n, op) => n + this.estimate(op), 0) > this.maxTxnBytes) {
      let group: StoreOp[] = [];
      let bytes = 0;
      for (const op of ops) {
        if (group.length > 0 && bytes + this.estimate(op) > this.maxTxnBytes / 2) {
          await this.applyInParts(handle, group);
          group = [];
          bytes = 0;
        }
        group.push(op);
        bytes += this.estimate(op);
      }
      return this.applyInParts(handle, group);
    }
    const prepared = await this.prepare(handle, ops);
    if (prepared.bytes <= this.maxTxnBytes) return this.commit(handle, prepared);
    if (ops.length > 1) {
      const half = Math.ceil(ops.length / 2);
      await this.applyInParts(handle, ops.slice(0, half));
      await this.applyInParts(handle, ops.slice(half));
      return;
    }
    // One operation too large for one transaction (a subtree deleted, deepest nodes first): piece by piece.
    await this.stage(handle, prepared.staged);
    let piece: ZkOp[] = [];
    let bytes = 0;
    for (const op of prepared.ops) {
      if (bytes + opBytes(op) > this.maxTxnBytes && piece.length > 0) {
        await handle.session.transaction([{ op: 'check', path: handle.node }, ...piece]);
        piece = [];
        bytes = 0;
      }
      piece.push(op);
      bytes += opBytes(op);
    }
    await this.commit(handle, { ...prepared, ops: piece }, false);
  }

  /** About what an operation adds to a transaction: its node, a few parents, its document. */
  private estimate(op: StoreOp): number {
    const path = Buffer.byteLength(this.root) + Buffer.byteLength('put' in op ? op.put : op.delete);
    return 'put' in op ? Math.min(JSON.stringify(op.value)?.length ?? 4, this.maxNodeBytes) + 3 * (path + 160) : path + 48;
  }

  /** Asks ZooKeeper about every node the batch's puts need, together rather than one by one. */
  private async warm(session: ZkSession, ops: readonly StoreOp[]): Promise<void> {
    const paths = new Set<string>();
    for (const op of ops) {
      if (!('put' in op)) continue;
      const parts = op.put.split('/').slice(1);
      for (let i = 1; i <= parts.length; i++) paths.add(`${this.root}/${parts.slice(0, i).join('/')}`);
    }
    const view = this.treeView(session);
    await Promise.all([...paths].filter((p) => !this.known.has(p) && !this.absent.has(p)).map((p) => view.exists(p)));
  }

  /** A journal a previous writer left unfinished is applied before this writer reads or writes. */
  private recoverJournal(handle: ZkCandidacyHandle): Promise<void> {
    if (this.recovered?.node !== handle.node) {
      this.recovered = { node: handle.node, done: this.replayLeftJournal(handle) };
      this.recovered.done.catch(() => (this.recovered = undefined));
    }
    return this.recovered.done;
  }

  private async replayLeftJournal(handle: ZkCandidacyHandle): Promise<void> {
    let data: Buffer;
    try {
      data = (await handle.session.get(`${this.root}/${JOURNAL}`)).data;
    } catch (err) {
      if (isZkError(err, 'NONODE')) return;
      throw err;
    }
    const manifest = decodeManifest(data);
    if (!manifest) throw new StateStoreError(`The state journal in ZooKeeper (${this.root}/${JOURNAL}) holds no manifest; refusing to go on`);
    const chunks = await Promise.all(chunkNames(manifest).map(async (name) => (await handle.session.get(`${this.root}/${CHUNKS_DIR}/${name}`)).data));
    const ops = JSON.parse(joinChunks(manifest, chunks).toString('utf8')) as StoreOp[];
    await this.replay(handle, ops, manifest);
  }

  /** The transaction's operations for `ops` (without the fence), and the chunks to stage before it. */
  private async prepare(handle: ZkCandidacyHandle, ops: readonly StoreOp[]): Promise<Prepared> {
    const plan = new BatchPlan(this.treeView(handle.session));
    const staged: StagedDocument[] = [];
    const dropChunks: string[] = [];
    await this.ensurePath(handle.session, this.root);
    for (const op of ops) {
      if ('put' in op) {
        const path = this.pathOf(op.put);
        let data: Buffer = Buffer.from(JSON.stringify(op.value) ?? 'null');
        if (data.length > this.maxNodeBytes) {
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
    const txn = [...plan.ops, ...dropChunks.map((name): ZkOp => ({ op: 'delete', path: `${this.root}/${CHUNKS_DIR}/${name}` }))];
    return { ops: txn, touched: plan.touched, puts: ops.flatMap((op) => ('put' in op ? [this.pathOf(op.put)] : [])), staged, bytes: txn.reduce((n, op) => n + opBytes(op), 0) };
  }

  /** Chunks go first, where nothing reads them until a transaction points a manifest at them. */
  private async stage(handle: ZkCandidacyHandle, staged: readonly StagedDocument[]): Promise<void> {
    if (staged.length > 0) await this.ensurePath(handle.session, `${this.root}/${CHUNKS_DIR}`);
    for (const s of staged) {
      for (const [i, name] of chunkNames(s.manifest).entries()) await handle.session.create(`${this.root}/${CHUNKS_DIR}/${name}`, s.chunks[i]!, {});
    }
  }

  /** Stages the chunks, then runs the transaction fenced on the latch node, then learns what it did. */
  private async commit(handle: ZkCandidacyHandle, prepared: Prepared, stage = true): Promise<void> {
    if (stage) await this.stage(handle, prepared.staged);
    try {
      await handle.session.transaction([{ op: 'check', path: handle.node }, ...prepared.ops]);
    } catch (err) {
      for (const s of prepared.staged) for (const name of chunkNames(s.manifest)) void handle.session.delete(`${this.root}/${CHUNKS_DIR}/${name}`).catch(() => undefined);
      throw err;
    }
    for (const [path, exists] of prepared.touched) {
      this.absent.delete(path);
      if (exists) this.known.add(path);
      else {
        this.known.delete(path);
        this.chunked.delete(path);
      }
    }
    for (const path of prepared.puts) this.chunked.delete(path);
    for (const s of prepared.staged) this.chunked.set(s.path, s.manifest);
  }

  private treeView(session: ZkSession): ZkTreeView {
    return {
      exists: async (path) => {
        if (this.known.has(path)) return true;
        if (this.absent.has(path)) return false;
        const exists = (await session.exists(path)) !== undefined;
        (exists ? this.known : this.absent).add(path);
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

  /** Reads see whole batches: after a left journal is applied, and not while one is. */
  private async reader(): Promise<ZkCandidacyHandle> {
    const handle = this.handle('read');
    if (this.replaying) await this.replaying.catch(() => undefined);
    else if (this.recovered?.node !== handle.node && handle.session.leaseRevoked() === undefined) await this.recoverJournal(this.writer());
    return handle;
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
