// Fire-and-forget scheduler calls over a keep-alive connection pool.
import { request as httpRequest, type Agent } from 'node:http';
import type { SchedulerCall } from '@tepui/protocol';

/** A call the master did not accept; `status` and `body` are what it answered. */
export class SchedulerCallError extends Error {
  constructor(
    readonly callType: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${callType} failed with ${status}: ${body}`);
    this.name = 'SchedulerCallError';
  }
}

export interface CallResponse {
  readonly status: number;
  readonly body: string;
}

export function postCall(url: string, streamId: string | undefined, call: SchedulerCall, agent: Agent): Promise<CallResponse> {
  const payload = JSON.stringify(call);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'Content-Length': Buffer.byteLength(payload),
    };
    if (streamId !== undefined) headers['Mesos-Stream-Id'] = streamId;
    const req = httpRequest(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** `//host:port/path` (Mesos' scheme-less Location) or an absolute URL → the master's base URL. */
export function masterBaseFromLocation(location: string, current: string): string {
  const absolute = location.startsWith('//') ? `${new URL(current).protocol}${location}` : location;
  const url = new URL(absolute, current);
  return `${url.protocol}//${url.host}`;
}
