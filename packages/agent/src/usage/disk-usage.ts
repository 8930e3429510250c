// Bytes under each sandbox, sampled at most once an interval. Mesos' posix/disk isolator runs `du`
// every --container_disk_watch_interval (15 s by default) and reports the last figure; walking a
// large sandbox on every /monitor/statistics request would cost more than the answer is worth.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '@tepui/protocol';

/** Mesos' --container_disk_watch_interval default. */
export const DISK_SAMPLE_INTERVAL_MS = 15_000;
/** A walk stops after this many entries and reports what it counted: a bound on one sample's cost. */
export const DISK_WALK_MAX_ENTRIES = 100_000;

export interface DirectorySize {
  readonly bytes: number;
  /** False when the walk stopped at its entry bound, so `bytes` is a lower bound. */
  readonly complete: boolean;
}

/** Space a tree takes on disk as `du` counts it (allocated blocks), symlinks not followed. */
export async function directoryBytes(root: string, maxEntries = DISK_WALK_MAX_ENTRIES): Promise<DirectorySize> {
  let bytes = (await lstat(root)).blocks * 512;
  let entries = 0;
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    const names = await readdir(dir).catch(() => [] as string[]); // removed while walking
    for (const name of names) {
      if (++entries > maxEntries) return { bytes, complete: false };
      const path = join(dir, name);
      const stats = await lstat(path).catch(() => undefined);
      if (!stats) continue;
      bytes += stats.blocks * 512;
      if (stats.isDirectory()) pending.push(path);
    }
  }
  return { bytes, complete: true };
}

interface Sample {
  readonly bytes: number;
  readonly takenAt: number;
}

/** The last size of each sandbox asked for, refreshed in the background once it is older than the interval. */
export class DiskUsageSampler {
  private readonly samples = new Map<string, Sample>();
  private readonly walking = new Map<string, Promise<Sample | undefined>>();

  constructor(
    private readonly walk: (dir: string) => Promise<DirectorySize>,
    private readonly clock: Clock,
    private readonly intervalMs = DISK_SAMPLE_INTERVAL_MS,
    private readonly onIncomplete: (dir: string, bytes: number) => void = () => undefined,
  ) {}

  /**
   * Bytes under `dir`: the last sample, and a new one started when that is stale. Only the first
   * request for a sandbox waits for its walk. Undefined when it cannot be walked (gone already).
   */
  async usedBytes(dir: string): Promise<number | undefined> {
    const last = this.samples.get(dir);
    if (last && this.clock.now() - last.takenAt < this.intervalMs) return last.bytes;
    const next = this.sample(dir);
    if (last) return last.bytes;
    return (await next)?.bytes;
  }

  /** Forgets sandboxes no longer asked about (their executors ended). */
  retain(dirs: ReadonlySet<string>): void {
    for (const dir of this.samples.keys()) if (!dirs.has(dir)) this.samples.delete(dir);
  }

  private sample(dir: string): Promise<Sample | undefined> {
    let walk = this.walking.get(dir);
    if (walk) return walk;
    walk = this.walk(dir).then(
      (size) => {
        if (!size.complete) this.onIncomplete(dir, size.bytes);
        const sample = { bytes: size.bytes, takenAt: this.clock.now() };
        this.samples.set(dir, sample);
        return sample;
      },
      () => undefined,
    ).finally(() => this.walking.delete(dir));
    this.walking.set(dir, walk);
    return walk;
  }
}
