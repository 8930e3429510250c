// Unpacks a fetched archive into the sandbox, as Mesos' fetcher does with tar, unzip and gzip,
// but through libraries: node-tar (tar, gzip), unbzip2-stream (bzip2), xz-decompress (xz) and
// yauzl (zip). Nothing lands outside the destination: tar and zip entries with absolute paths or
// `..`, and zip symlinks pointing out, fail the extraction, as do corrupt or truncated archives.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar';
import unbzip2Stream = require('unbzip2-stream');
import { XzReadableStream } from 'xz-decompress';
import * as yauzl from 'yauzl';
import type { ArchiveKind } from './fetch-plan';

export class ExtractError extends Error {
  constructor(readonly archive: string, reason: string) {
    super(`Failed to extract '${archive}': ${reason}`);
    this.name = 'ExtractError';
  }
}

/** Extracts `archive` into `destDir`; a `.gz` that is not a tarball is decompressed in place. */
export async function extractArchive(archive: string, kind: ArchiveKind, destDir: string): Promise<void> {
  try {
    if (kind === 'zip') await unzip(archive, destDir);
    else if (kind === 'gz') await gunzipInPlace(archive);
    else await untar(archive, kind, destDir);
  } catch (err) {
    if (err instanceof ExtractError) throw err;
    throw new ExtractError(archive, (err as Error).message);
  }
}

export function extractsAsItArrives(kind: ArchiveKind): kind is Exclude<ArchiveKind, 'zip' | 'gz'> {
  return kind !== 'zip' && kind !== 'gz';
}

/**
 * Unpacks a tarball read from `body` as its bytes come (tar kinds only: a zip's directory is at
 * its end, and a plain .gz is decompressed in place); fails as extractArchive does, and when
 * `body` fails.
 */
export function extractStream(body: Readable, archive: string, kind: Exclude<ArchiveKind, 'zip' | 'gz'>, destDir: string): Promise<void> {
  // A failed body ends the extraction too, whatever the decompressor does with the error.
  const aborted = new Promise<never>((_, reject) => body.once('error', reject));
  return Promise.race([untarFrom(body, archive, kind, destDir), aborted]).catch((err: unknown) => {
    throw err instanceof ExtractError ? err : new ExtractError(archive, (err as Error).message);
  });
}

function untar(archive: string, kind: Exclude<ArchiveKind, 'zip' | 'gz'>, destDir: string): Promise<void> {
  return untarFrom(createReadStream(archive), archive, kind, destDir);
}

async function untarFrom(file: Readable, archive: string, kind: Exclude<ArchiveKind, 'zip' | 'gz'>, destDir: string): Promise<void> {
  const problems: string[] = [];
  // tar reports bad entries (absolute or `..` paths, bad checksums, a truncated stream) as
  // warnings and goes on; GNU tar exits non-zero for them, so they fail the fetch here too.
  const unpack = tar.x({
    cwd: destDir,
    onwarn: (code, message) => { if (code !== 'TAR_ENTRY_INFO') problems.push(message); },
  }) as unknown as Writable;
  if (kind === 'tar' || kind === 'tar.gz') {
    await pipeline(file, unpack);
  } else {
    // Both decompressors report corrupt input in their own words; say which layer failed.
    const layer = kind === 'tar.bz2' ? 'bzip2' : 'xz';
    const decompressed = kind === 'tar.bz2' ? file.pipe(unbzip2Stream()) : Readable.fromWeb(new XzReadableStream(Readable.toWeb(file) as ReadableStream<Uint8Array>) as WebReadableStream);
    await pipeline(decompressed, unpack).catch((err: Error) => {
      throw new ExtractError(archive, problems.length > 0 ? problems.join('; ') : `corrupt or truncated ${layer} data (${err.message})`);
    });
  }
  if (problems.length > 0) throw new ExtractError(archive, problems.join('; '));
}

async function gunzipInPlace(archive: string): Promise<void> {
  const out = archive.slice(0, -'.gz'.length);
  try {
    await pipeline(createReadStream(archive), createGunzip(), createWriteStream(out));
  } catch (err) {
    await rm(out, { force: true });
    throw err;
  }
  await rm(archive);
}

/** `path` (absolute), refused unless it stays below `destDir`. */
function inside(destDir: string, path: string, archive: string, name: string): string {
  const rel = relative(destDir, path);
  if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) throw new ExtractError(archive, `entry '${name}' points outside the sandbox`);
  return path;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function unzip(archive: string, destDir: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // yauzl refuses absolute and `..` entry names itself (its validateFileName).
    yauzl.open(archive, { lazyEntries: true, autoClose: true }, (openError, zip) => {
      if (openError) return reject(openError);
      zip.on('error', reject);
      zip.on('end', () => resolvePromise());
      zip.on('entry', (entry: yauzl.Entry) => {
        writeEntry(zip, entry, destDir, archive).then(() => zip.readEntry(), (err: unknown) => {
          zip.close();
          reject(err);
        });
      });
      zip.readEntry();
    });
  });
}

async function writeEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, destDir: string, archive: string): Promise<void> {
  const target = inside(destDir, resolve(destDir, entry.fileName), archive, entry.fileName);
  if (entry.fileName.endsWith('/')) {
    await mkdir(target, { recursive: true });
    return;
  }
  await mkdir(dirname(target), { recursive: true });
  const unixMode = (entry.externalFileAttributes >>> 16) & 0xffff;
  const stream = await new Promise<Readable>((ok, fail) => zip.openReadStream(entry, (err, s) => (err ? fail(err) : ok(s))));
  if ((unixMode & S_IFMT) === S_IFLNK) {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const linkTarget = Buffer.concat(chunks).toString('utf8');
    inside(destDir, resolve(dirname(target), linkTarget), archive, entry.fileName);
    await rm(target, { force: true });
    await symlink(linkTarget, target);
    return;
  }
  const mode = unixMode & 0o777 || 0o644;
  await pipeline(stream, createWriteStream(target, { mode }));
}
