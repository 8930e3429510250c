// The one way time enters Tepui code. Decisions take `now` as data; shells own timers
// through a Clock so tests can drive time with ManualClock instead of sleeping.

export type Cancel = () => void;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds; the returned function cancels it. */
  setTimer(ms: number, fn: () => void): Cancel;
}

/** setTimeout's longest delay (a longer one fires at once, with a warning). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class SystemClock implements Clock {
  /** `maxStepMs` exists for tests; timers longer than it are re-armed in steps. */
  constructor(private readonly maxStepMs = MAX_TIMEOUT_MS) {}

  now(): number {
    return Date.now();
  }

  setTimer(ms: number, fn: () => void): Cancel {
    let handle: NodeJS.Timeout;
    // A failover_timeout of 30 days must not fire in a millisecond: long timers go in steps.
    const arm = (remaining: number): void => {
      const step = Math.min(remaining, this.maxStepMs);
      handle = setTimeout(() => (remaining > step ? arm(remaining - step) : fn()), step);
      // Timers must never keep a process alive on their own: shutdown is explicit.
      handle.unref();
    };
    arm(Math.max(0, ms));
    return () => clearTimeout(handle);
  }
}

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to; `advance` fires due timers in time order. */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): Cancel {
    const timer: PendingTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Moves time forward by `ms`, running every timer that falls due, including ones they schedule. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = next.at;
      next.fn();
    }
    this.current = target;
  }

  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private nextDue(limit: number): PendingTimer | undefined {
    this.timers = this.timers.filter((t) => !t.cancelled);
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.at > limit) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

/** A small deterministic PRNG (mulberry32) so decisions that shuffle can be replayed from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
