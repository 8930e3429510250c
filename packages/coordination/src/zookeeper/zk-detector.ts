// Who leads an election path (Mesos' ZooKeeperMasterDetector, Marathon standbys reading the latch):
// watches the children, reads the lowest candidate's data and reports it. A candidate node whose
// data does not decode is logged by name and treated as no leader, never as a crash. The detector
// owns its session and opens a new one when it ends, so readers (agents, schedulers) ride out
// session expiry and ZooKeeper outages on their own.
import type { LeaderDetector } from '../leadership';
import { candidatesInOrder, type LeaderCodec } from './leader-codec';
import { ZkSession, type ZkSessionOptions } from './zk-session';
import type { ZkUrl } from './zk-url';

const RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

export class ZkDetector<Leader> implements LeaderDetector<Leader> {
  private leader: Leader | undefined;
  private known = false;
  private waiters: Array<() => void> = [];
  private session: ZkSession | undefined;
  private closed = false;
  private generation = 0;
  private problem: string | undefined;

  constructor(
    private readonly url: ZkUrl,
    private readonly electionPath: string,
    private readonly codec: LeaderCodec<Leader>,
    private readonly same: (a: Leader, b: Leader) => boolean,
    private readonly options: ZkSessionOptions,
    /** A session to share (a contender's); the detector then does not reconnect or close it. */
    private readonly shared?: ZkSession,
  ) {
    void this.run();
  }

  current(): Leader | undefined {
    return this.leader;
  }

  /** Why no leader can be told right now (ZooKeeper unreachable, a garbage node), if so. */
  trouble(): string | undefined {
    return this.problem;
  }

  async detect(previous?: Leader): Promise<Leader | undefined> {
    for (;;) {
      if (this.closed) return new Promise<never>(() => undefined);
      if (this.known && !this.equal(this.leader, previous)) return this.leader;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (!this.shared) this.session?.close();
    this.notify();
  }

  private equal(a: Leader | undefined, b: Leader | undefined): boolean {
    if (a === undefined || b === undefined) return a === b;
    return this.same(a, b);
  }

  private set(leader: Leader | undefined): void {
    const changed = !this.known || !this.equal(leader, this.leader);
    this.known = true;
    this.leader = leader;
    if (changed) this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async run(): Promise<void> {
    let delay = RETRY_MS;
    while (!this.closed) {
      let session: ZkSession;
      try {
        session = this.shared ?? (await ZkSession.shared(this.url, this.options));
      } catch (err) {
        this.problem = err instanceof Error ? err.message : String(err);
        this.options.log.warn({ err: this.problem }, 'cannot detect the leader; retrying');
        this.set(undefined);
        await sleep(delay);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
        continue;
      }
      delay = RETRY_MS;
      this.session = session;
      if (this.closed) break;
      const generation = ++this.generation;
      void this.read(session, generation);
      const reason = await session.ended;
      if (this.shared) {
        this.problem = reason;
        return;
      }
      if (this.closed) return;
      this.problem = reason;
      this.options.log.warn({ reason }, 'leader detection lost its ZooKeeper session; opening a new one');
    }
  }

  private async read(session: ZkSession, generation: number): Promise<void> {
    if (this.closed || generation !== this.generation || session.endReason() !== undefined) return;
    const again = () => void this.read(session, generation);
    try {
      const children = await session.children(this.electionPath, again).catch(async (err: unknown) => {
        // No election path yet: nobody has contended. Watch for it to appear.
        if ((await session.exists(this.electionPath, again)) === undefined) return undefined;
        throw err;
      });
      if (children === undefined) {
        this.problem = `no election node ${this.electionPath} yet`;
        return this.set(undefined);
      }
      const [first] = candidatesInOrder(this.codec, children);
      if (first === undefined) {
        this.problem = undefined;
        return this.set(undefined);
      }
      const path = `${this.electionPath}/${first}`;
      let data: Buffer;
      try {
        data = (await session.get(path, again)).data;
      } catch {
        return again(); // gone between the listing and the read: list again
      }
      try {
        const leader = this.codec.decode(data);
        this.problem = undefined;
        this.set(leader);
      } catch (err) {
        this.problem = `leader node ${path} holds data that is not a leader: ${err instanceof Error ? err.message : String(err)}`;
        this.options.log.error({ node: path }, this.problem);
        this.set(undefined);
      }
    } catch (err) {
      if (session.endReason() !== undefined || this.closed) return;
      this.problem = err instanceof Error ? err.message : String(err);
      this.options.log.warn({ err: this.problem }, 'reading the election failed; retrying');
      setTimeout(again, RETRY_MS).unref();
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
