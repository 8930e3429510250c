// Requests through HAProxy: one-off GETs on fresh connections, GETs on one kept-alive connection,
// and a load loop that counts failures (what a user would notice during a reload).
import { Agent, request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export function httpGet(port: number, agent: Agent | false = false, path = '/'): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** An agent that keeps exactly one connection open and reuses it. */
export function singleConnectionAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly errors: readonly string[];
  readonly bodies: ReadonlyMap<string, number>;
}

/** `total` GETs, each on a new TCP connection, `concurrency` at a time. A non-200 counts as failed. */
export async function runLoad(port: number, total: number, concurrency: number): Promise<LoadResult> {
  let next = 0;
  let ok = 0;
  const errors: string[] = [];
  const bodies = new Map<string, number>();
  const lane = async (): Promise<void> => {
    while (next < total) {
      next += 1;
      try {
        const answer = await httpGet(port, false);
        if (answer.status === 200) {
          ok += 1;
          bodies.set(answer.body, (bodies.get(answer.body) ?? 0) + 1);
        } else errors.push(`HTTP ${answer.status}: ${answer.body.slice(0, 80)}`);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { ok, failed: errors.length, errors, bodies };
}
