// The SharedWorker behind shared-event-source.ts: one EventSource per URL, whatever the number of
// tabs, relaying its state and events to every tab that asked for that URL. A stream that closes
// (an error status) is dropped; the next tab to ask opens a new one. The worker, and with it every
// stream, ends when the last tab of the UI closes.
import type { HubMessage, TabRequest } from './stream-hub-protocol';

interface Stream {
  readonly source: EventSource;
  readonly types: Set<string>;
  readonly ports: Set<MessagePort>;
}

const streams = new Map<string, Stream>();

function broadcast(stream: Stream, message: HubMessage): void {
  for (const port of stream.ports) port.postMessage(message);
}

function streamFor(url: string): Stream {
  const existing = streams.get(url);
  if (existing) return existing;
  const stream: Stream = { source: new EventSource(url), types: new Set(), ports: new Set() };
  streams.set(url, stream);
  stream.source.onopen = () => broadcast(stream, { kind: 'state', url, readyState: EventSource.OPEN, failed: false });
  stream.source.onerror = () => {
    const readyState = stream.source.readyState;
    if (readyState === EventSource.CLOSED && streams.get(url) === stream) streams.delete(url);
    broadcast(stream, { kind: 'state', url, readyState, failed: true });
  };
  return stream;
}

function listen(stream: Stream, url: string, types: readonly string[]): void {
  for (const type of types) {
    if (stream.types.has(type)) continue;
    stream.types.add(type);
    stream.source.addEventListener(type, (message: MessageEvent<string>) => broadcast(stream, { kind: 'event', url, type, data: message.data }));
  }
}

function serve(port: MessagePort): void {
  port.onmessage = (event: MessageEvent<TabRequest>) => {
    const request = event.data;
    if (request.kind === 'close') {
      // Other streams of this tab may share the URL; the port stays subscribed while the tab lives.
      return;
    }
    const stream = streamFor(request.url);
    stream.ports.add(port);
    listen(stream, request.url, request.types);
    if (stream.source.readyState === EventSource.OPEN) port.postMessage({ kind: 'state', url: request.url, readyState: EventSource.OPEN, failed: false } satisfies HubMessage);
  };
  port.start();
}

// A SharedWorker's global scope; the DOM library the package compiles with does not describe it.
(self as unknown as { onconnect: (event: MessageEvent) => void }).onconnect = (event) => {
  for (const port of event.ports) serve(port);
};
