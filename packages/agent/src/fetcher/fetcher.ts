// Mesos' fetcher: before a container starts, every URI of its command lands in its sandbox —
// downloaded (or copied from the cache), then extracted or made executable. URIs are fetched in
// order; the first failure stops the fetch and names its URI. A cached archive is also unpacked
// once per agent, into the cache, and each sandbox gets a copy of the unpacked files: the same
// result as extracting it there, without inflating it once per task. What the fetcher does is logged to
// the sandbox's stderr, where Mesos' fetcher output goes, so a user reading the task's stderr sees
// why it did not start.
import { appendFile, chmod, constants, copyFile, lstat, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { Logger } from 'pino';
import type { CommandURI } from '@tepui/protocol';
import { downloadTo } from './downloader';
import { extractArchive } from './extract';
import { FetchPlanError, planFetch, type FetchItem } from './fetch-plan';
import type { FetcherCache } from './fetcher-cache';

export interface FetchRequest {
  readonly uris: readonly CommandURI[];
  /** The directory the files land in: an executor's sandbox, or a task's below it. */
  readonly sandbox: string;
  readonly user?: string;
}

/** The seam the agent core launches through; the real one and test fakes implement it. */
export interface SandboxFetcher {
  fetch(request: FetchRequest): Promise<void>;
}

export class FetchFailure extends Error {
  constructor(readonly uri: string, readonly reason: string) {
    super(`Failed to fetch '${uri}': ${reason}`);
    this.name = 'FetchFailure';
  }
}

export interface FetcherOptions {
  readonly cache: FetcherCache;
  readonly stallTimeoutMs: number;
  readonly frameworksHome?: string;
}

export interface FetcherObserver {
  fetched(outcome: 'downloaded' | 'cache_hit' | 'failed', bytes: number): void;
}

export class Fetcher implements SandboxFetcher {
  constructor(
    private readonly options: FetcherOptions,
    private readonly log: Logger,
    private readonly observer: FetcherObserver = { fetched: () => undefined },
  ) {}

  async fetch(request: FetchRequest): Promise<void> {
    if (request.uris.length === 0) return;
    await mkdir(request.sandbox, { recursive: true });
    const note = (line: string) => appendFile(join(request.sandbox, 'stderr'), `${new Date().toISOString()} fetcher: ${line}\n`).catch(() => undefined);
    let items: FetchItem[];
    try {
      items = planFetch(request.uris, { user: request.user, frameworksHome: this.options.frameworksHome });
    } catch (err) {
      if (!(err instanceof FetchPlanError)) throw err;
      await note(`Failed to fetch '${err.uri}': ${err.message}`);
      this.observer.fetched('failed', 0);
      throw new FetchFailure(err.uri, err.message);
    }
    for (const item of items) {
      await note(`Fetching URI '${item.uri}'`);
      try {
        await this.fetchOne(item, request.sandbox, note);
      } catch (err) {
        const reason = (err as Error).message;
        await note(`Failed to fetch '${item.uri}': ${reason}`);
        this.log.warn({ uri: item.uri, sandbox: request.sandbox, reason }, 'fetch failed');
        this.observer.fetched('failed', 0);
        throw new FetchFailure(item.uri, reason);
      }
    }
  }

  private async fetchOne(item: FetchItem, sandbox: string, note: (line: string) => Promise<void>): Promise<void> {
    const dest = join(sandbox, item.outputPath);
    await mkdir(dirname(dest), { recursive: true });
    const download = (file: string) => downloadTo(item.source, file, { stallTimeoutMs: this.options.stallTimeoutMs });
    if (item.cacheKey === undefined) {
      const bytes = await download(dest);
      this.observer.fetched('downloaded', bytes);
      await note(`Downloaded ${bytes} bytes to '${dest}'`);
      if (item.executable) await chmod(dest, 0o755);
      else if (item.archive) await this.extract(dest, item.archive, sandbox, note);
      return;
    }
    const cache = this.options.cache;
    const lease = await cache.acquire(item.cacheKey, basename(item.outputPath), async (file) => {
      const bytes = await download(file);
      this.observer.fetched('downloaded', bytes);
      return bytes;
    });
    try {
      // A copy-on-write clone where the file system has them, a copy elsewhere.
      await copyFile(lease.file, dest, constants.COPYFILE_FICLONE);
      if (lease.hit) this.observer.fetched('cache_hit', 0);
      await note(`${lease.hit ? 'Copied from the fetcher cache' : 'Downloaded into the fetcher cache and copied'} to '${dest}'`);
      if (item.executable) {
        await chmod(dest, 0o755);
      } else if (item.archive === 'gz') {
        await this.extract(dest, item.archive, sandbox, note);
      } else if (item.archive) {
        // Each sandbox gets its own copy of the files, as if it had extracted the archive itself,
        // but the archive is unpacked once per agent: copying a tree costs a fraction of inflating it.
        const archive = item.archive;
        const tree = await cache.acquire(`${item.cacheKey}\u0000extracted`, `${basename(item.outputPath)}.d`, async (dir) => {
          await mkdir(dir);
          await extractArchive(lease.file, archive, dir);
          return treeBytes(dir);
        });
        try {
          await copyTree(tree.file, sandbox);
        } finally {
          tree.release();
        }
        await note(`Extracted '${dest}' into '${sandbox}'${tree.hit ? ' (unpacked once in the fetcher cache)' : ''}`);
      }
    } finally {
      lease.release();
    }
  }

  private async extract(archive: string, kind: NonNullable<FetchItem['archive']>, sandbox: string, note: (line: string) => Promise<void>): Promise<void> {
    await extractArchive(archive, kind, sandbox);
    await note(`Extracted '${archive}' into '${sandbox}'`);
  }
}

/**
 * Copies the files, directories and symlinks (verbatim) below `from` into `to`, replacing files
 * of the same name, as extracting there would. File by file with copyFile: fs.cp is several
 * times slower for large files.
 */
async function copyTree(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true, recursive: true });
  const target = (e: (typeof entries)[number]) => join(to, relative(from, join(e.parentPath ?? e.path, e.name)));
  for (const dir of entries.filter((e) => e.isDirectory())) await mkdir(target(dir), { recursive: true });
  await Promise.all(entries.filter((e) => !e.isDirectory()).map(async (e) => {
    const source = join(e.parentPath ?? e.path, e.name);
    if (e.isSymbolicLink()) {
      await rm(target(e), { force: true });
      await symlink(await readlink(source), target(e));
    } else if (e.isFile()) {
      await copyFile(source, target(e), constants.COPYFILE_FICLONE);
    }
  }));
}

/** Bytes of the regular files below `dir`: what an unpacked tree costs the cache. */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath ?? entry.path, entry.name))).size;
  }
  return total;
}
