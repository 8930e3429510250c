// The two sides of leader election, as Mesos shapes them (src/master/contender, src/master/detector):
// a contender asks to lead and learns when it is elected and when that ends; a detector tells anyone
// who leads now. Masters, agents, the SDK, Marathon, and later DNS, the load balancer and the CLI all
// go through these two interfaces, with standalone, static-list and ZooKeeper implementations beside
// each other, one contract suite for all.

/** A leader as detectors report it (for masters, the MasterInfo of the leader's `json.info_` znode). */
export interface LeaderDetector<Leader> {
  /** The leader known now; undefined while none is elected or none is known yet. */
  current(): Leader | undefined;
  /**
   * Resolves with the leader as soon as it differs from `previous` (Mesos' `MasterDetector::detect`):
   * at once when it already differs, else on the next change. Resolves undefined when leadership is
   * lost with no successor known yet.
   */
  detect(previous?: Leader): Promise<Leader | undefined>;
  close(): Promise<void>;
}

/** A write guard that holds only while this candidacy leads (a ZooKeeper version check, say). */
export interface Fence {
  /** Why writing is no longer allowed, or undefined while it is. */
  readonly revoked: () => string | undefined;
}

/** One bid for leadership. */
export interface Candidacy {
  /** Resolves when this contender is elected; never, if it never is. */
  readonly elected: Promise<void>;
  /**
   * Resolves, with the reason, when the candidacy ends without a withdrawal: the session expired, the
   * candidate's node went away, the coordination service cannot be reached for longer than allowed.
   * A leader must stop acting as one at once (Mesos aborts the master).
   */
  readonly lost: Promise<string>;
  readonly fence: Fence;
  /** Gives the candidacy up (a graceful stop: the next contender leads without waiting for a timeout). */
  withdraw(): Promise<void>;
}

export interface LeaderContender {
  contend(): Promise<Candidacy>;
}
