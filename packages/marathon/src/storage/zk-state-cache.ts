// A standby Marathon's copy of the state in ZooKeeper, kept current by watches, so that when it is
// elected it loads from memory instead of reading some ten thousand znodes one by one (1.2–1.6 s
// for 1,000 apps × 10 instances, most of a failover after the session timeout itself).
//
// Why it can be trusted: every entry was read with a watch armed, and ZooKeeper tells a session of
// a change before it answers anything that session asks after the change. A watch invalidates its
// entry as it fires, so by the time this process learns it leads (an answer that follows the old
// leader's last write), every entry that write changed is already gone from the copy; what is left
// is exactly what ZooKeeper holds. Reads of anything not (or no longer) in the copy go to ZooKeeper.
// After a reconnection the copy is dropped and read again rather than trusting what the server
// replays. The leader itself does not follow: its own writes would come back as reads.
import { isZkError, type ZkSession } from '@tepui/coordination';
import type { Cancel, Clock } from '@tepui/protocol';
import type { StandbyStateCache } from './state-store';

type Part = 'data' | 'children';

interface CachedNode {
  /** The node's data and children as last read under a watch; undefined while stale or unread. */
  data: Buffer | undefined;
  children: string[] | undefined;
  /** Bumped by every invalidation: an answer to a read sent before one is not kept. */
  readonly epoch: Record<Part, number>;
  readonly reading: Record<Part, boolean>;
  /** The children followed in the copy (full paths). */
  readonly followed: Set<string>;
}

export interface ZkStateCacheStats {
  readonly nodes: number;
  readonly hits: number;
  readonly misses: number;
}

export interface ZkStateCacheOptions {
  /** The session to follow with (the current candidacy's), while there is one. */
  readonly session: () => ZkSession | undefined;
  /** The store's root znode, e.g. `/marathon/state`. */
  readonly root: string;
  /** Which nodes (paths below the root, e.g. `/apps/%2Fweb/versions`) to follow with their subtree. */
  readonly follows: (relative: string) => boolean;
  readonly clock: Clock;
  readonly log: { warn(fields: object, message: string): void };
  /** Reads in flight at once: a standby's walk must not delay the election's own requests for long. */
  readonly maxInFlight?: number;
}

const RETRY_MS = 250;
/** How often a following cache checks that its session has not reconnected meanwhile. */
const CHECK_MS = 500;

export class ZkStateCache implements StandbyStateCache {
  private readonly nodes = new Map<string, CachedNode>();
  private readonly queue: Array<{ part: Part; path: string }> = [];
  private readonly root: string;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private following = false;
  /** The session and connection the copy was read on. */
  private basis: { session: ZkSession; connection: number } | undefined;
  private check: Cancel | undefined;
  private idle: Array<() => void> = [];
  private hits = 0;
  private misses = 0;

  constructor(private readonly options: ZkStateCacheOptions) {
    this.root = options.root.replace(/\/+$/, '');
    this.maxInFlight = options.maxInFlight ?? 64;
  }

  follow(): void {
    if (this.following) return;
    this.following = true;
    this.ensureBasis();
    const tick = () => {
      this.check = this.options.clock.setTimer(CHECK_MS, () => {
        if (!this.following) return;
        this.ensureBasis();
        tick();
      });
    };
    tick();
  }

  release(): ZkStateCacheStats {
    const stats = this.stats();
    this.following = false;
    this.check?.();
    this.check = undefined;
    this.drop();
    return stats;
  }

  stats(): ZkStateCacheStats {
    return { nodes: this.nodes.size, hits: this.hits, misses: this.misses };
  }

  /** The data of `path` as ZooKeeper holds it now, when the copy has it; undefined sends the reader to ZooKeeper. */
  data(session: ZkSession, path: string): Buffer | undefined {
    return this.count(this.usable(session) ? this.nodes.get(path)?.data : undefined);
  }

  /** The children of `path`, likewise. */
  children(session: ZkSession, path: string): string[] | undefined {
    const names = this.usable(session) ? this.nodes.get(path)?.children : undefined;
    return this.count(names ? [...names] : undefined);
  }

  /** Resolves once nothing is waiting to be read (the copy is as complete as it gets). */
  settled(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private count<T>(found: T | undefined): T | undefined {
    if (found === undefined) this.misses++;
    else this.hits++;
    return found;
  }

  /** Only for the session and connection the copy was read on. */
  private usable(session: ZkSession): boolean {
    return this.basis !== undefined && this.basis.session === session && session.endReason() === undefined
      && session.isConnected() && session.connections() === this.basis.connection;
  }

  /** Starts over on a new session or connection (or waits for one); walks the tree from the root. */
  private ensureBasis(): void {
    const session = this.options.session();
    const usable = session !== undefined && session.endReason() === undefined && session.isConnected();
    if (usable && this.basis?.session === session && this.basis.connection === session.connections()) return;
    this.drop();
    if (!usable) return;
    this.basis = { session, connection: session.connections() };
    this.track(this.root);
  }

  private drop(): void {
    this.basis = undefined;
    this.nodes.clear();
    this.queue.length = 0;
    this.wakeIfIdle();
  }

  private track(path: string): void {
    if (this.nodes.has(path)) return;
    this.nodes.set(path, { data: undefined, children: undefined, epoch: { data: 0, children: 0 }, reading: { data: false, children: false }, followed: new Set() });
    if (path !== this.root) this.nodes.get(parentOf(path))?.followed.add(path);
    this.enqueue('data', path);
    this.enqueue('children', path);
  }

  /** A node and everything below it leave the copy (deleted, or no longer followed). */
  private untrack(path: string): void {
    const node = this.nodes.get(path);
    if (!node) return;
    this.nodes.delete(path);
    if (path !== this.root) this.nodes.get(parentOf(path))?.followed.delete(path);
    for (const child of node.followed) this.untrack(child);
  }

  private invalidate(basis: ZkStateCache['basis'], part: Part, path: string): void {
    if (basis !== this.basis) return;
    const node = this.nodes.get(path);
    if (!node) return;
    node[part] = undefined;
    node.epoch[part]++;
    this.enqueue(part, path);
  }

  private enqueue(part: Part, path: string): void {
    if (!this.following) return;
    this.queue.push({ part, path });
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const { part, path } = this.queue.shift()!;
      const node = this.nodes.get(path);
      if (!node || node.reading[part] || node[part] !== undefined) continue;
      void this.read(part, path, node);
    }
    this.wakeIfIdle();
  }

  private async read(part: Part, path: string, node: CachedNode): Promise<void> {
    const basis = this.basis;
    if (!basis) return;
    const epoch = node.epoch[part];
    node.reading[part] = true;
    this.inFlight++;
    let retry = false;
    let missing = false;
    try {
      const watcher = () => this.invalidate(basis, part, path);
      if (part === 'data') {
        const { data } = await basis.session.get(path, watcher);
        if (this.current(basis, path, node, part, epoch)) node.data = data;
      } else {
        const names = await basis.session.children(path, watcher);
        if (this.current(basis, path, node, part, epoch)) this.adopt(path, node, names);
      }
    } catch (err) {
      if (isZkError(err, 'NONODE')) {
        // Gone: its parent's watch brings it back should it be created again, the root's own watch it.
        missing = true;
        if (path === this.root) {
          if (part === 'data' && this.current(basis, path, node, part, epoch)) this.watchRootCreation(basis);
        } else if (this.nodes.get(path) === node) {
          this.untrack(path);
        }
      } else {
        retry = true;
      }
    } finally {
      node.reading[part] = false;
      this.inFlight--;
    }
    if (!missing && this.nodes.get(path) === node && basis === this.basis && node[part] === undefined) {
      // Invalidated while in flight, or failed (the session may be reconnecting: ensureBasis decides).
      if (retry) this.options.clock.setTimer(RETRY_MS, () => this.enqueue(part, path));
      else this.enqueue(part, path);
    }
    this.pump();
  }

  private current(basis: ZkStateCache['basis'], path: string, node: CachedNode, part: Part, epoch: number): boolean {
    return basis === this.basis && this.nodes.get(path) === node && node.epoch[part] === epoch;
  }

  /** New children are followed, vanished ones dropped with their subtree. */
  private adopt(path: string, node: CachedNode, names: string[]): void {
    node.children = names;
    const now = new Set(names.map((name) => `${path}/${name}`));
    for (const child of [...node.followed]) if (!now.has(child)) this.untrack(child);
    for (const name of names) {
      const child = `${path}/${name}`;
      if (this.options.follows(child.slice(this.root.length))) this.track(child);
    }
  }

  /** The store's root does not exist yet (nothing stored): read it again once it is created. */
  private watchRootCreation(basis: NonNullable<ZkStateCache['basis']>): void {
    basis.session.exists(this.root, () => {
      if (basis !== this.basis) return;
      this.untrack(this.root);
      this.track(this.root);
    }).then((stat) => {
      if (stat !== undefined && basis === this.basis) {
        this.untrack(this.root);
        this.track(this.root);
      }
    }, (err: Error) => this.options.log.warn({ err: err.message }, 'standby state cache: cannot watch for the state root'));
  }

  private wakeIfIdle(): void {
    if (this.queue.length > 0 || this.inFlight > 0 || this.idle.length === 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));
