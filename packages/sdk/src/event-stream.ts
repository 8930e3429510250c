// One SUBSCRIBE request and the event stream in its response body: RecordIO records (which
// may be split or merged at any byte by proxies) decoded into typed events. Knows nothing
// about reconnecting; the subscription decides what an ended stream means.
import * as http from 'node:http';
import * as https from 'node:https';
import { RecordIODecoder } from '@tepui/protocol';
import { decodeSchedulerEvent, type DriverEvent } from './event-decoder';
import type { MasterEndpoint } from './master-endpoints';

export type SubscribeResponse =
  | { readonly kind: 'stream'; readonly streamId: string | undefined }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'refused'; readonly status: number; readonly body: string };

export interface StreamListener {
  /** The 200 arrived; called before any event, so the stream id is known when events are dispatched. */
  onOpen(streamId: string | undefined): void;
  onEvent(event: DriverEvent): void;
  /** Called once, after a `stream` response, when the stream stops for any reason. */
  onEnd(reason: string): void;
}

export interface EventStreamOptions {
  readonly maxRecordBytes?: number;
}

export class EventStream {
  /** Settles once the status line is in: a stream, a redirect, or a refusal; rejects on connection errors. */
  readonly response: Promise<SubscribeResponse>;
  private readonly req: http.ClientRequest;
  private streaming = false;
  private ended = false;

  constructor(endpoint: MasterEndpoint, body: string, private readonly listener: StreamListener, options: EventStreamOptions = {}) {
    let settle!: { resolve: (r: SubscribeResponse) => void; reject: (e: Error) => void };
    this.response = new Promise<SubscribeResponse>((resolve, reject) => (settle = { resolve, reject }));
    const requestOptions: http.RequestOptions = {
      method: 'POST',
      hostname: endpoint.hostname,
      port: endpoint.port,
      path: endpoint.path,
      // Its own connection: the stream holds a socket for as long as the subscription lasts.
      agent: false,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': Buffer.byteLength(body) },
    };
    const onResponse = (res: http.IncomingMessage): void => this.onResponse(res, settle.resolve, options);
    this.req = endpoint.protocol === 'https:' ? https.request(requestOptions, onResponse) : http.request(requestOptions, onResponse);
    this.req.on('error', (err) => {
      if (this.streaming) this.end(`stream failed: ${err.message}`);
      else settle.reject(err);
    });
    this.req.setNoDelay(true);
    this.req.end(body);
  }

  /** Closes the connection; a stream that was open reports `reason` through onEnd. */
  close(reason = 'closed by the scheduler'): void {
    if (this.streaming) this.end(reason);
    this.req.destroy();
  }

  private onResponse(res: http.IncomingMessage, resolve: (r: SubscribeResponse) => void, options: EventStreamOptions): void {
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const done = (): void => {
        const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
        if (status === 307 && location !== undefined) resolve({ kind: 'redirect', location });
        else resolve({ kind: 'refused', status, body: Buffer.concat(chunks).toString('utf8') });
      };
      res.on('end', done);
      res.on('error', done);
      return;
    }
    this.streaming = true;
    const header = res.headers['mesos-stream-id'];
    const streamId = typeof header === 'string' && header !== '' ? header : undefined;
    this.listener.onOpen(streamId);
    resolve({ kind: 'stream', streamId });
    const decoder = new RecordIODecoder({ maxRecordBytes: options.maxRecordBytes });
    res.on('data', (chunk: Buffer) => this.onChunk(decoder, chunk));
    res.on('end', () => this.end('the master closed the event stream'));
    res.on('close', () => this.end('the event stream connection closed'));
    res.on('error', (err) => this.end(`stream failed: ${err.message}`));
  }

  private onChunk(decoder: RecordIODecoder, chunk: Buffer): void {
    if (this.ended) return;
    try {
      for (const record of decoder.push(chunk)) {
        this.listener.onEvent(decodeSchedulerEvent(record));
        // A handler may have closed the stream (ERROR, stop()); later records are not ours to deliver.
        if (this.ended) return;
      }
    } catch (err) {
      this.close(`unreadable event stream: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.listener.onEnd(reason);
  }
}
