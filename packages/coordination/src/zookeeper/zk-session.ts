// One ZooKeeper session (npm `node-zookeeper-client`), with what leader election needs on top:
// typed errors, digest credentials with creator-only ACLs (world-readable, as Mesos sets them), the
// session's end as a promise, and a lease. The lease is how a leader that has been cut off stops
// acting before anyone can replace it: ZooKeeper only expires a session (and so deletes a leader's
// node) a session timeout after it last heard from the client, so while the last request this
// client *sent* and got answered is younger than that, nobody else can have been elected.
//
// Not the native `zookeeper` package: once a session of its binding has lived through a ZooKeeper
// member restarting, from the moment that session ends (closed or expired) no new session of the
// process can connect ("zookeeper_process returned no response too many times"); a master or a
// Marathon that must contend again after losing its session cannot live with that. The pure-JS
// client keeps no such state, offers multi-op transactions (fenced writes) and reconnects faster.
// Components of one process still share one session (`shared`), as Mesos' processes do.
import type { Cancel, Clock } from '@tepui/protocol';
import { SystemClock } from '@tepui/protocol';
import * as zookeeper from 'node-zookeeper-client';
import { ZK_CODES, ZkError } from './zk-errors';
import { redactZkUrl, type ZkUrl } from './zk-url';

export interface ZkLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ZkSessionOptions {
  readonly sessionTimeoutMs: number;
  /** How long to wait for the first connection before giving up (the caller decides to retry). */
  readonly connectTimeoutMs?: number;
  readonly log: ZkLog;
  readonly clock?: Clock;
}

export interface ZkStat {
  readonly version: number;
  /** The session owning an ephemeral node, as hex; '0' for persistent nodes. */
  readonly ephemeralOwner: string;
}

export type ZkWatcher = () => void;

/** The share of the session timeout a leader may act on without hearing from ZooKeeper. */
const LEASE_SHARE = 2 / 3;

export class ZkConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZkConnectError';
  }
}

const sharedSessions = new Map<string, { session: Promise<ZkSession>; users: number }>();

export class ZkSession {
  private connected = false;
  private connectCount = 0;
  private releaseShared: (() => boolean) | undefined;
  private disconnectedAt: number | undefined;
  private confirmedAt: number;
  private endedReason: string | undefined;
  private resolveEnded!: (reason: string) => void;
  private expiryTimer: Cancel | undefined;
  private heartbeat: Cancel | undefined;
  private readonly watchers = new Map<string, Set<ZkWatcher>>();
  /** Resolves with the reason once the session is over (expired, refused, closed): it never comes back. */
  readonly ended: Promise<string> = new Promise((resolve) => (this.resolveEnded = resolve));

  private constructor(
    private readonly client: zookeeper.Client,
    readonly url: ZkUrl,
    private readonly sessionTimeoutMs: number,
    private readonly clock: Clock,
    private readonly log: ZkLog,
  ) {
    this.confirmedAt = clock.now();
  }

  /**
   * The process's session to these servers (with these credentials), opened on first use; each
   * user calls `close()` once, and the session closes with its last user or when it ends.
   */
  static shared(url: ZkUrl, options: ZkSessionOptions): Promise<ZkSession> {
    const key = `${url.digest ?? ''}@${url.servers}`;
    let entry = sharedSessions.get(key);
    if (!entry) {
      const created = { session: ZkSession.connect(url, options), users: 0 };
      entry = created;
      sharedSessions.set(key, created);
      const forget = () => {
        if (sharedSessions.get(key) === created) sharedSessions.delete(key);
      };
      created.session.then((session) => {
        session.releaseShared = () => (--created.users <= 0 ? (forget(), true) : false);
        void session.ended.then(forget);
      }, forget);
    }
    entry.users += 1;
    return entry.session;
  }

  /** Opens a session; rejects with ZkConnectError when no server answers within the connect timeout. */
  static connect(url: ZkUrl, options: ZkSessionOptions): Promise<ZkSession> {
    const clock = options.clock ?? new SystemClock();
    // Operations are not retried behind our back: a sequential create retried after a lost
    // connection could leave a second candidate node.
    const client = zookeeper.createClient(url.servers, { sessionTimeout: options.sessionTimeoutMs, spinDelay: 100, retries: 0 });
    const session = new ZkSession(client, url, options.sessionTimeoutMs, clock, options.log);
    const connectTimeoutMs = options.connectTimeoutMs ?? Math.max(options.sessionTimeoutMs, 5_000);
    const where = redactZkUrl(`zk://${url.servers}`);
    return new Promise<ZkSession>((resolve, reject) => {
      let first = true;
      const timer = clock.setTimer(connectTimeoutMs, () => {
        first = false;
        session.end(`no ZooKeeper server answered within ${connectTimeoutMs} ms`);
        client.close();
        reject(new ZkConnectError(`Cannot reach ZooKeeper at ${where} within ${connectTimeoutMs} ms`));
      });
      client.on('connected', () => {
        session.onConnected();
        if (!first) return;
        first = false;
        timer();
        resolve(session);
      });
      client.on('disconnected', () => session.onDisconnected());
      client.on('expired', () => session.end('ZooKeeper session expired'));
      client.on('authenticationFailed', () => {
        session.end('ZooKeeper authentication failed');
        if (first) reject(new ZkConnectError(`ZooKeeper at ${where} refused the credentials`));
        first = false;
        timer();
      });
      if (url.digest !== undefined) client.addAuthInfo('digest', Buffer.from(url.digest));
      client.connect();
    });
  }

  /** Why this client must not act as a leader right now, or undefined while its lease holds. */
  leaseRevoked(): string | undefined {
    if (this.endedReason) return this.endedReason;
    const silentMs = this.clock.now() - this.confirmedAt;
    if (silentMs > this.leaseMs()) return `no answer from ZooKeeper for ${silentMs} ms (lease ${Math.round(this.leaseMs())} ms)`;
    return undefined;
  }

  isConnected(): boolean {
    return this.connected && this.endedReason === undefined;
  }

  /**
   * How many times this session has connected to a server: a cache that trusts watches to tell it
   * of every change starts over when this moves, rather than reason about what a reconnection missed.
   */
  connections(): number {
    return this.connectCount;
  }

  /** Why the session is over, once it is. */
  endReason(): string | undefined {
    return this.endedReason;
  }

  /** Creates `path` and its missing parents (world-readable, writable by these credentials only). */
  async ensurePath(path: string): Promise<void> {
    if (path === '/') return;
    const parts = path.split('/').slice(1);
    for (let i = 1; i <= parts.length; i++) {
      const prefix = `/${parts.slice(0, i).join('/')}`;
      if ((await this.exists(prefix)) !== undefined) continue;
      try {
        await this.create(prefix, Buffer.alloc(0), {});
      } catch (err) {
        if (!(err instanceof ZkError && err.is('NODEEXISTS'))) throw err;
      }
    }
  }

  /** Creates a node; returns its actual path (with the sequence number for sequential nodes). */
  create(path: string, data: Buffer | string, mode: { ephemeral?: boolean; sequential?: boolean }): Promise<string> {
    const createMode = mode.ephemeral
      ? (mode.sequential ? zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL : zookeeper.CreateMode.EPHEMERAL)
      : (mode.sequential ? zookeeper.CreateMode.PERSISTENT_SEQUENTIAL : zookeeper.CreateMode.PERSISTENT);
    return this.call<string>('create', path, (cb) => this.client.create(path, toBuffer(data), this.acls(), createMode, cb));
  }

  async get(path: string, watcher?: ZkWatcher): Promise<{ data: Buffer; stat: ZkStat }> {
    const [data, stat] = await this.forgetWatchOnFailure('data', path, this.call<[Buffer | undefined, zookeeper.Stat]>('get', path, (cb) =>
      this.watching('data', path, watcher) ? this.client.getData(path, this.nativeWatcher('data', path), pair(cb)) : this.client.getData(path, pair(cb))));
    return { data: data ?? Buffer.alloc(0), stat: toStat(stat) };
  }

  /** The node's stat, or undefined when it does not exist (the watcher fires on creation then). */
  async exists(path: string, watcher?: ZkWatcher): Promise<ZkStat | undefined> {
    const stat = await this.call<zookeeper.Stat | null>('exists', path, (cb) =>
      this.watching('exists', path, watcher) ? this.client.exists(path, this.nativeWatcher('exists', path), cb) : this.client.exists(path, cb));
    return stat ? toStat(stat) : undefined;
  }

  children(path: string, watcher?: ZkWatcher): Promise<string[]> {
    return this.forgetWatchOnFailure('children', path, this.call<string[]>('getChildren', path, (cb) =>
      this.watching('children', path, watcher) ? this.client.getChildren(path, this.nativeWatcher('children', path), cb) : this.client.getChildren(path, cb)));
  }

  /** Writes `data` if the node is still at `version` (-1: any); resolves with the new version. */
  async set(path: string, data: Buffer | string, version: number): Promise<number> {
    const stat = await this.call<zookeeper.Stat>('set', path, (cb) => this.client.setData(path, toBuffer(data), version, cb));
    return stat.version;
  }

  async delete(path: string, version = -1): Promise<void> {
    await this.call<void>('delete', path, (cb) => this.client.remove(path, version, cb));
  }

  /**
   * Applies the operations together or not at all; `check` operations make the whole write
   * conditional on other nodes (a fence: the writer's election node must still exist).
   */
  async transaction(ops: readonly ZkOp[]): Promise<void> {
    if (ops.length === 0) return;
    const tx = this.client.transaction();
    for (const op of ops) {
      if (op.op === 'check') tx.check(op.path, op.version ?? -1);
      else if (op.op === 'create') tx.create(op.path, op.data, this.acls(), zookeeper.CreateMode.PERSISTENT);
      else if (op.op === 'set') tx.setData(op.path, op.data, op.version ?? -1);
      else tx.remove(op.path, op.version ?? -1);
      if (op.op !== 'create' && op.version === 0) requireVersionZero(tx);
    }
    await this.call<unknown>('multi', ops[0]!.path, (cb) => tx.commit((err, results) => {
      if (!err) return cb(null, results);
      // The client reports the failed operation's own code in the results when it can.
      const failed = (results as Array<{ err?: number }> | undefined)?.find((r) => r.err !== undefined && r.err !== 0 && r.err !== ZK_CODES.RUNTIMEINCONSISTENCY);
      cb(failed?.err !== undefined ? codeError(failed.err) : err, undefined);
    }));
  }

  /** Closes the session: its ephemeral nodes go at once (a graceful handover, no timeout to wait). */
  close(): void {
    if (this.releaseShared && !this.releaseShared()) return;
    if (this.endedReason === undefined) {
      this.end('ZooKeeper session closed');
      this.client.close();
    }
  }

  /**
   * Adds `watcher` to those of (kind, path); true when the server must be asked to watch, which is
   * only once until it fires: repeated reads of one node must not pile up watches.
   */
  private watching(kind: string, path: string, watcher: ZkWatcher | undefined): boolean {
    if (!watcher) return false;
    const key = `${kind} ${path}`;
    const existing = this.watchers.get(key);
    if (existing) {
      existing.add(watcher);
      return false;
    }
    this.watchers.set(key, new Set([watcher]));
    return true;
  }

  /** A failed read set no watch on the server: the next read must ask for one again. */
  private async forgetWatchOnFailure<T>(kind: string, path: string, read: Promise<T>): Promise<T> {
    try {
      return await read;
    } catch (err) {
      this.watchers.delete(`${kind} ${path}`);
      throw err;
    }
  }

  private nativeWatcher(kind: string, path: string): () => void {
    const key = `${kind} ${path}`;
    return () => {
      const fired = this.watchers.get(key);
      this.watchers.delete(key);
      for (const watcher of fired ?? []) watcher();
    };
  }

  private acls(): zookeeper.ACL[] {
    const anyone = new zookeeper.Id('world', 'anyone');
    if (this.url.digest === undefined) return [new zookeeper.ACL(zookeeper.Permission.ALL, anyone)];
    return [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('auth', '')), new zookeeper.ACL(zookeeper.Permission.READ, anyone)];
  }

  private leaseMs(): number {
    const negotiated = this.client.getSessionTimeout();
    return Math.min(this.sessionTimeoutMs, negotiated > 0 ? negotiated : this.sessionTimeoutMs) * LEASE_SHARE;
  }

  private call<T>(operation: string, path: string, start: (cb: ZkCallback) => void): Promise<T> {
    if (this.endedReason !== undefined) return Promise.reject(new ZkError(ZK_CODES.SESSIONEXPIRED, operation, path));
    const sentAt = this.clock.now();
    return new Promise<T>((resolve, reject) => {
      start((err, result) => {
        if (!err) {
          this.confirm(sentAt);
          resolve(result as T);
          return;
        }
        const code = 'getCode' in err && typeof err.getCode === 'function' ? err.getCode() : ZK_CODES.SYSTEMERROR;
        // A definite answer from a server (the node exists, the version moved) confirms the session too.
        if (code <= ZK_CODES.APIERROR && code !== ZK_CODES.SESSIONEXPIRED) this.confirm(sentAt);
        reject(new ZkError(code, operation, path));
      });
    });
  }

  private confirm(sentAt: number): void {
    if (sentAt > this.confirmedAt) this.confirmedAt = sentAt;
  }

  private onConnected(): void {
    if (this.endedReason !== undefined) return;
    this.connectCount += 1;
    if (this.disconnectedAt !== undefined) this.log.info({ servers: this.url.servers, disconnectedMs: this.clock.now() - this.disconnectedAt }, 'reconnected to ZooKeeper (same session)');
    this.connected = true;
    this.disconnectedAt = undefined;
    this.expiryTimer?.();
    this.expiryTimer = undefined;
    this.confirm(this.clock.now());
    this.startHeartbeat();
  }

  private onDisconnected(): void {
    if (this.endedReason !== undefined || !this.connected) return;
    this.connected = false;
    this.disconnectedAt = this.clock.now();
    this.log.warn({ servers: this.url.servers }, 'disconnected from ZooKeeper; reconnecting');
    // As Mesos' group does: a session we cannot confirm for a whole timeout counts as expired
    // here too, even when no server is up to say so (a lost quorum).
    this.expiryTimer = this.clock.setTimer(this.sessionTimeoutMs, () => {
      this.end(`ZooKeeper unreachable for ${this.sessionTimeoutMs} ms (session timeout); the session is considered expired`);
      this.client.close();
    });
  }

  /** Confirms the session often enough that the lease never lapses while ZooKeeper answers. */
  private startHeartbeat(): void {
    if (this.heartbeat) return;
    const beat = () => {
      this.heartbeat = this.clock.setTimer(Math.max(50, Math.floor(this.leaseMs() / 4)), () => {
        if (this.endedReason !== undefined) return;
        if (this.connected) void this.exists('/').catch(() => undefined);
        beat();
      });
    };
    beat();
  }

  private end(reason: string): void {
    if (this.endedReason !== undefined) return;
    this.endedReason = reason;
    this.connected = false;
    this.expiryTimer?.();
    this.heartbeat?.();
    if (reason !== 'ZooKeeper session closed') this.log.error({ servers: this.url.servers, reason }, 'ZooKeeper session ended');
    this.resolveEnded(reason);
    if (reason === 'ZooKeeper session expired') this.client.close();
  }
}

type ZkFailure = Error | zookeeper.Exception;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the client's callbacks differ only in their result type
type ZkCallback = (err: ZkFailure | null | undefined, result?: any) => void;

export type ZkOp =
  | { readonly op: 'check'; readonly path: string; readonly version?: number }
  | { readonly op: 'create'; readonly path: string; readonly data: Buffer }
  | { readonly op: 'set'; readonly path: string; readonly data: Buffer; readonly version?: number }
  | { readonly op: 'delete'; readonly path: string; readonly version?: number };

const toBuffer = (data: Buffer | string): Buffer => (typeof data === 'string' ? Buffer.from(data) : data);

function toStat(raw: zookeeper.Stat): ZkStat {
  return { version: raw.version, ephemeralOwner: Buffer.isBuffer(raw.ephemeralOwner) ? raw.ephemeralOwner.toString('hex') : String(raw.ephemeralOwner) };
}

function codeError(code: number): Error {
  return Object.assign(new Error(String(code)), { getCode: () => code });
}

/** getData answers (error, data, stat); the call wrapper takes one result. */
function pair(cb: ZkCallback) {
  return (err: ZkFailure | null, data?: Buffer, stat?: zookeeper.Stat) => cb(err, [data, stat]);
}

/**
 * The client's Transaction reads a version of 0 as "any version" (`version || -1`), so a write
 * conditional on a node's first version would not be conditional at all — the fence of a registry
 * written once would not hold. Puts the 0 back on the operation just added.
 */
function requireVersionZero(tx: zookeeper.Transaction): void {
  const queued = (tx as unknown as { ops?: Array<{ version?: number }> }).ops;
  const last = queued?.[queued.length - 1];
  if (last?.version === undefined) throw new Error('node-zookeeper-client changed its Transaction: cannot make an operation conditional on version 0');
  last.version = 0;
}
