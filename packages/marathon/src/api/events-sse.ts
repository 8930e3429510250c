// GET /v2/events: Server-Sent Events as Marathon's servlet writes them — `event:` line, one
// `data:` line of single-line JSON, blank line, CRLF line ends (marathon-lb splits on \r\n);
// an empty keep-alive line every 10 s; `event_stream_attached` first; `?event_type=` filters.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cancel, Clock, MarathonEvent } from '@tepui/protocol';
import type { EventBus, EventSubscriber } from '../events/event-bus';

export const SSE_HEARTBEAT_MS = 10_000;

export function acceptsEventStream(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.trim().split(';')[0] === 'text/event-stream');
}

export function formatSse(eventType: string, json: string): string {
  return `event: ${eventType}\r\ndata: ${json}\r\n\r\n`;
}

export function serveEventStream(req: IncomingMessage, res: ServerResponse, bus: EventBus, clock: Clock): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const types = new Set(url.searchParams.getAll('event_type').flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean));
  const remoteAddress = req.socket.remoteAddress ?? '';
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  // Send the headers now: a filtered stream may see no event for a long time.
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  let heartbeat: Cancel | undefined;
  const beat = () => {
    heartbeat = clock.setTimer(SSE_HEARTBEAT_MS, () => {
      res.write('\r\n');
      beat();
    });
  };
  const subscriber: EventSubscriber = {
    eventTypes: types,
    deliver: (event: MarathonEvent, json: string) => {
      res.write(formatSse(event.eventType, json));
      return res.writableLength > 0 ? Math.ceil(res.writableLength / Math.max(1, json.length)) : 0;
    },
    dropped: () => res.destroy(),
  };
  const unsubscribe = bus.subscribe(subscriber);
  bus.publish({ eventType: 'event_stream_attached', remoteAddress });
  beat();
  res.on('close', () => {
    heartbeat?.();
    unsubscribe();
    bus.publish({ eventType: 'event_stream_detached', remoteAddress });
  });
}
