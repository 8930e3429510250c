// Keeps one SUBSCRIBE stream open: follows 307s to the leader, moves to the next master on
// connection errors and 503s, reconnects with jittered backoff when the stream ends, goes
// quiet (heartbeat watchdog) or carries an ERROR, and stops for good when the master says
// the framework was removed. What the events mean is the driver's business.
import type { Cancel, Clock } from '@tepui/protocol';
import type { Backoff } from './backoff';
import type { DriverEvent, SubscribedEvent } from './event-decoder';
import { EventStream, type SubscribeResponse } from './event-stream';
import type { Logger } from './logger';
import type { MasterEndpoint, MasterEndpoints } from './master-endpoints';

/** Mesos' DEFAULT_HEARTBEAT_INTERVAL; used until SUBSCRIBED says otherwise. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 15;
/** Clients give up on a stream after this many missed heartbeats (reference §9.6). */
export const MISSED_HEARTBEATS_BEFORE_RECONNECT = 5;
/** Consecutive redirects followed without pause before backing off (masters may disagree on the leader mid-election). */
export const MAX_IMMEDIATE_REDIRECTS = 5;

const FRAMEWORK_REMOVED = /framework has been removed/i;

export interface SubscriptionSink {
  onEvent(event: DriverEvent, streamId: string | undefined): void;
  /** A stream that had delivered SUBSCRIBED stopped; a reconnect is scheduled. */
  onDisconnected(reason: string): void;
  /** The master removed the framework; nothing will be retried. */
  onRemoved(message: string): void;
}

export interface SubscriptionOptions {
  readonly endpoints: MasterEndpoints;
  /** The SUBSCRIBE body for the next attempt (it carries the framework id once known). */
  readonly subscribeBody: () => string;
  readonly sink: SubscriptionSink;
  readonly clock: Clock;
  readonly backoff: Backoff;
  readonly log: Logger;
  /** Fixed watchdog; otherwise 5 × the master's heartbeat interval. */
  readonly heartbeatTimeoutMs?: number;
  readonly maxRecordBytes?: number;
}

type State = 'idle' | 'connecting' | 'streaming' | 'subscribed' | 'waiting' | 'stopped';

export class Subscription {
  private state: State = 'idle';
  private stream?: EventStream;
  private generation = 0;
  private redirects = 0;
  private currentStreamId?: string;
  private watchdog?: Cancel;
  private retryTimer?: Cancel;
  private heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_SECONDS * 1000;
  /** The stream ends because a new leader was detected: subscribe again without a backoff. */
  private leaderMoved = false;
  private streamEndpoint: MasterEndpoint | undefined;

  constructor(private readonly options: SubscriptionOptions) {}

  get streamId(): string | undefined {
    return this.state === 'subscribed' ? this.currentStreamId : undefined;
  }

  /** The master the current stream is open at (calls carrying its stream id go there). */
  get endpoint(): MasterEndpoint | undefined {
    return this.state === 'subscribed' ? this.streamEndpoint : undefined;
  }

  get isStopped(): boolean {
    return this.state === 'stopped';
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.attempt();
  }

  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.generation++;
    this.watchdog?.();
    this.retryTimer?.();
    this.stream?.close('the scheduler stopped');
    this.stream = undefined;
    this.currentStreamId = undefined;
  }

  /** Drops the stream `streamId` (if it is still the current one) and subscribes again. */
  resubscribe(reason: string, streamId?: string): void {
    if (this.state !== 'subscribed' && this.state !== 'streaming') return;
    if (streamId !== undefined && streamId !== this.currentStreamId) return;
    this.stream?.close(reason);
  }

  /**
   * A detector named a new leading master: drop the stream to the old one and subscribe again at
   * once, without backing off (Mesos' scheduler library does the same on a new leader).
   */
  leaderChanged(): void {
    if (this.state === 'stopped' || this.state === 'idle') return;
    this.leaderMoved = true;
    if (this.state === 'waiting') {
      this.retryTimer?.();
      this.attempt();
    } else {
      this.stream?.close('a new leading master was detected');
    }
  }

  private attempt(): void {
    if (this.state === 'stopped') return;
    const generation = ++this.generation;
    const endpoint = this.options.endpoints.current;
    if (!endpoint) {
      // No leader known yet: leaderChanged() tries as soon as a detector names one.
      this.state = 'waiting';
      return;
    }
    this.state = 'connecting';
    this.currentStreamId = undefined;
    const stream = new EventStream(endpoint, this.options.subscribeBody(), {
      onOpen: (streamId) => {
        if (generation === this.generation) this.onOpen(endpoint, streamId);
      },
      onEvent: (event) => {
        if (generation === this.generation) this.onEvent(event);
      },
      onEnd: (reason) => {
        if (generation === this.generation) this.onEnd(reason);
      },
    }, { maxRecordBytes: this.options.maxRecordBytes });
    this.stream = stream;
    // Also bounds a master that accepts the connection but never answers.
    this.armWatchdog();
    stream.response.then(
      (response) => {
        if (generation === this.generation) this.onResponse(endpoint, response);
      },
      (err: unknown) => {
        if (generation !== this.generation) return;
        const message = err instanceof Error ? err.message : String(err);
        this.retry(`cannot reach the master at ${endpoint.base}: ${message}`, true);
      },
    );
  }

  private onResponse(endpoint: MasterEndpoint, response: SubscribeResponse): void {
    switch (response.kind) {
      case 'stream':
        return; // handled by onOpen, before any event

      case 'redirect': {
        let leader: MasterEndpoint;
        try {
          leader = this.options.endpoints.redirect(response.location);
        } catch (err) {
          this.retry(`unusable redirect from ${endpoint.base}: ${err instanceof Error ? err.message : String(err)}`, true);
          return;
        }
        this.options.log.info({ from: endpoint.base, leader: leader.base }, 'redirected to the leading master');
        if (++this.redirects > MAX_IMMEDIATE_REDIRECTS) {
          this.redirects = 0;
          this.retry('too many redirects in a row', false);
        } else {
          this.watchdog?.();
          this.attempt();
        }
        return;
      }
      case 'refused':
        // 503: no leader elected or registry still recovering there; another master may do better.
        this.retry(`SUBSCRIBE refused by ${endpoint.base} with HTTP ${response.status}: ${response.body.trim()}`, response.status === 503);
        return;
    }
  }

  private onOpen(endpoint: MasterEndpoint, streamId: string | undefined): void {
    this.state = 'streaming';
    this.streamEndpoint = endpoint;
    this.currentStreamId = streamId;
    this.options.log.debug({ master: endpoint.base, streamId }, 'event stream opened');
  }

  private onEvent(event: DriverEvent): void {
    this.armWatchdog();
    if (event.type === 'SUBSCRIBED') this.onSubscribed(event);
    if (event.type === 'ERROR' && FRAMEWORK_REMOVED.test(event.message)) {
      this.options.sink.onEvent(event, this.currentStreamId);
      this.stop();
      this.options.sink.onRemoved(event.message);
      return;
    }
    this.options.sink.onEvent(event, this.currentStreamId);
    // Any other ERROR ends this stream ("Framework failed over", a rejected FrameworkInfo…).
    if (event.type === 'ERROR' && this.state !== 'stopped') this.stream?.close(`the master sent ERROR: ${event.message}`);
  }

  private onSubscribed(event: SubscribedEvent): void {
    this.state = 'subscribed';
    this.redirects = 0;
    this.options.backoff.reset();
    const seconds = event.heartbeatIntervalSeconds;
    this.heartbeatIntervalMs = (seconds !== undefined && seconds > 0 ? seconds : DEFAULT_HEARTBEAT_INTERVAL_SECONDS) * 1000;
    this.armWatchdog();
  }

  private onEnd(reason: string): void {
    const wasSubscribed = this.state === 'subscribed';
    this.stream = undefined;
    this.currentStreamId = undefined;
    if (this.state === 'stopped') return;
    this.state = 'waiting';
    if (wasSubscribed) this.options.sink.onDisconnected(reason);
    this.retry(reason, false);
  }

  private retry(reason: string, nextMaster: boolean): void {
    if (this.state === 'stopped') return;
    this.generation++;
    this.watchdog?.();
    this.stream?.close(reason);
    this.stream = undefined;
    this.currentStreamId = undefined;
    this.state = 'waiting';
    if (nextMaster) this.options.endpoints.next();
    const delayMs = this.leaderMoved ? 0 : this.options.backoff.next();
    this.leaderMoved = false;
    this.options.log.warn({ reason, delayMs, master: this.options.endpoints.current?.base }, 'subscription lost; retrying');
    this.retryTimer?.();
    this.retryTimer = this.options.clock.setTimer(delayMs, () => this.attempt());
  }

  private armWatchdog(): void {
    this.watchdog?.();
    const timeoutMs = this.options.heartbeatTimeoutMs ?? MISSED_HEARTBEATS_BEFORE_RECONNECT * this.heartbeatIntervalMs;
    const generation = this.generation;
    this.watchdog = this.options.clock.setTimer(timeoutMs, () => {
      if (generation !== this.generation || this.state === 'stopped') return;
      const reason = `no event from the master for ${timeoutMs} ms`;
      if (this.state === 'connecting') this.retry(reason, true);
      else this.stream?.close(reason);
    });
  }
}
