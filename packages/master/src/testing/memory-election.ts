// An election held in memory, for tests of masters that contend: the lowest live candidacy leads,
// as with ZooKeeper's sequential znodes; a test can end any candidacy as a lost session would.
import type { Candidacy, LeaderContender, LeaderDetector } from '@tepui/coordination';
import type { MasterInfo } from '@tepui/protocol';

interface Entry {
  readonly info: MasterInfo;
  lostReason?: string;
  withdrawn: boolean;
  elect: () => void;
  lose: (reason: string) => void;
}

export class MemoryElection {
  private readonly entries: Entry[] = [];
  private readonly watchers = new Set<() => void>();

  contender(info: MasterInfo): LeaderContender {
    return {
      contend: async (): Promise<Candidacy> => {
        let elect!: () => void;
        let lose!: (reason: string) => void;
        const elected = new Promise<void>((resolve) => (elect = resolve));
        const lost = new Promise<string>((resolve) => (lose = resolve));
        const entry: Entry = { info, withdrawn: false, elect, lose };
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

  detector(): LeaderDetector<MasterInfo> {
    return {
      current: () => this.leader()?.info,
      detect: (previous) => new Promise((resolve) => {
        const check = (): boolean => {
          const now = this.leader()?.info;
          if (now?.id === previous?.id) return false;
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

  /** The candidacy of `masterId` ends as an expired session ends it. */
  expire(masterId: string, reason = 'session expired'): void {
    const entry = this.entries.find((e) => e.info.id === masterId && e.lostReason === undefined && !e.withdrawn);
    if (!entry) return;
    entry.lostReason = reason;
    entry.lose(reason);
    this.changed();
  }

  private leader(): Entry | undefined {
    return this.entries.find((e) => e.lostReason === undefined && !e.withdrawn);
  }

  private changed(): void {
    this.leader()?.elect();
    for (const watch of [...this.watchers]) watch();
  }
}
