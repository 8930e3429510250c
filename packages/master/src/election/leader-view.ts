// What the HTTP layer and the agent channel need to know about leadership; the master's
// LeaderRole (from @tepui/coordination) provides it.
import type { MasterInfo } from '@tepui/protocol';

export interface LeaderView {
  /** The leading master (this one while it leads), or undefined while none is known. */
  leader(): MasterInfo | undefined;
  isLeader(): boolean;
  /** Why this master cannot take part in the election right now (ZooKeeper unreachable, say). */
  trouble?(): string | undefined;
}
