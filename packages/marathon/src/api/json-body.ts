// Request bodies as Marathon reads them with Jackson: UTF-8 JSON, refused with its 400
// `{"message":"Invalid JSON","details":"<parser message>"}` when it is not. The checks run on the
// raw bytes before JSON.parse, so no body (however deep, long or broken) can reach a handler
// that would recurse through it or store what JSON cannot write back.
import { isUtf8 } from 'node:buffer';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { InvalidJson } from '../errors';

/** Jackson's nesting limit (StreamReadConstraints, 2.15+); Marathon's own bodies nest a few levels per group. */
export const MAX_NESTING_DEPTH = 1000;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const UTF8_BOM = 0xfeff;

/** How deep `{`/`[` nest outside strings, stopping as soon as `limit` is passed. */
export function nestingDepth(bytes: Uint8Array, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return deepest;
}

/** Numbers JSON cannot carry back (1e400 parses to Infinity) are refused, not stored as null. */
function finiteNumbers(key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new InvalidJson(`Numeric value out of range of a double${key ? ` in field '${key}'` : ''}`);
  return value;
}

/** Only a three-digit exponent or a 309-digit run can overflow a double; the reviver costs 15× a plain parse. */
const MAY_OVERFLOW = /[eE]\+?\d{3}|\d{309}/;

/** The body as JSON, or the InvalidJson Marathon answers for it; an empty body is `undefined`. */
export function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  if (!isUtf8(bytes)) throw new InvalidJson('Invalid UTF-8 in the request body');
  const depth = nestingDepth(bytes, MAX_NESTING_DEPTH);
  if (depth > MAX_NESTING_DEPTH) throw new InvalidJson(`Document nesting depth (${depth}) exceeds the maximum allowed (${MAX_NESTING_DEPTH})`);
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === UTF8_BOM) text = text.slice(1);
  try {
    return MAY_OVERFLOW.test(text) ? JSON.parse(text, finiteNumbers) : JSON.parse(text);
  } catch (err) {
    if (err instanceof InvalidJson) throw err;
    throw new InvalidJson((err as Error).message);
  }
}

/** Reads POST/PUT/PATCH bodies of any content type (as Tepui always has) up to `limit`, as JSON. */
export function jsonBody(limit: string): RequestHandler[] {
  return [
    express.raw({ limit, type: () => true }),
    (req: Request, _res: Response, next: NextFunction): void => {
      const raw: unknown = req.body;
      req.body = undefined;
      if (BODY_METHODS.has(req.method) && Buffer.isBuffer(raw)) req.body = parseJsonBody(raw);
      next();
    },
  ];
}
