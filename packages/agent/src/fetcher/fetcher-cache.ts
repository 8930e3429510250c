// The agent's fetcher cache (Mesos' --fetcher_cache_dir and --fetcher_cache_size): a URI asked
// for with `cache: true` is downloaded once per agent and user; every fetch of it while the
// download runs waits for that one download instead of starting another. Files are copied out
// of the cache, so a task changing its copy cannot change another's. An entry is a file or, for
// an unpacked archive, a directory. Over the size, the least
// recently used files no fetch is reading are removed; a file larger than the whole cache serves
// the fetches waiting for it and is then removed.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { cacheEvictions } from './cache-policy';

interface CacheEntry {
  readonly key: string;
  readonly file: string;
  size: number;
  lastUsedAt: number;
  readers: number;
  /** Settles when the download is done; a failed download leaves the cache at once. */
  readonly ready: Promise<void>;
  filling: boolean;
}

export interface CacheLease {
  readonly file: string;
  /** Whether this fetch waited for an earlier or concurrent download instead of downloading. */
  readonly hit: boolean;
  release(): void;
}

export interface FetcherCacheStats {
  readonly entries: number;
  readonly bytes: number;
}

export class FetcherCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** Out of the cache (larger than all of it): removed once the last fetch reading it is done. */
  private readonly orphans = new Set<CacheEntry>();
  private uses = 0;
  private files = 0;

  constructor(
    readonly dir: string,
    readonly capacityBytes: number,
    private readonly log: Logger,
  ) {}

  /** Mesos starts every agent with an empty cache: files left by an earlier run are not trusted. */
  async reset(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
  }

  stats(): FetcherCacheStats {
    let bytes = 0;
    for (const e of this.entries.values()) bytes += e.size;
    return { entries: this.entries.size, bytes };
  }

  /**
   * The cache file for `key`, downloading it with `fill` (which resolves with its size) when no
   * entry has it. Release the lease once the file is copied out.
   */
  async acquire(key: string, name: string, fill: (file: string) => Promise<number>): Promise<CacheLease> {
    const existing = this.entries.get(key);
    const entry = existing ?? this.startFill(key, name, fill);
    entry.readers++;
    entry.lastUsedAt = ++this.uses;
    try {
      await entry.ready;
    } catch (err) {
      entry.readers--;
      throw err;
    }
    let released = false;
    return {
      file: entry.file,
      hit: existing !== undefined,
      release: () => {
        if (released) return;
        released = true;
        entry.readers--;
        this.tidy();
      },
    };
  }

  private startFill(key: string, name: string, fill: (file: string) => Promise<number>): CacheEntry {
    const file = join(this.dir, `c${++this.files}-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`);
    const ready = fill(file).then(
      (size) => {
        entry.size = size;
        entry.filling = false;
        if (size > this.capacityBytes) {
          this.entries.delete(key);
          this.orphans.add(entry);
          this.log.info({ key, size, capacity: this.capacityBytes }, 'fetched file is larger than the fetcher cache; not kept');
        }
      },
      async (err: unknown) => {
        this.entries.delete(key);
        await rm(file, { recursive: true, force: true });
        throw err;
      },
    );
    const entry: CacheEntry = { key, file, size: 0, lastUsedAt: 0, readers: 0, ready, filling: true };
    this.entries.set(key, entry);
    // Waiters see a failure through `await entry.ready`; this keeps it from being unhandled.
    ready.then(() => this.tidy(), () => undefined);
    return entry;
  }

  /** Removes files out of the cache that nobody reads any more, and evicts down to the size. */
  private tidy(): void {
    for (const entry of this.orphans) {
      if (entry.readers > 0) continue;
      this.orphans.delete(entry);
      void rm(entry.file, { recursive: true, force: true });
    }
    const victims = cacheEvictions(
      [...this.entries.values()].map((e) => ({ key: e.key, size: e.size, lastUsedAt: e.lastUsedAt, inUse: e.filling || e.readers > 0 })),
      this.capacityBytes,
    );
    for (const key of victims) {
      const entry = this.entries.get(key)!;
      this.entries.delete(key);
      this.log.info({ key, size: entry.size }, 'fetcher cache full; removed the least recently used file');
      void rm(entry.file, { recursive: true, force: true });
    }
  }
}
