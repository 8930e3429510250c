// Whether this master leads, from a LeaderContender (its own candidacy) and a LeaderDetector (who
// leads when it does not). HTTP handlers and the agent channel ask `isLeader()` / `leader()`; the
// master starts acting as leader when elected and stops at once when the candidacy is lost (Mesos
// aborts the process; the `lost` hook lets main.ts do the same).
import type { Candidacy, LeaderContender, LeaderDetector } from '@tepui/coordination';
import type { Clock, MasterInfo } from '@tepui/protocol';
import type { Logger } from 'pino';

/** What the HTTP layer and the agent channel need to know about leadership. */
export interface LeaderView {
  /** The leading master (this one while it leads), or undefined while none is known. */
  leader(): MasterInfo | undefined;
  isLeader(): boolean;
}

export interface LeadershipHooks {
  /** Elected: start acting as the leader (allocate, admit agents, serve leader-only calls). */
  readonly elected: () => void;
  /** Deposed or cut off: stop acting as the leader at once. */
  readonly lost: (reason: string) => void;
}

/** How long to wait before asking the detector again after it reported no leader. */
const REDETECT_MS = 100;

export class MasterLeadership implements LeaderView {
  private candidacy: Candidacy | undefined;
  private leading = false;
  private deposed: string | undefined;
  private electedAt: number | undefined;
  private detected: MasterInfo | undefined;
  private closed = false;

  constructor(
    private readonly self: MasterInfo,
    private readonly contender: LeaderContender,
    private readonly detector: LeaderDetector<MasterInfo>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly hooks: LeadershipHooks,
  ) {}

  /** Enters the election and follows the detector; resolves once the candidacy is registered. */
  async start(): Promise<void> {
    const candidacy = await this.contender.contend();
    this.candidacy = candidacy;
    void candidacy.lost.then((reason) => this.lose(reason));
    void candidacy.elected.then(() => this.elect());
    void this.follow();
  }

  leader(): MasterInfo | undefined {
    return this.isLeader() ? this.self : this.detected?.id === this.self.id ? undefined : this.detected;
  }

  /** Leading, and the candidacy's fence still holds (a cut-off leader stops before it learns it lost). */
  isLeader(): boolean {
    return this.leading && this.candidacy?.fence.revoked() === undefined;
  }

  /** When this master was elected (ms since the epoch), while it leads. */
  electedTime(): number | undefined {
    return this.isLeader() ? this.electedAt : undefined;
  }

  /** Why this master stopped leading, once it did. */
  lostReason(): string | undefined {
    return this.deposed;
  }

  /** Leaves the election (a graceful stop: the next master leads without waiting for a session timeout). */
  async stop(): Promise<void> {
    this.closed = true;
    this.leading = false;
    await this.candidacy?.withdraw();
    await this.detector.close();
  }

  private elect(): void {
    if (this.closed || this.deposed !== undefined) return;
    this.leading = true;
    this.electedAt = this.clock.now();
    this.log.info({ masterId: this.self.id }, 'elected as the leading master');
    this.hooks.elected();
  }

  private lose(reason: string): void {
    if (this.closed || this.deposed !== undefined) return;
    const wasLeading = this.leading;
    this.leading = false;
    this.deposed = reason;
    this.log.error({ reason, wasLeading }, wasLeading ? 'lost leadership; no longer acting as the leading master' : 'lost the candidacy');
    this.hooks.lost(reason);
  }

  private async follow(): Promise<void> {
    let previous: MasterInfo | undefined;
    while (!this.closed) {
      const next = await this.detector.detect(previous);
      if (this.closed) return;
      if (next?.id !== previous?.id) this.log.info({ leader: next?.pid ?? null }, next ? 'detected the leading master' : 'no leading master detected');
      this.detected = next;
      previous = next;
      if (next === undefined) await new Promise<void>((resolve) => this.clock.setTimer(REDETECT_MS, resolve));
    }
  }
}
