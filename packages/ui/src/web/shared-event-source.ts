// One event stream per URL for every tab of the UI. A browser opens at most six connections to a
// host across all its tabs, and an EventSource holds one for good: the seventh tab on Marathon
// would hang. Where SharedWorker exists, a worker holds the one EventSource of each URL and relays
// its events to every tab; elsewhere each tab opens its own. Both look like an EventSource to the
// code that reads them.
import StreamHubWorker from './stream-hub.worker?sharedworker';
import type { HubMessage, TabRequest } from './stream-hub-protocol';

/** What the UI uses of an EventSource. */
export interface EventStream {
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  readonly readyState: number;
  addEventListener(type: string, listener: (message: MessageEvent<string>) => void): void;
  close(): void;
}

let hub: MessagePort | undefined | null;

function hubPort(): MessagePort | undefined {
  if (hub !== undefined) return hub ?? undefined;
  try {
    const worker = new StreamHubWorker({ name: 'tepui-event-streams' });
    worker.port.start();
    hub = worker.port;
  } catch {
    hub = null; // no SharedWorker here (some mobile browsers): each tab streams by itself
  }
  return hub ?? undefined;
}

let nextId = 0;

class RelayedEventStream implements EventStream {
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readyState: number = EventSource.CONNECTING;
  private readonly id = ++nextId;
  private readonly listeners = new Map<string, Array<(message: MessageEvent<string>) => void>>();
  private readonly onMessage = (event: MessageEvent<HubMessage>) => this.receive(event.data);

  constructor(private readonly port: MessagePort, private readonly url: string) {
    port.addEventListener('message', this.onMessage);
    this.send({ kind: 'open', id: this.id, url, types: [] });
  }

  addEventListener(type: string, listener: (message: MessageEvent<string>) => void): void {
    const list = this.listeners.get(type) ?? [];
    list.push(listener);
    this.listeners.set(type, list);
    this.send({ kind: 'listen', id: this.id, url: this.url, types: [type] });
  }

  close(): void {
    this.readyState = EventSource.CLOSED;
    this.port.removeEventListener('message', this.onMessage);
    this.send({ kind: 'close', id: this.id, url: this.url, types: [] });
  }

  private send(request: TabRequest): void {
    this.port.postMessage(request);
  }

  private receive(message: HubMessage): void {
    if (message.url !== this.url || this.readyState === EventSource.CLOSED) return;
    if (message.kind === 'state') {
      const was = this.readyState;
      this.readyState = message.readyState;
      if (message.readyState === EventSource.OPEN && was !== EventSource.OPEN) this.onopen?.(new Event('open'));
      if (message.readyState !== EventSource.OPEN && message.failed) this.onerror?.(new Event('error'));
      return;
    }
    const event = new MessageEvent<string>(message.type, { data: message.data });
    for (const listener of this.listeners.get(message.type) ?? []) listener(event);
  }
}

/** An EventSource on `url`, shared with the other tabs where the browser can. */
export function openEventStream(url: string): EventStream {
  const port = hubPort();
  return port ? new RelayedEventStream(port, url) : new EventSource(url);
}

const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 10_000;

export interface StreamHandlers {
  readonly opened: () => void;
  readonly lost: () => void;
  /** By event type: the event's data as sent. */
  readonly events: Readonly<Record<string, (data: string) => void>>;
}

/**
 * Follows the stream at `url` until the returned function is called. A dropped connection the
 * browser retries by itself (CONNECTING); a stream closed for good (an error status, a standby
 * without a leader) is opened again after a back-off of 1 s, doubling up to 10 s.
 */
export function followEventStream(url: string, handlers: StreamHandlers): () => void {
  let current: EventStream | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let backoffMs = RECONNECT_MIN_MS;
  const open = () => {
    const stream = openEventStream(url);
    current = stream;
    stream.onopen = () => {
      backoffMs = RECONNECT_MIN_MS;
      handlers.opened();
    };
    stream.onerror = () => {
      handlers.lost();
      if (stream.readyState !== EventSource.CLOSED || current !== stream) return;
      retryTimer = setTimeout(() => {
        if (current === stream) open();
      }, backoffMs);
      backoffMs = Math.min(RECONNECT_MAX_MS, backoffMs * 2);
    };
    for (const [type, handle] of Object.entries(handlers.events)) stream.addEventListener(type, (message) => handle(message.data));
  };
  open();
  return () => {
    clearTimeout(retryTimer);
    current?.close();
    current = undefined;
  };
}
