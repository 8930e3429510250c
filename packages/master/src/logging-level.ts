// The master's logging verbosity, as libprocess' Logging process keeps glog's FLAGS_v
// (3rdparty/libprocess/src/logging.cpp): 0 at start; SET_LOGGING_LEVEL (or /logging/toggle)
// raises it for a duration, after which it reverts to 0. Level v makes the pino logger v steps
// more verbose than --log_level (info → debug → trace).
import type { Logger } from 'pino';
import type { Cancel, Clock } from '@tepui/protocol';

const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** The pino level `verbosity` steps below `base` (a level outside the ladder, e.g. silent, stays). */
export function pinoLevelFor(base: string, verbosity: number): string {
  const at = PINO_LEVELS.indexOf(base as (typeof PINO_LEVELS)[number]);
  if (at === -1) return base;
  return PINO_LEVELS[Math.min(PINO_LEVELS.length - 1, at + verbosity)]!;
}

export class LoggingLevel {
  private verbosity = 0;
  private revert: Cancel | undefined;
  private readonly base: string;

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {
    this.base = log.level;
  }

  get level(): number {
    return this.verbosity;
  }

  /** Sets the level; a level other than the original reverts to it after `durationMs`. */
  set(level: number, durationMs: number): void {
    this.revert?.();
    this.revert = undefined;
    this.apply(level);
    if (level !== 0) {
      this.revert = this.clock.setTimer(Math.max(0, durationMs), () => {
        this.revert = undefined;
        this.apply(0);
      });
    }
  }

  stop(): void {
    this.revert?.();
  }

  private apply(level: number): void {
    if (level === this.verbosity) return;
    this.log.info({ level }, 'verbose logging level set');
    this.verbosity = level;
    this.log.level = pinoLevelFor(this.base, level);
  }
}
