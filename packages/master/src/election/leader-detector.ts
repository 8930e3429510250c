// Who leads. Standalone masters always lead; the ZooKeeper contender/detector implements the
// same interface later so HTTP handlers only ask `leader()`.
import type { MasterInfo } from '@tepui/protocol';

export interface LeaderDetector {
  /** The current leader, or undefined while none is elected. */
  leader(): MasterInfo | undefined;
  isLeader(): boolean;
  onChange(listener: (leader: MasterInfo | undefined) => void): void;
}

export class StandaloneLeaderDetector implements LeaderDetector {
  constructor(private readonly self: MasterInfo) {}

  leader(): MasterInfo {
    return this.self;
  }

  isLeader(): boolean {
    return true;
  }

  onChange(): void {
    // A standalone master never changes leadership.
  }
}
