// Brings one URI's bytes to a file: HTTP(S) with redirects and Mesos' stall timeout
// (--fetcher_stall_timeout: the transfer is abandoned when no byte arrives for that long), or a
// copy of a local file. Writes go to `<dest>.part`, renamed on success, so a failed download
// never leaves a file that looks complete.
import { createWriteStream } from 'node:fs';
import { copyFile, rename, rm, stat } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatDuration } from '@tepui/protocol';
import type { UriSource } from './fetch-plan';

const MAX_REDIRECTS = 10;

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface DownloadOptions {
  readonly stallTimeoutMs: number;
  /** HTTP(S) only: also gets the body as it arrives (ended with it, destroyed if it fails); its own failure does not fail the download. */
  readonly tee?: Writable;
}

/** Downloads `source` to `dest`; resolves with the number of bytes written. */
export async function downloadTo(source: UriSource, dest: string, options: DownloadOptions): Promise<number> {
  const part = `${dest}.part`;
  try {
    const bytes = source.kind === 'http' ? await httpDownload(source.url, part, options.stallTimeoutMs, options.tee) : await localCopy(source.path, part);
    await rename(part, dest);
    return bytes;
  } catch (err) {
    options.tee?.destroy(err as Error);
    await rm(part, { force: true });
    throw err;
  }
}

async function localCopy(path: string, dest: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new DownloadError(`'${path}' is not a regular file`);
    await copyFile(path, dest);
    return info.size;
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    throw new DownloadError(`Failed to copy '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function httpDownload(url: string, dest: string, stallTimeoutMs: number, tee: Writable | undefined): Promise<number> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await request(current, stallTimeoutMs);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.resume();
      current = new URL(location, current).toString();
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new DownloadError(`Error downloading resource, received HTTP return code ${status}`);
    }
    return receive(response, dest, stallTimeoutMs, tee);
  }
  throw new DownloadError(`Too many redirects (more than ${MAX_REDIRECTS})`);
}

function stalled(stallTimeoutMs: number): DownloadError {
  return new DownloadError(`Download stalled: nothing received for ${formatDuration(stallTimeoutMs)} (--fetcher_stall_timeout)`);
}

/** The response headers, or an error once nothing has come for the stall timeout. */
function request(url: string, stallTimeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { headers: { 'User-Agent': 'tepui-fetcher' } }, (res) => {
      clearTimeout(timer);
      resolve(res);
    });
    const timer = setTimeout(() => req.destroy(stalled(stallTimeoutMs)), stallTimeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err instanceof DownloadError ? err : new DownloadError(`Error downloading resource: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    });
  });
}

/**
 * Large writes: with the default 16 KiB buffer a 50 MB body became thousands of small writes, and
 * the download took twice as long as curl's on loopback.
 */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

/** Streams the body to `dest`, re-arming the stall timer on every chunk; checks Content-Length. */
async function receive(response: IncomingMessage, dest: string, stallTimeoutMs: number, tee: Writable | undefined): Promise<number> {
  const expected = Number(response.headers['content-length'] ?? NaN);
  const timer = setTimeout(() => response.destroy(stalled(stallTimeoutMs)), stallTimeoutMs);
  response.on('data', () => timer.refresh());
  if (tee) {
    // pipe() waits for the slower of the two (the file, the tee); a tee that fails stops being fed.
    response.pipe(tee);
    tee.once('error', () => response.unpipe(tee));
  }
  const file = createWriteStream(dest, { highWaterMark: WRITE_BUFFER_BYTES });
  try {
    await pipeline(response, file);
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    throw new DownloadError(`Error downloading resource: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  const received = file.bytesWritten;
  if (Number.isFinite(expected) && received !== expected) {
    throw new DownloadError(`Download ended early: ${received} of ${expected} bytes`);
  }
  return received;
}
