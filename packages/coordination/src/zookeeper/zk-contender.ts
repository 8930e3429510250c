// A candidacy in a ZooKeeper election (Mesos' ZooKeeperMasterContender, Curator's LeaderLatch): an
// ephemeral sequential node under the election path; the lowest sequence leads. The candidacy is
// lost when the session ends or the node goes away; the fence is the session's lease, so a leader
// cut off from ZooKeeper stops before a successor can be elected.
import type { Candidacy, LeaderContender } from '../leadership';
import { candidatesInOrder, type LeaderCodec } from './leader-codec';
import { isZkError } from './zk-errors';
import type { ZkLog, ZkSession } from './zk-session';

export class ZkContender<Leader> implements LeaderContender {
  private created: string | undefined;

  constructor(
    private readonly session: ZkSession,
    private readonly electionPath: string,
    private readonly codec: LeaderCodec<Leader>,
    private readonly self: Leader,
    private readonly log: ZkLog,
  ) {}

  /** The node of the latest candidacy. */
  node(): string | undefined {
    return this.created;
  }

  async contend(): Promise<Candidacy> {
    const { session, electionPath, codec } = this;
    await session.ensurePath(electionPath);
    const node = await session.create(`${electionPath}/${codec.nodePrefix()}`, codec.encode(this.self), { ephemeral: true, sequential: true });
    this.created = node;
    const name = node.slice(electionPath.length + 1);
    this.log.info({ node }, 'contending for leadership');

    let lostReason: string | undefined;
    let withdrawn = false;
    let resolveElected!: () => void;
    let resolveLost!: (reason: string) => void;
    const elected = new Promise<void>((resolve) => (resolveElected = resolve));
    const lost = new Promise<string>((resolve) => (resolveLost = resolve));
    const lose = (reason: string) => {
      if (lostReason !== undefined || withdrawn) return;
      lostReason = reason;
      resolveLost(reason);
    };
    void session.ended.then(lose);

    // Watch the node just ahead of ours (no herd), and our own node so a deletion is noticed.
    const check = async (): Promise<void> => {
      if (lostReason !== undefined || withdrawn) return;
      try {
        // Both asked at once (a session's requests are answered in order): one round trip, not two,
        // between the watch that fires and knowing we lead.
        const [own, children] = await Promise.all([session.exists(node, () => void check()), session.children(electionPath)]);
        if (own === undefined) return lose(`our election node ${node} was deleted`);
        const order = candidatesInOrder(codec, children);
        const at = order.indexOf(name);
        if (at < 0) return lose(`our election node ${node} was deleted`);
        if (at === 0) return resolveElected();
        const ahead = order[at - 1]!;
        if ((await session.exists(`${electionPath}/${ahead}`, () => void check())) === undefined) return check();
      } catch (err) {
        if (session.endReason() !== undefined) return; // reported through `ended`
        this.log.warn({ err: String(err), node }, 'election check failed; retrying on reconnection');
        setTimeout(() => void check(), 200).unref();
      }
    };
    await check();

    return {
      elected,
      lost,
      fence: { revoked: () => lostReason ?? (withdrawn ? 'withdrawn' : session.leaseRevoked()) },
      withdraw: async () => {
        if (withdrawn) return;
        withdrawn = true;
        try {
          await session.delete(node);
        } catch (err) {
          if (!isZkError(err, 'NONODE') && session.endReason() === undefined) this.log.warn({ err: String(err), node }, 'could not delete our election node');
        }
      },
    };
  }
}
