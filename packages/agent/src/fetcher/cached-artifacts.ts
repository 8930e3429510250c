// What the fetcher keeps in its cache for a URI: the downloaded file; for an archive, its tree
// unpacked once per agent (a tarball while it downloads, from the file being written); for an
// executable, a 0755 copy of its own, so that the downloaded file keeps its mode for fetches that
// did not ask for it. Every entry is leased: release it once it is copied or linked out.
import { chmod, constants, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { downloadTo } from './downloader';
import { extractArchive, extractStream, extractsAsItArrives } from './extract';
import type { ArchiveKind, FetchItem } from './fetch-plan';
import type { CacheLease, FetcherCache } from './fetcher-cache';
import type { FollowedFile } from './followed-file';
import { treeBytes } from './trees';

export interface ArtifactObserver {
  fetched(outcome: 'downloaded' | 'cache_hit', bytes: number): void;
}

export class CachedArtifacts {
  /** Cache file → its archive unpacked while it downloaded (undefined if that failed). */
  private readonly unpackedEarly = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly cache: FetcherCache,
    private readonly stallTimeoutMs: number,
    private readonly observer: ArtifactObserver,
  ) {}

  /** The URI's file in the cache, downloaded once per agent; a tarball is unpacked as it arrives. */
  async file(item: FetchItem): Promise<CacheLease> {
    const lease = await this.cache.acquire(item.cacheKey!, basename(item.outputPath), async (file) => {
      // A tarball to unpack is unpacked from the file as it downloads, for unpacked() to take.
      const kind = item.archive;
      const follow = kind !== undefined && extractsAsItArrives(kind) ? (body: FollowedFile) => this.unpackWhileDownloading(body, file, kind) : undefined;
      try {
        const bytes = await downloadTo(item.source, file, { stallTimeoutMs: this.stallTimeoutMs, ...(follow ? { follow } : {}) });
        this.observer.fetched('downloaded', bytes);
        return bytes;
      } catch (err) {
        await discardTree(this.takeUnpackedEarly(file));
        throw err;
      }
    });
    if (lease.hit) this.observer.fetched('cache_hit', 0);
    return lease;
  }

  /** Unpacks the cache's `file` into `<file>.unpacked` from `body`, the file as it is written. */
  private unpackWhileDownloading(body: FollowedFile, file: string, kind: Exclude<ArchiveKind, 'zip' | 'gz'>): void {
    const dir = `${file}.unpacked`;
    const unpacked = mkdir(dir)
      .then(() => extractStream(body, file, kind, dir))
      .then(() => dir, async () => {
        body.destroy();
        await rm(dir, { recursive: true, force: true });
        return undefined;
      });
    this.unpackedEarly.set(file, unpacked);
  }

  /** The tree unpacked during the download of the cache's `file`, if it unpacked cleanly; taken once. */
  private takeUnpackedEarly(file: string): Promise<string | undefined> | undefined {
    const early = this.unpackedEarly.get(file);
    this.unpackedEarly.delete(file);
    return early;
  }

  /** The archive unpacked once per agent, in the cache. */
  async unpacked(item: FetchItem, archive: CacheLease): Promise<CacheLease> {
    const kind = item.archive!;
    const early = this.takeUnpackedEarly(archive.file);
    let taken = false;
    const tree = await this.cache.acquire(`${item.cacheKey!}\u0000extracted`, `${basename(item.outputPath)}.d`, async (dir) => {
      taken = true;
      const unpackedDir = await early;
      if (unpackedDir !== undefined) {
        await rename(unpackedDir, dir);
      } else {
        // Not unpacked during the download (a cache hit, a zip, a failure there): from the file, which names the problem.
        await mkdir(dir);
        await extractArchive(archive.file, kind, dir);
      }
      return treeBytes(dir);
    });
    if (!taken) void discardTree(early);
    return tree;
  }

  /** The file made executable (mode 0755), a copy of its own in the cache. */
  executable(item: FetchItem, downloaded: CacheLease): Promise<CacheLease> {
    return this.cache.acquire(`${item.cacheKey!}\u0000executable`, `${basename(item.outputPath)}.x`, async (file) => {
      await copyFile(downloaded.file, file, constants.COPYFILE_FICLONE);
      await chmod(file, 0o755);
      return (await stat(file)).size;
    });
  }
}

async function discardTree(tree: Promise<string | undefined> | undefined): Promise<void> {
  const dir = await tree;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}
