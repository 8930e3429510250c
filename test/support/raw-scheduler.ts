// A scheduler written with nothing but node's http module, the way a third-party client would
// speak to a Mesos master: SUBSCRIBE, read RecordIO by hand, POST calls with the stream id.
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { eventually } from './eventually';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export function post(url: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Splits a RecordIO byte stream: `<length>\n<bytes>`, records may span chunks. */
class RecordReader {
  private buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const records: string[] = [];
    for (;;) {
      const newline = this.buffer.indexOf(10);
      if (newline < 0) break;
      const length = Number(this.buffer.subarray(0, newline).toString('ascii'));
      if (!Number.isInteger(length) || length <= 0) throw new Error(`bad RecordIO header '${this.buffer.subarray(0, newline).toString()}'`);
      if (this.buffer.length < newline + 1 + length) break;
      records.push(this.buffer.subarray(newline + 1, newline + 1 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(newline + 1 + length);
    }
    return records;
  }
}

export class RawScheduler {
  readonly events: Json[] = [];
  frameworkId?: string;
  streamId?: string;
  status = 0;
  contentType?: string;
  ended = false;
  readonly acked: string[] = [];
  private req?: ClientRequest;
  private res?: IncomingMessage;

  /**
   * `autoAck` acknowledges updates that carry a uuid as they arrive, as any real framework does
   * (the agent forwards a task's next update only after the previous one is acknowledged).
   */
  constructor(
    readonly masterUrl: string,
    private readonly autoAck: boolean | ((status: Json) => boolean) = false,
  ) {}

  subscribe(frameworkInfo: Json, extra: Json = {}): Promise<void> {
    const body = JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo }, ...extra });
    return new Promise((resolve, reject) => {
      this.req = request(`${this.masterUrl}/api/v1/scheduler`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      }, (res) => {
        this.res = res;
        this.status = res.statusCode ?? 0;
        this.contentType = res.headers['content-type'];
        const streamId = res.headers['mesos-stream-id'];
        this.streamId = typeof streamId === 'string' ? streamId : undefined;
        const reader = new RecordReader();
        res.on('data', (chunk: Buffer) => {
          for (const record of reader.push(chunk)) {
            const event = JSON.parse(record) as Json;
            if (event.type === 'SUBSCRIBED') this.frameworkId = event.subscribed.framework_id.value;
            this.events.push(event);
            const status = event.type === 'UPDATE' ? event.update.status : undefined;
            if (status?.uuid && (this.autoAck === true || (typeof this.autoAck === 'function' && this.autoAck(status)))) void this.ack(status);
          }
        });
        res.on('end', () => (this.ended = true));
        res.on('close', () => (this.ended = true));
        resolve();
      });
      this.req.on('error', reject);
      this.req.end(body);
    });
  }

  async ack(status: Json): Promise<RawResponse> {
    this.acked.push(status.uuid);
    return this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
  }

  call(body: Json): Promise<RawResponse> {
    return post(`${this.masterUrl}/api/v1/scheduler`, JSON.stringify({ framework_id: { value: this.frameworkId }, ...body }), {
      'Mesos-Stream-Id': this.streamId ?? '',
    });
  }

  async next(predicate: (event: Json) => boolean, message: string, timeoutMs = 20_000): Promise<Json> {
    return eventually(() => this.events.find(predicate), { timeoutMs, message });
  }

  all(predicate: (event: Json) => boolean): Json[] {
    return this.events.filter(predicate);
  }

  /** Drops the connection without a TEARDOWN, like a crashed scheduler. */
  disconnect(): void {
    this.res?.destroy();
    this.req?.destroy();
  }
}
