// Keeps a state sink (the record book) in step with the leading master: subscribes to its operator
// event stream, loads the full state SUBSCRIBED carries, applies each event as it comes, and starts
// over (a full resync) every `refreshSeconds`, after any stream error, and whenever the leader
// changes. Masters are tried in Mesos-DNS' order: the leader ZooKeeper names, then each configured
// master, following a standby's redirect. While no master can be reached the sink keeps what it
// has, and the status says since when and why.
import { masterEndpoint, type LeaderDetector } from '@tepui/coordination';
import type { GetState, MasterInfo, OperatorEvent } from '@tepui/protocol';
import type { Logger } from 'pino';
import { getMasterInfo, MasterRedirect, subscribe, type Subscription } from './master-subscription';

export interface MasterStateSink {
  /** A complete state from the leading master `leader`; replaces everything known. */
  load(state: GetState, leader: MasterInfo): void;
  apply(event: OperatorEvent): void;
}

export interface FollowerStatus {
  /** host:port of the master whose stream is open, if one is. */
  readonly master?: string;
  readonly connected: boolean;
  /** Epoch ms of the last full state loaded. */
  readonly lastSyncMs?: number;
  /** Epoch ms of the last change applied (full load or event). */
  readonly lastUpdateMs?: number;
  /** Why the last attempt or stream failed, while not connected. */
  readonly error?: string;
  /** Epoch ms since which no master has been reachable. */
  readonly unreachableSinceMs?: number;
  readonly resyncs: number;
  readonly events: number;
}

export interface MasterFollowerOptions {
  readonly masters: readonly string[];
  /** The ZooKeeper detector of the leading master, when `zk` is configured. */
  readonly detector?: LeaderDetector<MasterInfo>;
  readonly refreshSeconds: number;
  readonly stateTimeoutSeconds: number;
  /** Seconds without a detected leader before `onNoLeader` is called; 0 = never. */
  readonly zkDetectionTimeoutSeconds: number;
  readonly onNoLeader: (reason: string) => void;
  readonly log: Logger;
  readonly now?: () => number;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;
const MAX_REDIRECTS = 3;

export class MasterFollower {
  private stopped = false;
  private current: Subscription | undefined;
  private wake: (() => void) | undefined;
  private state: Omit<FollowerStatus, 'connected'> = { resyncs: 0, events: 0 };
  private connectedTo: MasterInfo | undefined;
  private noLeaderTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly sink: MasterStateSink, private readonly options: MasterFollowerOptions) {
    this.now = options.now ?? Date.now;
  }

  status(): FollowerStatus {
    return { ...this.state, connected: this.current !== undefined };
  }

  start(): void {
    void this.run();
    if (this.options.detector) void this.watchLeader(this.options.detector);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.noLeaderTimer);
    this.current?.close('stopping');
    this.wake?.();
  }

  private async run(): Promise<void> {
    let delay = RETRY_MIN_MS;
    while (!this.stopped) {
      const subscription = await this.connectAny();
      if (this.stopped) {
        subscription?.close('stopping');
        return;
      }
      if (!subscription) {
        await this.sleep(delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
        continue;
      }
      delay = RETRY_MIN_MS;
      this.current = subscription;
      const resync = setTimeout(() => subscription.close('periodic resync'), this.options.refreshSeconds * 1000);
      const reason = await subscription.ended;
      clearTimeout(resync);
      this.current = undefined;
      this.connectedTo = undefined;
      this.state = { ...this.state, master: undefined, resyncs: this.state.resyncs + 1 };
      if (this.stopped) return;
      if (reason === 'periodic resync' || reason === 'leader changed') this.options.log.info({ reason }, 'resyncing with the master');
      else this.failed(reason);
    }
  }

  /** The masters to try, in Mesos-DNS' order: the detected leader first, then the configured ones. */
  private candidates(): string[] {
    const leader = this.options.detector?.current();
    const all = [...(leader ? [masterEndpoint(leader)] : []), ...this.options.masters];
    return [...new Set(all)];
  }

  private async connectAny(): Promise<Subscription | undefined> {
    const candidates = this.candidates();
    if (candidates.length === 0) {
      this.failed('no leading master detected yet');
      return undefined;
    }
    for (const candidate of candidates) {
      try {
        return await this.connect(candidate);
      } catch (err) {
        this.failed(err instanceof Error ? err.message : String(err));
      }
      if (this.stopped) return undefined;
    }
    return undefined;
  }

  private async connect(first: string): Promise<Subscription> {
    const timeoutMs = this.options.stateTimeoutSeconds * 1000;
    let endpoint = first;
    for (let hop = 0; ; hop++) {
      try {
        const leader = await getMasterInfo(endpoint, timeoutMs);
        const subscription = await subscribe(endpoint, timeoutMs, (event) => this.onEvent(event, leader));
        this.connectedTo = leader;
        this.state = { ...this.state, master: endpoint, error: undefined, unreachableSinceMs: undefined };
        this.options.log.info({ master: endpoint }, 'following the master’s event stream');
        return subscription;
      } catch (err) {
        if (!(err instanceof MasterRedirect) || hop >= MAX_REDIRECTS) throw err;
        endpoint = err.location;
      }
    }
  }

  private onEvent(event: OperatorEvent, leader: MasterInfo): void {
    const at = this.now();
    if (event.type === 'SUBSCRIBED') {
      this.sink.load(event.subscribed!.get_state, leader);
      this.state = { ...this.state, lastSyncMs: at, lastUpdateMs: at };
      return;
    }
    if (event.type === 'HEARTBEAT') return;
    this.sink.apply(event);
    this.state = { ...this.state, lastUpdateMs: at, events: this.state.events + 1 };
  }

  private failed(reason: string): void {
    const since = this.state.unreachableSinceMs ?? this.now();
    if (this.state.error !== reason) this.options.log.warn({ reason }, 'cannot follow the master; serving the last records');
    this.state = { ...this.state, error: reason, unreachableSinceMs: since };
  }

  /** Starts over with a new leader as soon as ZooKeeper names one; notes a leaderless cluster. */
  private async watchLeader(detector: LeaderDetector<MasterInfo>): Promise<void> {
    let previous: MasterInfo | undefined;
    this.armNoLeader();
    while (!this.stopped) {
      const next = await detector.detect(previous);
      if (this.stopped) return;
      previous = next;
      if (next) clearTimeout(this.noLeaderTimer);
      else this.armNoLeader();
      this.options.log.info({ leader: next ? masterEndpoint(next) : null }, 'leading master changed');
      if (next && this.connectedTo && this.connectedTo.id === next.id) continue;
      this.current?.close('leader changed');
      this.wake?.();
    }
  }

  private armNoLeader(): void {
    const seconds = this.options.zkDetectionTimeoutSeconds;
    clearTimeout(this.noLeaderTimer);
    if (seconds <= 0) return;
    this.noLeaderTimer = setTimeout(() => this.options.onNoLeader(`no leading master detected in ZooKeeper for ${seconds} s (zkDetectionTimeout)`), seconds * 1000);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
