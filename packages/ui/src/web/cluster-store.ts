// The cluster page's copy of the leading master's state, kept current by the master's operator
// event stream (SUBSCRIBE, re-sent by Marathon as Server-Sent Events). Events mark it stale and a
// burst of them costs one read of /master/state and /master/roles; after the stream dropped it is
// read again in full. Nothing polls. It lives only while the cluster page is open.
import { appendSample, CLUSTER_EVENT_TYPES, clusterEventEffect, utilisationOf, type MasterConnection, type UtilisationSample } from '../model/cluster-live';
import { buildClusterView, type ClusterView } from '../model/cluster';
import { recordOf, stringOf } from '../model/wire-read';
import { requestJson } from './marathon-client';
import { openEventStream, type EventStream } from './shared-event-source';

const MASTER = '/ui/api/mesos';
/** Events are gathered this long before the state is read again. */
const GATHER_MS = 500;
const RESTORED_BANNER_MS = 5_000;
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 10_000;

export class ClusterStore {
  view: ClusterView | undefined;
  error: string | undefined;
  connection: MasterConnection = 'connecting';
  history: UtilisationSample[] = [];
  revision = 0;

  private readonly listeners = new Set<() => void>();
  private stream: EventStream | undefined;
  private stopped = false;
  private reading = false;
  private stale = false;
  private gatherTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectMs = RECONNECT_MIN_MS;

  start(): void {
    this.openStream();
    this.markStale(0);
  }

  stop(): void {
    this.stopped = true;
    this.stream?.close();
    this.stream = undefined;
    if (this.gatherTimer !== undefined) clearTimeout(this.gatherTimer);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.revision += 1;
    for (const listener of this.listeners) listener();
  }

  private markStale(delayMs: number): void {
    this.stale = true;
    if (this.reading || this.gatherTimer !== undefined) return;
    this.gatherTimer = setTimeout(() => {
      this.gatherTimer = undefined;
      void this.read();
    }, delayMs);
  }

  private async read(): Promise<void> {
    if (this.stopped) return;
    this.reading = true;
    this.stale = false;
    const [state, roles] = await Promise.all([requestJson('GET', `${MASTER}/master/state`), requestJson('GET', `${MASTER}/master/roles`)]);
    this.reading = false;
    if (this.stopped) return;
    if (state.ok && roles.ok) {
      this.view = buildClusterView(state.body, roles.body);
      this.error = undefined;
      this.history = appendSample(this.history, utilisationOf(this.view.used, this.view.total, Date.now()));
    } else {
      const failed = state.ok ? roles : state;
      this.error = stringOf(recordOf(failed.body).message, `Marathon answered ${failed.status}`);
    }
    this.changed();
    if (this.stale) this.markStale(GATHER_MS);
  }

  private openStream(): void {
    if (this.stopped) return;
    // Shared by every tab (a browser holds at most six connections to Marathon).
    const stream = openEventStream(`${MASTER}/events`);
    this.stream = stream;
    stream.onopen = () => {
      this.reconnectMs = RECONNECT_MIN_MS;
      this.setConnection(this.connection === 'lost' ? 'restored' : 'live');
    };
    stream.onerror = () => {
      this.setConnection('lost');
      // CONNECTING: the browser retries by itself. CLOSED (Marathon answered an error): retry after a back-off.
      if (stream.readyState === EventSource.CLOSED) {
        const wait = this.reconnectMs;
        this.reconnectMs = Math.min(RECONNECT_MAX_MS, this.reconnectMs * 2);
        setTimeout(() => {
          if (this.stream === stream) this.openStream();
        }, wait);
      }
    };
    for (const type of CLUSTER_EVENT_TYPES) stream.addEventListener(type, () => this.onEvent(type));
  }

  private onEvent(type: string): void {
    switch (clusterEventEffect(type)) {
      case 'read-all':
        // Every (re)subscription: what happened while the stream was down was missed.
        this.markStale(0);
        break;
      case 'read-stale':
        this.markStale(GATHER_MS);
        break;
      case 'sample':
        if (this.view) {
          this.history = appendSample(this.history, utilisationOf(this.view.used, this.view.total, Date.now()));
          this.changed();
        }
        break;
      default:
        break;
    }
  }

  private setConnection(next: MasterConnection): void {
    if (next === this.connection) return;
    this.connection = next;
    if (next === 'restored') {
      setTimeout(() => {
        if (this.connection === 'restored') this.setConnection('live');
      }, RESTORED_BANNER_MS);
    }
    this.changed();
  }
}
