// A detector whose leader is set by hand: for tests of everything that follows a leader (agents,
// frameworks, DNS, the load balancer), and for tools told the leader by other means.
import type { LeaderDetector } from './leadership';

export class ManualLeaderDetector<Leader> implements LeaderDetector<Leader> {
  private leader: Leader | undefined;
  private readonly waiting = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly same: (a: Leader, b: Leader) => boolean = (a, b) => a === b,
    initial?: Leader,
  ) {
    this.leader = initial;
  }

  current(): Leader | undefined {
    return this.leader;
  }

  /** Names a new leader (undefined: none). */
  set(leader: Leader | undefined): void {
    this.leader = leader;
    for (const wake of [...this.waiting]) wake();
  }

  async detect(previous?: Leader): Promise<Leader | undefined> {
    while (!this.closed && this.equal(this.leader, previous)) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiting.delete(wake);
          resolve();
        };
        this.waiting.add(wake);
      });
    }
    return this.leader;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waiting]) wake();
  }

  private equal(a: Leader | undefined, b: Leader | undefined): boolean {
    return a === undefined || b === undefined ? a === b : this.same(a, b);
  }
}
