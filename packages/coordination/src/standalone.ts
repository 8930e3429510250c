// Leadership without a coordination service: the one master (or Marathon) leads from the start and
// for good; a detector of a fixed leader never changes its answer.
import type { Candidacy, LeaderContender, LeaderDetector } from './leadership';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

export class StandaloneContender implements LeaderContender {
  async contend(): Promise<Candidacy> {
    let withdrawn: string | undefined;
    return {
      elected: Promise.resolve(),
      lost: never<string>(),
      fence: { revoked: () => withdrawn },
      withdraw: async () => {
        withdrawn = 'withdrawn';
      },
    };
  }
}

/** Always the same leader (a single master given by address). */
export class FixedLeaderDetector<Leader> implements LeaderDetector<Leader> {
  constructor(
    private readonly leader: Leader,
    private readonly same: (a: Leader, b: Leader) => boolean = (a, b) => a === b,
  ) {}

  current(): Leader {
    return this.leader;
  }

  async detect(previous?: Leader): Promise<Leader> {
    if (previous === undefined || !this.same(previous, this.leader)) return this.leader;
    return never<Leader>();
  }

  async close(): Promise<void> {}
}
