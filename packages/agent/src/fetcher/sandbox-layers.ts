// Cached fetches shared between sandboxes without a copy each: the sandbox is mounted (overlayfs)
// over read-only layers made of hard links to the fetcher cache's files, so twenty tasks fetching
// one 50 MB archive write 50 MB once, not twenty times. A task still sees its own files: writing
// one copies it up into its sandbox, deleting one hides it there, and neither touches the cache or
// another sandbox. Each sandbox's layers are its own links (under `root`, named after the
// sandbox), so the cache may evict or reset an entry while sandboxes still use it. Needs root and
// overlayfs; where a mount fails, the fetcher falls back to copying.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { systemMounts, type SystemMounts } from './system-mounts';
import { linkEntry, placeTree } from './trees';
import { layersDirName, mountPointsAtOrBelow, overlayMountOptions, parseMountInfo } from './overlay-mounts';

/** One part of a layer: a cache file linked at `target`, or a cached tree linked below it ('' for the layer's root). */
export interface LayerPart {
  readonly source: string;
  readonly target: string;
}

export type Layer = readonly LayerPart[];

export async function overlayMountsSupported(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  try {
    return /\toverlay$/m.test(await readFile('/proc/filesystems', 'utf8'));
  } catch {
    return false;
  }
}

export async function overlayMountsAtOrBelow(dir: string): Promise<string[]> {
  return mountPointsAtOrBelow(parseMountInfo(await readFile('/proc/self/mountinfo', 'utf8')), dir, 'overlay');
}

export class SandboxLayers {
  constructor(
    /** Where sandboxes' layers and overlay work dirs live: on the work_dir's file system. */
    readonly root: string,
    private readonly log: Logger,
    private readonly mounts: SystemMounts = systemMounts(),
  ) {}

  /**
   * Mounts `sandbox` over `layers` (bottom first). False, with nothing left behind, when the
   * mount cannot be made: the caller copies the files instead.
   */
  async mount(sandbox: string, layers: readonly Layer[]): Promise<boolean> {
    const dir = join(this.root, layersDirName(sandbox));
    const lowers = layers.map((_, i) => join(dir, `l${i}`));
    const work = join(dir, 'work');
    const options = overlayMountOptions(lowers, sandbox, work);
    if (options === undefined) return false;
    try {
      await rm(dir, { recursive: true, force: true });
      await mkdir(work, { recursive: true });
      await Promise.all(layers.map(async (layer, i) => {
        await mkdir(lowers[i]!, { recursive: true });
        for (const part of layer) await placeTree(part.source, join(lowers[i]!, part.target), linkEntry);
      }));
      await this.mounts.mountOverlay(options, sandbox);
      return true;
    } catch (err) {
      this.log.warn({ sandbox, err: (err as Error).message }, 'could not mount the sandbox over the fetched files; copying them instead');
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      return false;
    }
  }

  /** How sandboxes are mounted: through the system call, or mount(8) where the addon is not built. */
  get method(): SystemMounts['method'] {
    return this.mounts.method;
  }

  /** Stops the mount helper, if there is one (mounts made stay). */
  close(): void {
    this.mounts.close();
  }

  /** Unmounts every sandbox mounted at or below `dir` and drops its layers: before removing `dir`. */
  async releaseBelow(dir: string): Promise<void> {
    for (const mountPoint of await overlayMountsAtOrBelow(dir)) {
      await this.unmount(mountPoint);
      await rm(join(this.root, layersDirName(mountPoint)), { recursive: true, force: true });
    }
  }

  private async unmount(mountPoint: string): Promise<void> {
    try {
      await this.mounts.unmount(mountPoint);
    } catch (err) {
      // A process left behind still holds a file open in it: detach it now, the kernel frees it later.
      this.log.warn({ mountPoint, err: (err as Error).message }, 'sandbox busy; detaching its mount lazily');
      await this.mounts.unmount(mountPoint, true);
    }
  }

  /** At start: drops layers whose sandbox is no longer mounted (removed while the agent was down). */
  async sweep(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const mounted = new Set((await overlayMountsAtOrBelow('/')).map(layersDirName));
    for (const name of await readdir(this.root)) {
      if (!mounted.has(name)) await rm(join(this.root, name), { recursive: true, force: true });
    }
  }
}
