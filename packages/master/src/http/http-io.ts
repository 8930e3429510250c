// Request plumbing shared by the master's HTTP APIs: body reading with a limit, media types.
import type { IncomingMessage } from 'node:http';
import { RequestBodyTooLarge, acceptsJson, readRequestBody } from '@tepui/protocol';
import { BadRequest, NotAcceptable, PayloadTooLarge, UnsupportedMediaType } from '../errors';

export const APPLICATION_JSON = 'application/json';
export const APPLICATION_PROTOBUF = 'application/x-protobuf';

/** The whole request body; an oversized one is the master's 413 (see @tepui/protocol readRequestBody). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  try {
    return await readRequestBody(req);
  } catch (err) {
    if (err instanceof RequestBodyTooLarge) throw new PayloadTooLarge(err.message);
    throw err;
  }
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

export function requireAcceptJson(req: IncomingMessage): void {
  if (!acceptsJson(req.headers.accept)) {
    throw new NotAcceptable(`Expecting 'Accept' to allow '${APPLICATION_JSON}'`);
  }
}
