// What /files/read and READ_FILE read (Mesos' FilesProcess::read/_read, src/files/files.cpp), as
// pure decisions: the query's parameters, the byte window for a file of a given size, and the
// JSON string Mesos writes the bytes into.

/** Mesos caps a read at 16 pages (os::pagesize() * 16); 4 KiB pages, as on x86-64 Linux. */
export const PAGE_SIZE = 4096;
export const MAX_READ_LENGTH = 16 * PAGE_SIZE;

export interface ReadQuery {
  readonly path: string;
  /** -1 (the default) asks for the file's size only. */
  readonly offset: number;
  readonly length?: number;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const INTEGER = /^[+-]?\d+$/;

export function parsePathQuery(query: URLSearchParams): Parsed<string> {
  const path = query.get('path');
  if (!path) return { ok: false, error: "Expecting 'path=value' in query.\n" };
  return { ok: true, value: path };
}

export function parseReadQuery(query: URLSearchParams): Parsed<ReadQuery> {
  const path = parsePathQuery(query);
  if (!path.ok) return path;
  let offset = -1;
  const rawOffset = query.get('offset');
  if (rawOffset !== null) {
    if (!INTEGER.test(rawOffset) || !Number.isSafeInteger(Number(rawOffset))) return { ok: false, error: `Failed to parse offset: Failed to convert '${rawOffset}' to number.\n` };
    offset = Number(rawOffset);
    if (offset < -1) return { ok: false, error: `Negative offset provided: ${offset}.\n` };
  }
  let length: number | undefined;
  const rawLength = query.get('length');
  if (rawLength !== null) {
    if (!INTEGER.test(rawLength) || !Number.isSafeInteger(Number(rawLength))) return { ok: false, error: `Failed to parse length: Failed to convert '${rawLength}' to number.\n` };
    const value = Number(rawLength);
    if (value < -1) return { ok: false, error: `Negative length provided: ${value}.\n` };
    // The Mesos web UI's pailer sends length=-1: the same as no length.
    if (value > -1) length = value;
  }
  return { ok: true, value: { path: path.value, offset, ...(length === undefined ? {} : { length }) } };
}

export interface ReadWindow {
  /** Where to start reading and how many bytes at most (0: read nothing). */
  readonly start: number;
  readonly count: number;
}

/** The bytes to read from a file of `size` for a read at `offset` (≥ 0) of at most `length`. */
export function readWindow(offset: number, length: number | undefined, size: number): ReadWindow {
  if (offset >= size) return { start: offset, count: 0 };
  return { start: offset, count: Math.min(length ?? size - offset, size - offset, MAX_READ_LENGTH) };
}

/** /files/read's `offset`: the one asked for, or the size for -1 (which reads nothing). */
export function replyOffset(offset: number, size: number): number {
  return offset === -1 ? size : offset;
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

/**
 * A JSON string holding `bytes` as Mesos writes a std::string: quotes, backslashes and control
 * characters escaped, every other byte as it is (so the reply holds exactly the file's bytes, even
 * where a read splits a UTF-8 character).
 */
export function jsonStringOfBytes(bytes: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from('"')];
  let from = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x20 && byte !== 0x22 && byte !== 0x5c && byte !== 0x7f) continue;
    if (i > from) parts.push(bytes.subarray(from, i));
    parts.push(Buffer.from(SHORT_ESCAPES[byte] ?? `\\u${byte.toString(16).padStart(4, '0')}`));
    from = i + 1;
  }
  if (from < bytes.length) parts.push(bytes.subarray(from));
  parts.push(Buffer.from('"'));
  return Buffer.concat(parts);
}

/** The /files/read body: `{"data":"…","offset":N}`, bytes kept as they are. */
export function readReplyBody(data: Buffer, offset: number): Buffer {
  return Buffer.concat([Buffer.from('{"data":'), jsonStringOfBytes(data), Buffer.from(`,"offset":${offset}}`)]);
}
