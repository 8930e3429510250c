// The shell around GcSchedule: one timer at the earliest due time (re-armed after each pass), a
// disk watch every `disk_watch_interval` that prunes sooner as the work_dir's file system fills,
// and the removals themselves. It removes nothing outside the agent's work_dir.
import { rm, stat } from 'node:fs/promises';
import { statfsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Cancel, Clock } from '@tepui/protocol';
import { GcSchedule, gcDelayFor, maxAllowedAgeMs } from './sandbox-gc';

export interface CollectorOptions {
  readonly workDir: string;
  readonly gcDelayMs: number;
  readonly gcDiskHeadroom: number;
  readonly diskWatchIntervalMs: number;
}

export interface CollectorIo {
  /** Removes a directory tree; a missing one is no error. */
  remove(path: string): Promise<void>;
  /** When the directory was last modified (ms since the epoch), or undefined if it is gone. */
  modifiedAt(path: string): Promise<number | undefined>;
  /** The used fraction of the file system holding `path`. */
  diskUsage(path: string): number;
}

/** Mesos' fs::usage: (blocks − free blocks) / blocks of the file system. */
export function fileSystemUsage(path: string): number {
  const fs = statfsSync(path);
  return fs.blocks === 0 ? 0 : (fs.blocks - fs.bfree) / fs.blocks;
}

export const nodeCollectorIo: CollectorIo = {
  remove: (path) => rm(path, { recursive: true, force: true }),
  modifiedAt: async (path) => {
    try {
      return (await stat(path)).mtimeMs;
    } catch {
      return undefined;
    }
  },
  diskUsage: fileSystemUsage,
};

export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export class SandboxCollector {
  private readonly plan: GcSchedule;
  private readonly onRemoved = new Map<string, () => void>();
  private timer: Cancel | undefined;
  private timerAt: number | undefined;
  private watch: Cancel | undefined;
  private stopped = false;

  constructor(
    private readonly options: CollectorOptions,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly io: CollectorIo = nodeCollectorIo,
  ) {
    this.plan = new GcSchedule(options.gcDelayMs, options.gcDiskHeadroom);
  }

  /** Starts the disk watch (Mesos checks the disk every disk_watch_interval). */
  start(): void {
    const tick = () => {
      this.checkDisk();
      if (!this.stopped) this.watch = this.clock.setTimer(this.options.diskWatchIntervalMs, tick);
    };
    this.watch = this.clock.setTimer(this.options.diskWatchIntervalMs, tick);
  }

  stop(): void {
    this.stopped = true;
    this.watch?.();
    this.timer?.();
  }

  /**
   * Schedules a directory for removal gc_delay after it (or `ageOf`, if later) was last modified
   * (Mesos' Slave::garbageCollect). `removed` runs once it is gone. Refuses paths outside the work_dir.
   */
  async collect(path: string, removed?: () => void, ageOf?: string): Promise<void> {
    if (!isInside(this.options.workDir, path)) throw new Error(`refusing to garbage-collect '${path}': not inside the work_dir '${this.options.workDir}'`);
    const now = this.clock.now();
    // A directory holding a newer one (an executor's, around its last run) is aged by that one.
    const times = await Promise.all([path, ...(ageOf ? [ageOf] : [])].map((p) => this.io.modifiedAt(p)));
    const known = times.filter((t): t is number => t !== undefined);
    const modifiedAt = known.length > 0 ? Math.max(...known) : now;
    this.plan.schedule(path, gcDelayFor(this.options.gcDelayMs, this.clock.now(), modifiedAt), this.clock.now());
    if (removed) this.onRemoved.set(path, removed);
    else this.onRemoved.delete(path);
    this.log.debug({ path, dueInMs: this.plan.nextDue()! - now }, 'scheduled for garbage collection');
    this.arm();
  }

  unschedule(path: string): void {
    this.plan.unschedule(path);
    this.onRemoved.delete(path);
  }

  isScheduled(path: string): boolean {
    return this.plan.has(path);
  }

  /** Mesos' _checkDiskUsage: prunes what is older than the age allowed at the current usage. */
  checkDisk(): void {
    let usage: number;
    try {
      usage = this.io.diskUsage(this.options.workDir);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not read the disk usage of the work_dir');
      return;
    }
    const paths = this.plan.prune(this.clock.now(), usage);
    if (paths.length > 0) {
      const maxAgeMs = maxAllowedAgeMs(this.options.gcDelayMs, this.options.gcDiskHeadroom, usage);
      this.log.info({ usage, maxAgeMs, count: paths.length }, 'disk usage is high: pruning sandboxes sooner');
    }
    this.removeAll(paths);
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    const next = this.plan.nextDue();
    if (next === undefined) return;
    if (this.timer && this.timerAt !== undefined && this.timerAt <= next) return;
    this.timer?.();
    this.timerAt = next;
    this.timer = this.clock.setTimer(next - this.clock.now(), () => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.removeAll(this.plan.takeDue(this.clock.now()));
      this.arm();
    });
  }

  private removeAll(paths: readonly string[]): void {
    for (const path of paths) {
      const removed = this.onRemoved.get(path);
      this.onRemoved.delete(path);
      // Detached first (the files API stops serving it), then removed.
      removed?.();
      this.io.remove(path).then(
        () => this.log.info({ path }, 'garbage-collected'),
        (err: Error) => this.log.warn({ path, err: err.message }, 'garbage collection failed'),
      );
    }
  }
}
