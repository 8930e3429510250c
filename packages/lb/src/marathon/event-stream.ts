// One `GET /v2/events` stream to one Marathon, as marathon-lb opens it (discovery.md B.1):
// `plan-format=light`, a server-side `event_type` filter, Accept: text/event-stream. Events are
// handed to `onEvent` as they arrive. The stream ends, once, with a reason:
//   stalled   no byte for `stallTimeoutMs` (Marathon's keep-alive comes every 10 s, so silence
//             means a dead peer or a half-open connection; marathon-lb waits 300 s, C.6)
//   malformed an event that is not the JSON Marathon sends (the caller resyncs from a listing)
//   closed    Marathon ended the response
//   failed    the connection broke
//   cancelled close() or the caller's signal
import type { MarathonEvent } from '@tepui/protocol';
import { decodeMarathonEvent, LB_EVENT_TYPES } from './event-decoder';
import type { MarathonClient } from './marathon-client';
import { describeError, MarathonBadResponse } from './marathon-errors';
import { SseParser } from './sse-parser';

export const DEFAULT_STALL_TIMEOUT_MS = 30_000;
/** A line longer than this never ends: Marathon's largest events (api_post_event) are an app definition. */
const MAX_PENDING_CHARS = 16 * 1024 * 1024;

export type StreamEndKind = 'stalled' | 'malformed' | 'closed' | 'failed' | 'cancelled';

export interface StreamEnd {
  readonly kind: StreamEndKind;
  readonly reason: string;
}

export interface EventStreamOptions {
  readonly onEvent: (event: MarathonEvent) => void;
  readonly eventTypes?: readonly string[];
  readonly stallTimeoutMs?: number;
  /** Aborts the opening and, later, the stream (ending it as cancelled). */
  readonly signal?: AbortSignal;
}

export interface MarathonEventStream {
  /** The base URL it was opened on (before any redirect). */
  readonly url: string;
  /** Resolves (never rejects) when the stream is over. */
  readonly ended: Promise<StreamEnd>;
  /** Ends the stream now; `kind` says why (cancelled unless the caller found a fault). */
  close(reason: string, kind?: StreamEndKind): void;
}

/** The path and query marathon-lb asks for, with our event types. */
export function eventsPath(eventTypes: readonly string[] = LB_EVENT_TYPES): string {
  const query = new URLSearchParams([['plan-format', 'light'], ...eventTypes.map((t): [string, string] => ['event_type', t])]);
  return `/v2/events?${query.toString()}`;
}

/**
 * Opens the stream on `baseUrl`; resolves once Marathon answered 200 with an event stream (it has
 * subscribed us by then, so nothing that happens afterwards is missed), rejects otherwise.
 */
export async function openEventStream(client: MarathonClient, baseUrl: string, options: EventStreamOptions): Promise<MarathonEventStream> {
  const abort = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
  const res = await client.request(baseUrl, eventsPath(options.eventTypes), { accept: 'text/event-stream', signal });
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream') || !res.body) {
    abort.abort();
    throw new MarathonBadResponse(baseUrl, `/v2/events answered ${type || 'no content type'}, not text/event-stream`);
  }
  const reader = res.body.getReader();
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  let finish!: (end: StreamEnd) => void;
  const ended = new Promise<StreamEnd>((resolve) => (finish = resolve));
  let over = false;
  const end = (kind: StreamEndKind, reason: string): void => {
    if (over) return;
    over = true;
    clearTimeout(stall);
    options.signal?.removeEventListener('abort', onCallerAbort);
    abort.abort();
    reader.cancel().catch(() => undefined);
    finish({ kind, reason });
  };
  const stall = setTimeout(() => end('stalled', `${baseUrl} sent nothing for ${stallTimeoutMs} ms`), stallTimeoutMs);
  const onCallerAbort = (): void => end('cancelled', 'stopped');
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) onCallerAbort();

  void (async () => {
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      while (!over) {
        const { done, value } = await reader.read();
        if (over) return;
        if (done) return end('closed', `${baseUrl} closed the event stream`);
        // Any byte counts, keep-alive lines included.
        stall.refresh();
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          const decoded = decodeMarathonEvent(message.data);
          if (decoded.kind === 'malformed') return end('malformed', `${baseUrl}: ${decoded.reason}`);
          if (decoded.kind === 'event') options.onEvent(decoded.event);
          if (over) return;
        }
        if (parser.pendingLength > MAX_PENDING_CHARS) return end('malformed', `${baseUrl}: an event longer than ${MAX_PENDING_CHARS} characters`);
      }
    } catch (err) {
      end('failed', `${baseUrl}: event stream broke: ${describeError(err)}`);
    }
  })();

  return { url: baseUrl, ended, close: (reason, kind = 'cancelled') => end(kind, reason) };
}
