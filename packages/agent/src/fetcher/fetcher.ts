// Mesos' fetcher: before a container starts, every URI of its command lands in its sandbox —
// downloaded (or taken from the cache), then extracted or made executable. URIs are fetched in
// order; the first failure stops the fetch and names its URI. A cached archive is also unpacked
// once per agent, into the cache. Where the agent can mount overlayfs, the cached URIs that lead
// the list are not copied at all: the sandbox is mounted over read-only layers of the cache's
// files (sandbox-layers.ts), and each task still gets files of its own to change. Elsewhere each
// sandbox gets a copy: the same result as extracting there, without inflating the archive once
// per task. What the fetcher does is logged to the sandbox's stderr, where Mesos' fetcher output
// goes, so a user reading the task's stderr sees why it did not start.
import { appendFile, chmod, constants, copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { CommandURI } from '@tepui/protocol';
import { downloadTo } from './downloader';
import { CachedArtifacts } from './cached-artifacts';
import { extractArchive } from './extract';
import { FetchPlanError, planFetch, type FetchItem } from './fetch-plan';
import type { CacheLease, FetcherCache } from './fetcher-cache';
import type { Layer, SandboxLayers } from './sandbox-layers';
import { copyEntry, placeTree } from './trees';

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
  /** Set where sandboxes can be mounted over the cache's files instead of copying them. */
  readonly layers?: SandboxLayers;
}

export interface FetcherObserver {
  fetched(outcome: 'downloaded' | 'cache_hit' | 'failed', bytes: number): void;
}

export class Fetcher implements SandboxFetcher {
  private readonly artifacts: CachedArtifacts;

  constructor(
    private readonly options: FetcherOptions,
    private readonly log: Logger,
    private readonly observer: FetcherObserver = { fetched: () => undefined },
  ) {
    this.artifacts = new CachedArtifacts(options.cache, options.stallTimeoutMs, observer);
  }

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
    const layered = this.options.layers ? leadingLayerable(items) : [];
    if (layered.length > 0) await this.fetchAsLayers(layered, request.sandbox, note);
    for (const item of items.slice(layered.length)) {
      await note(`Fetching URI '${item.uri}'`);
      await this.attempt(item, request.sandbox, note, () => this.fetchOne(item, request.sandbox, note));
    }
  }

  /** Runs one URI's fetch; a failure is noted, counted and thrown as the FetchFailure naming it. */
  private async attempt<T>(item: FetchItem, sandbox: string, note: (line: string) => Promise<void>, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const reason = (err as Error).message;
      await note(`Failed to fetch '${item.uri}': ${reason}`);
      this.log.warn({ uri: item.uri, sandbox, reason }, 'fetch failed');
      this.observer.fetched('failed', 0);
      throw new FetchFailure(item.uri, reason);
    }
  }

  /**
   * Brings `items` (cached, at the head of the list) into the cache and mounts the sandbox over
   * them, the last URI on top as if it had been fetched last. Where the mount cannot be made, the
   * same layers are copied into the sandbox, bottom first: the same files, each sandbox its own.
   */
  private async fetchAsLayers(items: readonly FetchItem[], sandbox: string, note: (line: string) => Promise<void>): Promise<void> {
    const leases: CacheLease[] = [];
    try {
      const layers: Layer[] = [];
      for (const item of items) {
        await note(`Fetching URI '${item.uri}'`);
        layers.push(...(await this.attempt(item, sandbox, note, () => this.cachedLayers(item, leases))));
      }
      if (await this.options.layers!.mount(sandbox, layers)) {
        await note(`Mounted '${sandbox}' over ${items.length} cached URI(s) from the fetcher cache, as read-only layers`);
        return;
      }
      for (const part of layers.flat()) await placeTree(part.source, join(sandbox, part.target), copyEntry);
      await note(`Copied from the fetcher cache to '${sandbox}' (it could not be mounted over the cached files)`);
    } finally {
      for (const lease of leases) lease.release();
    }
  }

  /** The layers one cached URI adds: the file (made executable) or the archive, and its unpacked tree above it. */
  private async cachedLayers(item: FetchItem, leases: CacheLease[]): Promise<Layer[]> {
    const lease = await this.artifacts.file(item);
    leases.push(lease);
    if (item.executable) {
      const executable = await this.artifacts.executable(item, lease);
      leases.push(executable);
      return [[{ source: executable.file, target: item.outputPath }]];
    }
    const file: Layer = [{ source: lease.file, target: item.outputPath }];
    if (!item.archive) return [file];
    const tree = await this.artifacts.unpacked(item, lease);
    leases.push(tree);
    return [file, [{ source: tree.file, target: '' }]];
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
    const lease = await this.artifacts.file(item);
    try {
      // A copy-on-write clone where the file system has them, a copy elsewhere.
      await copyFile(lease.file, dest, constants.COPYFILE_FICLONE);
      await note(`${lease.hit ? 'Copied from the fetcher cache' : 'Downloaded into the fetcher cache and copied'} to '${dest}'`);
      if (item.executable) {
        await chmod(dest, 0o755);
      } else if (item.archive === 'gz') {
        await this.extract(dest, item.archive, sandbox, note);
      } else if (item.archive) {
        // Each sandbox gets its own copy of the files, as if it had extracted the archive itself,
        // but the archive is unpacked once per agent: copying a tree costs a fraction of inflating it.
        const tree = await this.artifacts.unpacked(item, lease);
        try {
          await placeTree(tree.file, sandbox, copyEntry);
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
 * The cached URIs at the head of the list, which can be layers: a `.gz` is decompressed in place,
 * so it is copied. A cached URI after an uncached one is copied too, so that whichever comes last
 * wins where two write the same name, as in Mesos.
 */
function leadingLayerable(items: readonly FetchItem[]): FetchItem[] {
  const end = items.findIndex((item) => item.cacheKey === undefined || item.archive === 'gz');
  return items.slice(0, end < 0 ? items.length : end);
}
