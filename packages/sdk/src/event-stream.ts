// Opens a SUBSCRIBE stream and turns its RecordIO body into typed events. Knows nothing about
// reconnecting; the driver decides what to do when the stream ends.
import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import { RecordIODecoder, type SchedulerCall, type SchedulerEvent } from '@tepui/protocol';

export type SubscribeOutcome =
  | { kind: 'stream'; streamId: string; close: () => void }
  | { kind: 'redirect'; location: string }
  | { kind: 'failed'; status: number; body: string };

export interface StreamCallbacks {
  onEvent(event: SchedulerEvent): void;
  onEnd(reason: string): void;
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Resolves once the response status is known; events then flow to `callbacks`. */
export function openEventStream(
  url: string,
  call: SchedulerCall,
  agent: Agent,
  callbacks: StreamCallbacks,
): Promise<SubscribeOutcome> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined;
    let settled = false;
    req = httpRequest(url, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    }, (res) => {
      const status = res.statusCode ?? 0;
      settled = true;
      if (status === 307) {
        res.resume();
        resolve({ kind: 'redirect', location: String(res.headers.location ?? '') });
        return;
      }
      if (status !== 200) {
        void readAll(res).then((body) => resolve({ kind: 'failed', status, body }));
        return;
      }
      const decoder = new RecordIODecoder();
      let ended = false;
      const end = (reason: string) => {
        if (ended) return;
        ended = true;
        callbacks.onEnd(reason);
      };
      res.on('data', (chunk: Buffer) => {
        let records: Buffer[];
        try {
          records = decoder.push(chunk);
        } catch (err) {
          end(`malformed stream: ${(err as Error).message}`);
          req?.destroy();
          return;
        }
        for (const record of records) {
          let event: SchedulerEvent;
          try {
            event = JSON.parse(record.toString('utf8')) as SchedulerEvent;
          } catch {
            end('malformed event on the stream');
            req?.destroy();
            return;
          }
          callbacks.onEvent(event);
        }
      });
      res.on('end', () => end('stream ended'));
      res.on('close', () => end('stream closed'));
      res.on('error', (err) => end(`stream error: ${err.message}`));
      resolve({ kind: 'stream', streamId: String(res.headers['mesos-stream-id'] ?? ''), close: () => req?.destroy() });
    });
    req.on('error', (err) => {
      if (!settled) reject(err);
    });
    req.end(JSON.stringify(call));
  });
}
