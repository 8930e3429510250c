// Brings one URI's bytes to a file: HTTP(S) with redirects and Mesos' stall timeout
// (--fetcher_stall_timeout: the transfer is abandoned when no byte arrives for that long), or a
// copy of a local file. Writes go to `<dest>.part`, renamed on success, so a failed download
// never leaves a file that looks complete.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { copyFile, rename, rm, stat } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { formatDuration } from '@tepui/protocol';
import type { UriSource } from './fetch-plan';
import { FollowedFile } from './followed-file';

const MAX_REDIRECTS = 10;

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface DownloadOptions {
  readonly stallTimeoutMs: number;
  /**
   * HTTP(S) only: handed the file being written, to read as it grows (it ends when the download
   * is done, and fails with it). Reading it never slows the download.
   */
  readonly follow?: (body: FollowedFile) => void;
}

/** Downloads `source` to `dest`; resolves with the number of bytes written. */
export async function downloadTo(source: UriSource, dest: string, options: DownloadOptions): Promise<number> {
  const part = `${dest}.part`;
  try {
    const bytes = source.kind === 'http' ? await httpDownload(source.url, part, options.stallTimeoutMs, options.follow) : await localCopy(source.path, part);
    await rename(part, dest);
    return bytes;
  } catch (err) {
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

async function httpDownload(url: string, dest: string, stallTimeoutMs: number, follow: DownloadOptions['follow']): Promise<number> {
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
    return receive(response, dest, stallTimeoutMs, follow);
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
async function receive(response: IncomingMessage, dest: string, stallTimeoutMs: number, follow: DownloadOptions['follow']): Promise<number> {
  const expected = Number(response.headers['content-length'] ?? NaN);
  const timer = setTimeout(() => response.destroy(stalled(stallTimeoutMs)), stallTimeoutMs);
  response.on('data', () => timer.refresh());
  const file = createWriteStream(dest, { highWaterMark: WRITE_BUFFER_BYTES });
  // The follower opens the file once it exists, and before it is renamed.
  const followed = follow ? once(file, 'ready').then(() => FollowedFile.open(dest)) : undefined;
  let failed = false;
  followed?.then((body) => {
    if (failed) return void body.destroy();
    response.on('data', () => body.grew());
    follow!(body);
  }, () => undefined);
  try {
    await pipeline(response, file);
    const received = file.bytesWritten;
    if (Number.isFinite(expected) && received !== expected) {
      throw new DownloadError(`Download ended early: ${received} of ${expected} bytes`);
    }
    (await followed?.catch(() => undefined))?.finish();
    return received;
  } catch (err) {
    const failure = err instanceof DownloadError ? err : new DownloadError(`Error downloading resource: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    failed = true;
    void followed?.then((body) => body.destroy(failure), () => undefined);
    throw failure;
  } finally {
    clearTimeout(timer);
  }
}
