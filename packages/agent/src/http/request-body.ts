// The agent's request bodies: the shared reader (@tepui/protocol), an oversized body the agent's 413.
import type { IncomingMessage } from 'node:http';
import { RequestBodyTooLarge, readRequestBody } from '@tepui/protocol';
import { PayloadTooLarge } from '../errors';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  try {
    return await readRequestBody(req);
  } catch (err) {
    if (err instanceof RequestBodyTooLarge) throw new PayloadTooLarge(err.message);
    throw err;
  }
}
