// The ZooKeeper side of one process's election, ready to hand to a LeaderRole: a contender that
// waits for ZooKeeper (saying why while it cannot reach it) instead of failing, a detector, and
// the session and node of the current candidacy for writes fenced on it. Contender, detector and
// fenced stores of a process share one session (ZkSession.shared).
import type { Candidacy, LeaderContender } from '../leadership';
import { candidatesInOrder, type LeaderCodec } from './leader-codec';
import { ZkContender } from './zk-contender';
import { ZkDetector } from './zk-detector';
import { ZkSession, type ZkSessionOptions } from './zk-session';
import type { ZkUrl } from './zk-url';

const RETRY_MS = 500;
const MAX_RETRY_MS = 5_000;

export interface ZkCandidacyHandle {
  readonly session: ZkSession;
  /** This candidate's election node: a write that checks it exists is fenced on the candidacy. */
  readonly node: string;
}

export class ZkElection<Leader> {
  private waitingFor: string | undefined;
  private handle: ZkCandidacyHandle | undefined;
  private closed = false;
  private readonly sessions: ZkSession[] = [];

  constructor(
    private readonly url: ZkUrl,
    /** The election's znode (Mesos: the --zk path itself; Marathon: `<path>/leader`). */
    private readonly electionPath: string,
    private readonly codec: LeaderCodec<Leader>,
    private readonly same: (a: Leader, b: Leader) => boolean,
    private readonly options: ZkSessionOptions,
  ) {}

  /** Why this process cannot take part in the election right now (ZooKeeper unreachable, say). */
  trouble(): string | undefined {
    return this.waitingFor ?? this.handle?.session.leaseRevoked();
  }

  /** The current candidacy's session and node, while there is one. */
  candidacy(): ZkCandidacyHandle | undefined {
    return this.handle && this.handle.session.endReason() === undefined ? this.handle : undefined;
  }

  contender(self: Leader): LeaderContender {
    return {
      contend: async (): Promise<Candidacy> => {
        const session = await this.session();
        const contender = new ZkContender(session, this.electionPath, this.codec, self, this.options.log);
        const candidacy = await contender.contend();
        this.handle = { session, node: contender.node()! };
        return candidacy;
      },
    };
  }

  /**
   * Resolves once at least `count` candidates are in the election (a leader's quorum), or when the
   * candidacy ends; logs while it waits.
   */
  async awaitCandidates(count: number): Promise<void> {
    let logged = false;
    for (;;) {
      const handle = this.candidacy();
      if (!handle || this.closed) return;
      try {
        const present = candidatesInOrder(this.codec, await handle.session.children(this.electionPath)).length;
        if (present >= count) return;
        if (!logged) this.options.log.warn({ present, quorum: count }, 'elected; waiting for a quorum of contenders before acting');
        logged = true;
      } catch {
        // retried below; the candidacy's own watch reports a lost session
      }
      await new Promise((resolve) => setTimeout(resolve, 200).unref());
    }
  }

  detector(): ZkDetector<Leader> {
    return new ZkDetector(this.url, this.electionPath, this.codec, this.same, this.options);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const session of this.sessions.splice(0)) session.close();
  }

  /** The process's session, retried (and the reason kept for `trouble`) until ZooKeeper answers. */
  private async session(): Promise<ZkSession> {
    let delay = RETRY_MS;
    for (;;) {
      if (this.closed) throw new Error('the election was closed');
      try {
        const session = await ZkSession.shared(this.url, this.options);
        this.sessions.push(session);
        this.waitingFor = undefined;
        return session;
      } catch (err) {
        this.waitingFor = `waiting for ZooKeeper: ${err instanceof Error ? err.message : String(err)}`;
        this.options.log.error({ reason: this.waitingFor }, 'cannot reach ZooKeeper; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
  }
}
