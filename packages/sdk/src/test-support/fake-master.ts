// A fake Mesos master for driver tests: just enough of POST /api/v1/scheduler to subscribe,
// stream RecordIO events (split at any byte we choose), and record every call it receives.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeRecord, type SchedulerCall, type SchedulerEvent } from '@tepui/protocol';

export interface ReceivedRequest {
  readonly call: SchedulerCall;
  readonly headers: IncomingHttpHeaders;
}

export interface FakeMasterOptions {
  /** Answer SUBSCRIBE with this 307 Location instead of a stream. */
  readonly redirectTo?: string;
  /** Answer SUBSCRIBE with this status (e.g. 503) instead of a stream. */
  readonly refuseWith?: number;
  /** Send SUBSCRIBED as soon as a stream opens (default true). */
  readonly autoSubscribed?: boolean;
  readonly frameworkId?: string;
  readonly heartbeatIntervalSeconds?: number;
}

function isCall(v: unknown): v is SchedulerCall {
  return typeof v === 'object' && v !== null && 'type' in v && typeof v.type === 'string';
}

export class FakeMaster {
  readonly subscribes: ReceivedRequest[] = [];
  readonly calls: ReceivedRequest[] = [];
  /** Status for non-SUBSCRIBE calls; undefined means the Mesos default (202, or 200 for UPDATE_FRAMEWORK). */
  callStatus?: { status: number; body: string };
  private readonly server: Server;
  private stream?: ServerResponse;
  private streamCounter = 0;
  private currentStreamId?: string;
  private frameworkCounter = 0;

  private constructor(readonly options: FakeMasterOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: FakeMasterOptions = {}): Promise<FakeMaster> {
    const master = new FakeMaster(options);
    await new Promise<void>((resolve) => master.server.listen(0, '127.0.0.1', resolve));
    return master;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get streamId(): string | undefined {
    return this.currentStreamId;
  }

  get streaming(): boolean {
    return this.stream !== undefined;
  }

  callsOfType(type: SchedulerCall['type']): SchedulerCall[] {
    return this.calls.filter((c) => c.call.type === type).map((c) => c.call);
  }

  /** Writes events as RecordIO; `split` cuts the bytes of all of them into writes of these sizes (cycled). */
  send(events: readonly SchedulerEvent[], split?: readonly number[]): void {
    const bytes = Buffer.concat(events.map((e) => encodeRecord(JSON.stringify(e))));
    this.sendBytes(bytes, split);
  }

  sendBytes(bytes: Buffer, split?: readonly number[]): void {
    const stream = this.stream;
    if (!stream) throw new Error('no open stream');
    if (!split || split.length === 0) {
      stream.write(bytes);
      return;
    }
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const size = Math.max(1, split[i % split.length]!);
      stream.write(bytes.subarray(at, at + size));
      at += size;
    }
  }

  subscribed(frameworkId: string): void {
    this.send([{ type: 'SUBSCRIBED', subscribed: { framework_id: { value: frameworkId }, heartbeat_interval_seconds: this.options.heartbeatIntervalSeconds ?? 15 } }]);
  }

  /** Breaks the stream's connection, as a crashed master or a proxy would. */
  dropStream(): void {
    this.stream?.socket?.destroy();
    this.stream = undefined;
    this.currentStreamId = undefined;
  }

  /** Makes the current stream id stale, as a failover to another subscription would. */
  forgetStreamId(): void {
    this.currentStreamId = 'some-other-stream';
  }

  async close(): Promise<void> {
    this.stream?.socket?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (!isCall(parsed)) {
      res.writeHead(400).end('not a call');
      return;
    }
    const received: ReceivedRequest = { call: parsed, headers: req.headers };
    if (parsed.type === 'SUBSCRIBE') this.onSubscribe(received, res);
    else this.onCall(received, res);
  }

  private onSubscribe(received: ReceivedRequest, res: ServerResponse): void {
    this.subscribes.push(received);
    if (this.options.redirectTo !== undefined) {
      res.writeHead(307, { Location: this.options.redirectTo }).end();
      return;
    }
    if (this.options.refuseWith !== undefined) {
      res.writeHead(this.options.refuseWith).end('No leader elected');
      return;
    }
    this.stream?.socket?.destroy();
    this.currentStreamId = `stream-${++this.streamCounter}`;
    res.socket?.setNoDelay(true);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': this.currentStreamId });
    res.flushHeaders();
    this.stream = res;
    res.on('close', () => {
      if (this.stream === res) this.stream = undefined;
    });
    if (this.options.autoSubscribed ?? true) {
      const id = received.call.framework_id?.value ?? this.options.frameworkId ?? `fw-${++this.frameworkCounter}`;
      this.subscribed(id);
    }
  }

  private onCall(received: ReceivedRequest, res: ServerResponse): void {
    this.calls.push(received);
    const streamId = received.headers['mesos-stream-id'];
    if (streamId === undefined) {
      res.writeHead(400).end("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
      return;
    }
    if (streamId !== this.currentStreamId) {
      res.writeHead(400).end(`The stream ID '${String(streamId)}' included in this request didn't match the stream ID currently associated with framework ID`);
      return;
    }
    if (this.callStatus) {
      res.writeHead(this.callStatus.status).end(this.callStatus.body);
      return;
    }
    res.writeHead(received.call.type === 'UPDATE_FRAMEWORK' ? 200 : 202).end();
  }
}

/** Retries `check` until it holds or the deadline passes; tests never sleep for a fixed time. */
export async function eventually<T>(check: () => T | undefined | false, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
