// Mesos' agent garbage collector (src/slave/gc.cpp, and Slave::garbageCollect / age /
// _checkDiskUsage in src/slave/slave.cpp), as a pure schedule: a directory is due `gc_delay`
// after it was last modified; a disk watch prunes sooner, removing every directory whose
// remaining time is within `gc_delay - age(usage)`, where
//   age(usage) = gc_delay × max(0, 1 − gc_disk_headroom − usage)
// is the oldest a finished sandbox may get at that disk usage. Time comes in as data (`now`).

/** Mesos' Slave::age: how old a scheduled directory may get at this disk usage (a fraction in [0, 1]). */
export function maxAllowedAgeMs(gcDelayMs: number, headroom: number, usage: number): number {
  return gcDelayMs * Math.max(0, 1 - headroom - usage);
}

/** Mesos' garbageCollect: gc_delay counted from the directory's last modification, never negative. */
export function gcDelayFor(gcDelayMs: number, now: number, modifiedAt: number): number {
  return Math.max(0, gcDelayMs - Math.max(0, now - modifiedAt));
}

export class GcSchedule {
  /** path → when it is due (ms since the epoch). */
  private readonly removalAt = new Map<string, number>();

  constructor(
    private readonly gcDelayMs: number,
    private readonly headroom: number,
  ) {}

  /** Schedules (or re-schedules) `path` for removal `delayMs` after `now`. */
  schedule(path: string, delayMs: number, now: number): void {
    this.removalAt.set(path, now + Math.max(0, delayMs));
  }

  /** A directory that is in use again (Mesos' unschedule, e.g. a framework that came back). */
  unschedule(path: string): boolean {
    return this.removalAt.delete(path);
  }

  has(path: string): boolean {
    return this.removalAt.has(path);
  }

  get size(): number {
    return this.removalAt.size;
  }

  /** The earliest removal time, for the shell's timer. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const at of this.removalAt.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /** Takes out and returns the paths due by `now`. */
  takeDue(now: number): string[] {
    return this.take((at) => at <= now);
  }

  /**
   * Mesos' prune after a disk check: takes out and returns every path whose remaining time is
   * within `gc_delay - age(usage)`, i.e. every path older than the age allowed at this usage.
   */
  prune(now: number, usage: number): string[] {
    const within = this.gcDelayMs - maxAllowedAgeMs(this.gcDelayMs, this.headroom, usage);
    return this.take((at) => at - now <= within);
  }

  private take(due: (at: number) => boolean): string[] {
    const out: string[] = [];
    for (const [path, at] of this.removalAt) {
      if (!due(at)) continue;
      this.removalAt.delete(path);
      out.push(path);
    }
    return out;
  }
}
