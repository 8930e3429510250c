// One process's part in an election, from its LeaderContender (its own candidacy) and a
// LeaderDetector (who leads when it does not): whether it leads now, who does otherwise, and the
// hooks that start and stop the work only a leader does. A leader whose candidacy is lost (or whose
// fence is revoked) stops counting as leader at once; `abdicate` hands leadership over and enters
// the election again. Masters and Marathon both run one.
import type { Cancel, Clock } from '@tepui/protocol';
import type { Candidacy, Fence, LeaderContender, LeaderDetector } from './leadership';

export interface LeaderRoleHooks {
  /** Elected: start acting as the leader. */
  readonly elected: () => void | Promise<void>;
  /** Stopped leading (deposed, cut off, or abdicated): stop acting as the leader at once. */
  readonly stepDown: (reason: string) => void | Promise<void>;
  /** The candidacy was lost (not abdicated): a process expected to restart may exit here. */
  readonly lost?: (reason: string) => void;
}

export interface LeaderRoleLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The reason `stepDown` is given when the process leaves the election for good (`stop`). */
export const STOPPING = 'stopping';

/** How long to wait before asking the detector again after it reported no leader. */
const REDETECT_MS = 100;

export class LeaderRole<Leader> {
  private candidacy: Candidacy | undefined;
  private leading = false;
  private lostReason: string | undefined;
  private electedAt: number | undefined;
  private detected: Leader | undefined;
  private closed = false;
  private redetect: Cancel | undefined;

  constructor(
    private readonly self: Leader,
    private readonly same: (a: Leader, b: Leader) => boolean,
    private readonly contender: LeaderContender,
    private readonly detector: LeaderDetector<Leader>,
    private readonly clock: Clock,
    private readonly log: LeaderRoleLog,
    private readonly hooks: LeaderRoleHooks,
  ) {}

  /** Enters the election and follows the detector; resolves once the candidacy is registered. */
  async start(): Promise<void> {
    void this.follow();
    await this.enter();
  }

  /** The leader: this process while it leads, else the one detected (never this one while it does not lead). */
  leader(): Leader | undefined {
    if (this.isLeader()) return this.self;
    return this.detected !== undefined && this.same(this.detected, this.self) ? undefined : this.detected;
  }

  /** Leading, and the candidacy's fence still holds (a cut-off leader stops before it learns it lost). */
  isLeader(): boolean {
    return this.leading && this.candidacy?.fence.revoked() === undefined;
  }

  /** Guards writes only a leader may make: revoked while this process does not lead. */
  readonly fence: Fence = {
    revoked: () => (this.isLeader() ? undefined : this.lostReason ?? this.candidacy?.fence.revoked() ?? 'not the leader'),
  };

  /** When this process was elected (ms since the epoch), while it leads. */
  electedTime(): number | undefined {
    return this.isLeader() ? this.electedAt : undefined;
  }

  /** Why this process cannot take part in the election now: its candidacy was lost or cut off. */
  trouble(): string | undefined {
    if (this.lostReason !== undefined) return this.lostReason;
    const revoked = this.candidacy?.fence.revoked();
    return revoked === 'withdrawn' ? undefined : revoked;
  }

  /** Why the candidacy was lost, once it was. */
  lost(): string | undefined {
    return this.lostReason;
  }

  /** Gives leadership up and enters the election again (Marathon's DELETE /v2/leader). */
  async abdicate(): Promise<void> {
    const candidacy = this.candidacy;
    if (!candidacy || this.closed) return;
    this.candidacy = undefined;
    await this.stepDown('abdicated');
    await candidacy.withdraw();
    await this.enter();
  }

  /** Leaves the election for good (a graceful stop: the next one leads without waiting for a timeout). */
  async stop(): Promise<void> {
    this.closed = true;
    this.redetect?.();
    if (this.leading) await this.stepDown(STOPPING);
    await this.candidacy?.withdraw();
    await this.detector.close();
  }

  private async enter(): Promise<void> {
    const candidacy = await this.contender.contend();
    this.candidacy = candidacy;
    void candidacy.lost.then((reason) => this.lose(candidacy, reason));
    void candidacy.elected.then(() => this.elect(candidacy));
  }

  private async elect(candidacy: Candidacy): Promise<void> {
    if (this.closed || candidacy !== this.candidacy || candidacy.fence.revoked() !== undefined) return;
    this.leading = true;
    this.electedAt = this.clock.now();
    this.log.info({ leader: this.self }, 'elected leader');
    await this.hooks.elected();
  }

  private async lose(candidacy: Candidacy, reason: string): Promise<void> {
    if (this.closed || candidacy !== this.candidacy) return;
    this.lostReason = reason;
    this.log.error({ reason, wasLeading: this.leading }, this.leading ? 'lost leadership; no longer acting as leader' : 'lost the candidacy');
    if (this.leading) await this.stepDown(reason);
    this.hooks.lost?.(reason);
  }

  private async stepDown(reason: string): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    this.electedAt = undefined;
    await this.hooks.stepDown(reason);
  }

  private async follow(): Promise<void> {
    let previous: Leader | undefined;
    while (!this.closed) {
      const next = await this.detector.detect(previous);
      if (this.closed) return;
      if (next !== undefined) this.log.info({ leader: next }, 'detected the leader');
      this.detected = next;
      previous = next;
      if (next === undefined) await new Promise<void>((resolve) => (this.redetect = this.clock.setTimer(REDETECT_MS, resolve)));
    }
  }
}
