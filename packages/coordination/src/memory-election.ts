// An election held in memory: the lowest live candidacy leads, as with ZooKeeper's sequential
// znodes, and a test (or an embedded cluster in one process) can end any candidacy the way a lost
// session ends it. Contenders and detectors of one MemoryElection see each other.
import type { Candidacy, LeaderContender, LeaderDetector } from './leadership';

interface Entry<Leader> {
  readonly leader: Leader;
  lostReason?: string;
  withdrawn: boolean;
  readonly elect: () => void;
  readonly lose: (reason: string) => void;
}

export class MemoryElection<Leader> {
  private readonly entries: Array<Entry<Leader>> = [];
  private readonly watchers = new Set<() => void>();

  constructor(private readonly same: (a: Leader, b: Leader) => boolean = (a, b) => a === b) {}

  contender(leader: Leader): LeaderContender {
    return {
      contend: async (): Promise<Candidacy> => {
        let elect!: () => void;
        let lose!: (reason: string) => void;
        const elected = new Promise<void>((resolve) => (elect = resolve));
        const lost = new Promise<string>((resolve) => (lose = resolve));
        const entry: Entry<Leader> = { leader, withdrawn: false, elect, lose };
        this.entries.push(entry);
        this.changed();
        return {
          elected, lost,
          fence: { revoked: () => entry.lostReason ?? (entry.withdrawn ? 'withdrawn' : undefined) },
          withdraw: async () => {
            entry.withdrawn = true;
            this.changed();
          },
        };
      },
    };
  }

  detector(): LeaderDetector<Leader> {
    return {
      current: () => this.leading()?.leader,
      detect: (previous) => new Promise((resolve) => {
        const check = (): boolean => {
          const now = this.leading()?.leader;
          if (now === undefined ? previous === undefined : previous !== undefined && this.same(now, previous)) return false;
          this.watchers.delete(watch);
          resolve(now);
          return true;
        };
        const watch = (): void => void check();
        if (!check()) this.watchers.add(watch);
      }),
      close: async () => undefined,
    };
  }

  /** The live candidacy of `leader` ends, as an expired session ends it. */
  expire(leader: Leader, reason = 'session expired'): void {
    const entry = this.entries.find((e) => this.same(e.leader, leader) && e.lostReason === undefined && !e.withdrawn);
    if (!entry) return;
    entry.lostReason = reason;
    entry.lose(reason);
    this.changed();
  }

  private leading(): Entry<Leader> | undefined {
    return this.entries.find((e) => e.lostReason === undefined && !e.withdrawn);
  }

  private changed(): void {
    this.leading()?.elect();
    for (const watch of [...this.watchers]) watch();
  }
}
