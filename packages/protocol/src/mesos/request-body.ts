// Reading a request body, shared by every Mesos-side HTTP API (master and agent) so they refuse
// the same bodies the same way. libprocess itself sets no limit (it buffers any body); Tepui
// stops at MAX_REQUEST_BODY_BYTES with libprocess' own status for it, 413 Request Entity Too Large.
import type { IncomingMessage } from 'node:http';

export const MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

/** What each API's error table maps to its own 413. */
export class RequestBodyTooLarge extends Error {
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

/** The upload stopped before its end; nobody is left to answer. */
export class RequestAborted extends Error {
  constructor() {
    super('Request body was not received completely');
  }
}

/**
 * Resolves with the whole body, or rejects with RequestBodyTooLarge as soon as the declared or
 * received size passes `limit`. The rest of an oversized upload is read and dropped, so the
 * client, still sending, gets to read the 413 instead of a reset connection.
 */
export function readRequestBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new RequestBodyTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(new RequestBodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('aborted', () => reject(new RequestAborted()));
    req.on('error', () => reject(new RequestAborted()));
  });
}

/**
 * Whether an Accept header (a media-range list with q-values) admits application/json; shared by
 * the master's and the agent's v1 APIs, which refuse it with 406 otherwise.
 */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  for (const part of accept.split(',')) {
    const [range, ...params] = part.trim().split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    if (range === '*/*' || range === 'application/*' || range === 'application/json') return true;
  }
  return false;
}
