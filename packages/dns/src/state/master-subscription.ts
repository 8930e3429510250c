// One v1 operator-API SUBSCRIBE stream to one master (RecordIO of JSON events), and the GET_MASTER
// call that says who that master is. A standby answers 307 with the leader in Location; the caller
// follows it. The stream ends, with a reason, on any error, on the master's silence past three
// heartbeat intervals, or when the caller closes it.
import { request, type IncomingMessage } from 'node:http';
import {
  RecordIODecoder, type MasterInfo, type OperatorEvent, type OperatorResponse,
} from '@tepui/protocol';
import { splitHostPort } from '../records/ip-addresses';
import { decodeOperatorEvent } from './operator-event-decoder';

/** A standby master pointed elsewhere (`host:port` of the leader). */
export class MasterRedirect extends Error {
  constructor(readonly location: string) {
    super(`redirected to ${location}`);
    this.name = 'MasterRedirect';
  }
}

export interface Subscription {
  /** Resolves with why the stream ended (never rejects). */
  readonly ended: Promise<string>;
  close(reason: string): void;
}

const DEFAULT_HEARTBEAT_SECONDS = 15;
const SILENT_HEARTBEATS = 3;

/** `//host:port/api/v1` or `http://host:port/…` → `host:port`. */
function redirectTarget(res: IncomingMessage): string {
  const location = res.headers.location ?? '';
  const match = /^(?:https?:)?\/\/([^/]+)/.exec(location);
  return match ? match[1]! : location;
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** POSTs an operator call; resolves with the response once its headers arrive. */
function post(endpoint: string, body: object, timeoutMs: number): Promise<IncomingMessage> {
  const hostPort = splitHostPort(endpoint);
  if (!hostPort) return Promise.reject(new Error(`master '${endpoint}' is not host:port`));
  const { host, port } = hostPort;
  return new Promise((resolve, reject) => {
    const req = request({
      host, port, method: 'POST', path: '/api/v1',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'Tepui-DNS' },
    }, async (res) => {
      req.setTimeout(0);
      if (res.statusCode === 307) {
        res.resume();
        return reject(new MasterRedirect(redirectTarget(res)));
      }
      if (res.statusCode !== 200) {
        const text = await readAll(res).catch(() => '');
        return reject(new Error(`master ${endpoint} answered ${res.statusCode}: ${text.slice(0, 200)}`));
      }
      resolve(res);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`master ${endpoint} did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** GET_MASTER: the MasterInfo of the master at `endpoint` (after a redirect, of the leader). */
export async function getMasterInfo(endpoint: string, timeoutMs: number): Promise<MasterInfo> {
  const res = await post(endpoint, { type: 'GET_MASTER' }, timeoutMs);
  const parsed = JSON.parse(await readAll(res)) as OperatorResponse;
  const info = parsed.get_master?.master_info;
  if (!info || typeof info.id !== 'string' || typeof info.port !== 'number') throw new Error(`master ${endpoint} sent no master_info`);
  return info;
}

/**
 * Subscribes to `endpoint`; rejects (MasterRedirect, or an error) when the stream cannot be opened
 * within `timeoutMs`, else resolves once SUBSCRIBED was delivered to `onEvent`.
 */
export async function subscribe(endpoint: string, timeoutMs: number, onEvent: (event: OperatorEvent) => void): Promise<Subscription> {
  const res = await post(endpoint, { type: 'SUBSCRIBE' }, timeoutMs);
  const decoder = new RecordIODecoder();
  let finish!: (reason: string) => void;
  const ended = new Promise<string>((resolve) => (finish = resolve));
  let over = false;
  let silence: NodeJS.Timeout | undefined;
  let silentAfterMs = timeoutMs;
  const end = (reason: string) => {
    if (over) return;
    over = true;
    clearTimeout(silence);
    res.destroy();
    finish(reason);
  };
  const armSilence = () => {
    clearTimeout(silence);
    silence = setTimeout(() => end(`master ${endpoint} sent nothing for ${silentAfterMs} ms`), silentAfterMs);
  };
  let subscribed!: () => void;
  let failed!: (err: Error) => void;
  const first = new Promise<void>((resolve, reject) => {
    subscribed = resolve;
    failed = reject;
  });
  armSilence();
  res.on('data', (chunk: Buffer) => {
    if (over) return;
    armSilence();
    try {
      for (const record of decoder.push(chunk)) {
        const event = decodeOperatorEvent(record);
        if (event.type === 'SUBSCRIBED') {
          silentAfterMs = (event.subscribed?.heartbeat_interval_seconds ?? DEFAULT_HEARTBEAT_SECONDS) * 1000 * SILENT_HEARTBEATS;
          armSilence();
        }
        onEvent(event);
        if (event.type === 'SUBSCRIBED') subscribed();
        if (over) return;
      }
    } catch (err) {
      const reason = `master ${endpoint} sent a bad event stream: ${err instanceof Error ? err.message : String(err)}`;
      failed(new Error(reason));
      end(reason);
    }
  });
  res.on('end', () => {
    failed(new Error(`master ${endpoint} closed the event stream before SUBSCRIBED`));
    end(`master ${endpoint} closed the event stream`);
  });
  res.on('error', (err) => {
    failed(err);
    end(`event stream from ${endpoint} failed: ${err.message}`);
  });
  void ended.then((reason) => failed(new Error(reason)));
  await first;
  return { ended, close: end };
}
