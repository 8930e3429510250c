// Reads a request body as JSON the way stout's JSON::parse does before any protobuf conversion:
// at most STOUT_JSON_MAX_DEPTH (200) nested arrays/objects (deeper is picojson's "syntax error at
// line N near: …"), numbers that fit a double ("Value out of range" otherwise), nothing but
// whitespace after the value. The depth is checked by a scan before JSON.parse, so nothing later
// (null stripping, protobuf conversion) ever recurses deeper than the limit.

/** stout's JSON parser refuses deeper nesting (3rdparty/stout/include/stout/json.hpp). */
export const MAX_JSON_DEPTH = 200;

/** How much of the rest of the line a syntax error quotes (picojson quotes all of it). */
const NEAR_CHARS = 100;

export type JsonText = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** picojson's message for a syntax error at `index`: the line and the rest of that line. */
export function syntaxErrorAt(text: string, index: number): string {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  const end = text.indexOf('\n', index);
  // picojson copies printable characters only.
  const near = text.slice(index, end === -1 ? text.length : end).replace(/[\x00-\x1f]/g, '').slice(0, NEAR_CHARS);
  return `syntax error at line ${line} near: ${near}`;
}

/** The index just past the bracket that nests deeper than `maxDepth`, or -1. Strings are skipped. */
export function depthViolation(text: string, maxDepth = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return i + 1;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return -1;
}

/** Only a number with a 3-digit exponent or 309+ digits can overflow a double. */
const MAYBE_OVERFLOW = /[eE][+-]?\d{3}|\d{309}/;

/** Whether any number in a parsed value overflowed to ±Infinity (picojson: "Value out of range"). */
function hasNonFinite(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number' && !Number.isFinite(v)) return true;
    if (v !== null && typeof v === 'object') for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push(child);
  }
  return false;
}

/** Parses JSON text with stout's limits; errors read like stout's. */
export function parseJsonText(text: string): JsonText {
  const tooDeep = depthViolation(text);
  if (tooDeep !== -1) return { ok: false, error: syntaxErrorAt(text, tooDeep) };
  if (text.trim() === '') return { ok: false, error: syntaxErrorAt(text, text.length) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const trailing = /^Unexpected non-whitespace character after JSON at position (\d+)/.exec(message);
    if (trailing) return { ok: false, error: `Parsed JSON included non-whitespace trailing characters: ${text.slice(Number(trailing[1])).trim().slice(0, NEAR_CHARS)}` };
    if (message === 'Unexpected end of JSON input') return { ok: false, error: syntaxErrorAt(text, text.length) };
    const at = / at position (\d+)/.exec(message);
    // Where V8 names no position (an unexpected token), its own words say what is wrong.
    return { ok: false, error: at ? syntaxErrorAt(text, Number(at[1])) : message };
  }
  if (MAYBE_OVERFLOW.test(text) && hasNonFinite(value)) return { ok: false, error: 'Value out of range' };
  return { ok: true, value };
}

/**
 * Parses a request body: UTF-8 (invalid bytes are refused, never replaced — stout would keep them
 * as they are in a proto string, which Tepui's strings cannot), then JSON as above.
 */
export function parseJsonBody(body: string | Uint8Array): JsonText {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    try {
      text = utf8.decode(body);
    } catch {
      return { ok: false, error: 'the body is not valid UTF-8' };
    }
  }
  return parseJsonText(text);
}
