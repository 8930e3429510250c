// Request plumbing shared by the master's HTTP APIs: body reading with a limit, media types.
import type { IncomingMessage } from 'node:http';
import { BadRequest, NotAcceptable, PayloadTooLarge, UnsupportedMediaType } from '../errors';

export const MAX_BODY_BYTES = 16 * 1024 * 1024;
export const APPLICATION_JSON = 'application/json';
export const APPLICATION_PROTOBUF = 'application/x-protobuf';

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new PayloadTooLarge(`Request body exceeds ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Mesos compares Content-Type by exact string equality (a `; charset=utf-8` suffix is a 415).
 * Tepui speaks JSON only; a protobuf body is refused with a message saying so.
 */
export function requireJsonContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type === undefined) throw new BadRequest('Expecting \'Content-Type\' to be present');
  if (type === APPLICATION_PROTOBUF) {
    throw new UnsupportedMediaType(`Expecting 'Content-Type' of ${APPLICATION_JSON}: Tepui does not accept ${APPLICATION_PROTOBUF}`);
  }
  if (type !== APPLICATION_JSON) {
    throw new UnsupportedMediaType(`Expecting 'Content-Type' of ${APPLICATION_JSON} or ${APPLICATION_PROTOBUF}`);
  }
}

/** Whether the Accept header (a media-range list with q-values) admits application/json. */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  for (const part of accept.split(',')) {
    const [range, ...params] = part.trim().split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    if (range === '*/*' || range === 'application/*' || range === APPLICATION_JSON) return true;
  }
  return false;
}

export function requireAcceptJson(req: IncomingMessage): void {
  if (!acceptsJson(req.headers.accept)) {
    throw new NotAcceptable(`Expecting 'Accept' to allow '${APPLICATION_JSON}'`);
  }
}
