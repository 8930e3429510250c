// Keeps a MarathonView in step with Marathon through its public API only: opens `/v2/events`
// FIRST, then lists `/v2/apps?embed=apps.tasks` (so nothing that changes between the two is lost),
// loads the listing, replays the events that arrived meanwhile, and from then on patches the view
// from each event. Events that may change app definitions ask for a re-list; those arriving
// during a re-list collapse into one more (marathon-lb's "reset pending" flag, B.1). A quiet view
// is re-listed every `resyncSeconds` anyway (marathon-lb's idle rebuild).
//
// Any stream end (stall, close, error, malformed event, failed listing) backs off, moves on to the
// next Marathon URL, reopens and re-lists. While no Marathon can be reached the view keeps its last
// state, so the load balancer serves what it has; the status says since when and why (C.6).
import type { MarathonEvent } from '@tepui/protocol';
import type { Logger } from 'pino';
import { openEventStream, type MarathonEventStream, type StreamEnd } from './event-stream';
import type { MarathonClient } from './marathon-client';
import { describeError } from './marathon-errors';
import type { MarathonView } from './marathon-view';

export interface ViewSinkChange {
  /** A full listing was loaded (every app may have changed; `changedApps` says which did). */
  readonly full: boolean;
  readonly changedApps: ReadonlySet<string>;
  /** The view's version after the change. */
  readonly version: number;
}

export interface MarathonViewSink {
  /** Called after each load and each patch that changed something; read the view for the data. */
  onChange(change: ViewSinkChange): void;
}

export interface MarathonFollowerStatus {
  /** An event stream is open. */
  readonly connected: boolean;
  /** Base URL of the Marathon whose stream is open. */
  readonly marathon?: string;
  /** Epoch ms of the last listing loaded. */
  readonly lastSyncMs?: number;
  /** Epoch ms of the last event received. */
  readonly lastEventMs?: number;
  /** Epoch ms of the last change to the view (load or patch). */
  readonly lastUpdateMs?: number;
  /** Why the last stream or attempt failed, until the next successful listing. */
  readonly error?: string;
  /** Epoch ms since which no Marathon has answered. */
  readonly unreachableSinceMs?: number;
  /** Listings loaded. */
  readonly resyncs: number;
  /** Events received. */
  readonly events: number;
  /** Streams given up for silence. */
  readonly stalls: number;
  readonly version: number;
}

export interface MarathonFollowerOptions {
  readonly client: MarathonClient;
  readonly view: MarathonView;
  readonly sink: MarathonViewSink;
  readonly log: Logger;
  /** Re-list after this long without a listing; marathon-lb rebuilds an idle config every 300 s. */
  readonly resyncSeconds?: number;
  readonly stallTimeoutMs?: number;
  readonly eventTypes?: readonly string[];
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** A stream that lived this long resets the backoff. */
  readonly healthyAfterMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_RESYNC_SECONDS = 300;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;
const HEALTHY_AFTER_MS = 30_000;
/** Events held during one listing; past this, replaying them is pointless: list again instead. */
const MAX_BUFFERED_EVENTS = 10_000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class MarathonFollower {
  private stopped = false;
  private running: Promise<void> | undefined;
  private stream: MarathonEventStream | undefined;
  /** Aborts the current attempt: the opening, the stream and any listing in flight. */
  private session: AbortController | undefined;
  /** Events held while a listing is in flight (and while the stream opens), replayed after it. */
  private buffer: MarathonEvent[] | undefined;
  private bufferOverflowed = false;
  private relistPending: string | undefined;
  private relisting: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly state: Mutable<Omit<MarathonFollowerStatus, 'connected' | 'version'>> = { resyncs: 0, events: 0, stalls: 0 };
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly options: MarathonFollowerOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log;
  }

  status(): MarathonFollowerStatus {
    return { ...this.state, connected: this.stream !== undefined, version: this.options.view.version };
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Asks for a re-list now (marathon-lb's SIGHUP). */
  resync(reason = 'requested'): void {
    if (this.stream) this.requestRelist(reason);
  }

  /** Ends the stream, any listing and every timer; resolves when the loop has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.resyncTimer);
    this.session?.abort();
    this.stream?.close('stopped');
    this.wake?.();
    await this.running;
    await this.relisting;
  }

  private async run(): Promise<void> {
    const { retryMinMs = RETRY_MIN_MS, retryMaxMs = RETRY_MAX_MS, healthyAfterMs = HEALTHY_AFTER_MS } = this.options;
    let delay = retryMinMs;
    while (!this.stopped) {
      const stream = await this.connect();
      if (this.stopped) return stream?.close('stopped');
      if (stream) {
        const openedAt = this.now();
        const end = await this.follow(stream);
        if (this.stopped) return;
        this.streamEnded(stream, end);
        if (this.now() - openedAt >= healthyAfterMs) delay = retryMinMs;
      }
      await this.sleep(delay);
      delay = Math.min(delay * 2, retryMaxMs);
    }
  }

  /** Opens the event stream on the first Marathon that answers; undefined if none does. */
  private async connect(): Promise<MarathonEventStream | undefined> {
    const { client, stallTimeoutMs, eventTypes } = this.options;
    const session = new AbortController();
    this.session = session;
    // Hold events from the first byte on: they are replayed over the listing that follows.
    this.buffer = [];
    this.bufferOverflowed = false;
    try {
      const opened = await client.tryEach(
        (url) => openEventStream(client, url, { onEvent: (e) => this.onEvent(e), signal: session.signal, ...(stallTimeoutMs ? { stallTimeoutMs } : {}), ...(eventTypes ? { eventTypes } : {}) }),
        session.signal,
      );
      this.log.info({ marathon: opened.url }, 'opened Marathon’s event stream');
      return opened.value;
    } catch (err) {
      this.buffer = undefined;
      if (this.stopped) return undefined;
      this.failed(describeError(err));
      this.state.unreachableSinceMs ??= this.now();
      return undefined;
    }
  }

  private async follow(stream: MarathonEventStream): Promise<StreamEnd> {
    this.stream = stream;
    this.state.marathon = stream.url;
    this.requestRelist('event stream opened');
    const end = await stream.ended;
    this.session?.abort();
    this.stream = undefined;
    this.state.marathon = undefined;
    clearTimeout(this.resyncTimer);
    await this.relisting;
    this.buffer = undefined;
    this.relistPending = undefined;
    return end;
  }

  private streamEnded(stream: MarathonEventStream, end: StreamEnd): void {
    if (end.kind === 'stalled') this.state.stalls += 1;
    this.failed(end.reason);
    // Try another Marathon first next time: this one may be hung or on its way down.
    this.options.client.demote(stream.url);
  }

  private onEvent(event: MarathonEvent): void {
    this.state.events += 1;
    this.state.lastEventMs = this.now();
    // Kept for replay over the listing in flight, and applied at once as well: a listing can take
    // a while from a busy Marathon, and a task that started meanwhile should not wait for it.
    if (this.buffer) {
      if (this.buffer.length < MAX_BUFFERED_EVENTS) this.buffer.push(event);
      else this.bufferOverflowed = true;
    }
    const change = this.options.view.applyEvent(event);
    if (change.changedApps.size > 0) {
      this.state.lastUpdateMs = this.now();
      this.log.debug({ eventType: event.eventType, apps: [...change.changedApps], version: change.version }, 'patched the view');
      this.options.sink.onChange({ full: false, changedApps: change.changedApps, version: change.version });
    }
    if (change.needsRelist) this.requestRelist(change.reason ?? event.eventType);
  }

  private requestRelist(reason: string): void {
    this.relistPending ??= reason;
    const stream = this.stream;
    if (!this.relisting && stream) {
      this.relisting = this.relistWhilePending(stream).finally(() => (this.relisting = undefined));
    }
  }

  private async relistWhilePending(stream: MarathonEventStream): Promise<void> {
    const { client, view, sink } = this.options;
    while (this.relistPending !== undefined && this.stream === stream && !this.stopped) {
      const reason = this.relistPending;
      this.relistPending = undefined;
      this.buffer ??= [];
      let apps;
      try {
        apps = await client.listApps(this.session?.signal);
      } catch (err) {
        if (this.stream !== stream || this.stopped) return;
        this.state.unreachableSinceMs ??= this.now();
        stream.close(`listing apps failed: ${describeError(err)}`, 'failed');
        return;
      }
      if (this.stream !== stream || this.stopped) return;
      const buffered = this.buffer;
      const overflowed = this.bufferOverflowed;
      this.buffer = undefined;
      this.bufferOverflowed = false;
      const loaded = view.load(apps);
      const changed = new Set(loaded.changedApps);
      if (overflowed) this.relistPending ??= 'events overflowed during a listing';
      else {
        for (const event of buffered) {
          const change = view.applyEvent(event);
          for (const id of change.changedApps) changed.add(id);
          if (change.needsRelist) this.relistPending ??= change.reason ?? event.eventType;
        }
      }
      const at = this.now();
      Object.assign(this.state, { resyncs: this.state.resyncs + 1, lastSyncMs: at, lastUpdateMs: at, error: undefined, unreachableSinceMs: undefined });
      this.log.info({ reason, apps: apps.length, changed: changed.size, replayed: buffered.length, version: view.version }, 'loaded Marathon’s apps');
      sink.onChange({ full: true, changedApps: changed, version: view.version });
      this.armResync();
    }
  }

  private armResync(): void {
    clearTimeout(this.resyncTimer);
    const seconds = this.options.resyncSeconds ?? DEFAULT_RESYNC_SECONDS;
    if (seconds <= 0) return;
    this.resyncTimer = setTimeout(() => this.requestRelist('periodic resync'), seconds * 1000);
  }

  private failed(reason: string): void {
    if (this.state.error !== reason) this.log.warn({ reason }, 'lost Marathon; serving the last view');
    this.state.error = reason;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
