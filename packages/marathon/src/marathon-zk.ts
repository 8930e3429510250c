// Marathon's ZooKeeper parts for one run of startMarathon (`--zk=zk://…/marathon`): the election on
// `<path>/leader` (latch nodes holding `host:port`, as Marathon writes them), the state store on
// `<path>/state` fenced on this Marathon's own latch node, and the copy of that state a standby
// keeps warm. One ZooKeeper session serves them all.
import { marathonLatchCodec, zkChild, ZkElection, type ZkLog } from '@tepui/coordination';
import { SystemClock } from '@tepui/protocol';
import type { MarathonZkConfig } from './config';
import type { MarathonDeps } from './marathon';
import { ZkStateCache } from './storage/zk-state-cache';
import { ZkStateStore } from './storage/zk-state-store';

/** Old app versions are read one at a time, on request; a new leader's load never needs them. */
const followedByStandby = (relative: string): boolean => !/^\/apps\/[^/]+\/versions$/.test(relative);

export interface MarathonZkParts {
  readonly deps: Pick<MarathonDeps, 'contender' | 'detector' | 'store' | 'standbyCache' | 'coordinationTrouble'>;
  /** Ends the session (after startMarathon's own stop): the latch node goes at once. */
  close(): Promise<void>;
}

export function marathonZkParts(zk: MarathonZkConfig, log: ZkLog): MarathonZkParts {
  const election = new ZkElection<string>(zk.url, zkChild(zk.url, 'leader').path, marathonLatchCodec, (a, b) => a === b, {
    sessionTimeoutMs: zk.sessionTimeoutMs, log,
  });
  const root = zkChild(zk.url, 'state').path;
  const cache = new ZkStateCache({ session: () => election.candidacy()?.session, root, follows: followedByStandby, clock: new SystemClock(), log });
  return {
    deps: {
      contender: (self) => election.contender(self),
      detector: () => election.detector(),
      store: new ZkStateStore({ candidacy: () => election.candidacy(), root, maxNodeBytes: zk.maxNodeBytes, cache }),
      standbyCache: cache,
      coordinationTrouble: () => election.trouble(),
    },
    // The copy is released by startMarathon's stop, which also decides when it follows.
    close: () => election.close(),
  };
}
