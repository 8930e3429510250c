// GET /v1/watch: a Server-Sent Events stream that says when the records changed, so that clients
// (a sidecar, a load balancer's config generator) re-read at once instead of polling — what Mesos-DNS
// users asked for and never got (mesos-dns #283). Each event carries the record book's generation,
// SOA serial and size; changes within one turn of the event loop are sent as one event.
import type { ServerResponse } from 'node:http';
import type { RecordLookup } from '../records/dns-record';

/** Calls listeners after the records changed; returns how to stop listening. */
export type RecordChanges = (listener: () => void) => () => void;

/** Keeps idle proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

export function serveRecordWatch(res: ServerResponse, lookup: () => RecordLookup, changes: RecordChanges): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  let sent = Number.NaN;
  let scheduled = false;
  const send = () => {
    scheduled = false;
    const records = lookup();
    if (records.generation === sent) return;
    sent = records.generation;
    res.write(`event: records\ndata: ${JSON.stringify({ generation: records.generation, serial: records.serial, records: records.size })}\n\n`);
  };
  send();
  const stop = changes(() => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(send);
  });
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  res.on('close', () => {
    stop();
    clearInterval(keepalive);
  });
}

/** A RecordChanges source fed by whoever changes the records. */
export class RecordChangeNotifier {
  private readonly listeners = new Set<() => void>();

  readonly subscribe: RecordChanges = (listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  changed(): void {
    for (const listener of this.listeners) listener();
  }
}
