// Scheduler calls are small POSTs answered with an empty 202; throughput comes from reusing
// connections. One keep-alive pool per protocol, sized for bursts of launches and acks.
import * as http from 'node:http';
import * as https from 'node:https';
import type { MasterEndpoint } from './master-endpoints';

export const DEFAULT_MAX_SOCKETS = 64;
export const STREAM_ID_HEADER = 'Mesos-Stream-Id';

export interface CallResponse {
  readonly status: number;
  readonly body: string;
  /** Present on a 307. */
  readonly location?: string;
}

export class CallTransport {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(maxSockets = DEFAULT_MAX_SOCKETS) {
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
  }

  /** POSTs a JSON body; resolves with whatever the master answered, rejects only on connection errors. */
  post(endpoint: MasterEndpoint, streamId: string | undefined, json: string): Promise<CallResponse> {
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'Content-Length': Buffer.byteLength(json),
    };
    if (streamId !== undefined) headers[STREAM_ID_HEADER] = streamId;
    const secure = endpoint.protocol === 'https:';
    const options: http.RequestOptions = {
      method: 'POST',
      hostname: endpoint.hostname,
      port: endpoint.port,
      path: endpoint.path,
      headers,
      agent: secure ? this.httpsAgent : this.httpAgent,
    };
    return new Promise((resolve, reject) => {
      const onResponse = (res: http.IncomingMessage): void => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
          resolve({ status: res.statusCode ?? 0, body: chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8'), location });
        });
        res.on('error', reject);
      };
      const req = secure ? https.request(options, onResponse) : http.request(options, onResponse);
      req.on('error', reject);
      req.end(json);
    });
  }

  /** Closes every pooled socket; later posts open new ones. */
  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
