// Marathon's ZooKeeper parts for one run of startMarathon (`--zk=zk://…/marathon`): the election on
// `<path>/leader` (latch nodes holding `host:port`, as Marathon writes them) and the state store on
// `<path>/state` fenced on this Marathon's own latch node. One ZooKeeper session serves both.
import { marathonLatchCodec, zkChild, ZkElection, type ZkLog } from '@tepui/coordination';
import type { MarathonZkConfig } from './config';
import type { MarathonDeps } from './marathon';
import { ZkStateStore } from './storage/zk-state-store';

export interface MarathonZkParts {
  readonly deps: Pick<MarathonDeps, 'contender' | 'detector' | 'store' | 'coordinationTrouble'>;
  /** Ends the session (after startMarathon's own stop): the latch node goes at once. */
  close(): Promise<void>;
}

export function marathonZkParts(zk: MarathonZkConfig, log: ZkLog): MarathonZkParts {
  const election = new ZkElection<string>(zk.url, zkChild(zk.url, 'leader').path, marathonLatchCodec, (a, b) => a === b, {
    sessionTimeoutMs: zk.sessionTimeoutMs, log,
  });
  return {
    deps: {
      contender: (self) => election.contender(self),
      detector: () => election.detector(),
      store: new ZkStateStore({ candidacy: () => election.candidacy(), root: zkChild(zk.url, 'state').path, maxNodeBytes: zk.maxNodeBytes }),
      coordinationTrouble: () => election.trouble(),
    },
    close: () => election.close(),
  };
}
