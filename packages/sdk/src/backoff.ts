// Truncated exponential backoff with jitter, as Mesos clients use between (re)subscription
// attempts. The delay is a pure function of the attempt number and a random draw; `Backoff`
// only counts attempts. The random source is injected so tests are deterministic.

export interface BackoffOptions {
  /** Delay of the first attempt, before jitter. */
  readonly initialMs: number;
  /** Cap on the un-jittered delay. */
  readonly maxMs: number;
  /** Fraction of the delay that is randomised, 0..1 (default 0.5: the delay lies in [base/2, base]). */
  readonly jitter?: number;
}

export const DEFAULT_RECONNECT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, jitter: 0.5 };

/** The delay before attempt `attempt` (0-based): min(max, initial·2^attempt), jittered downwards by `random()` ∈ [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: number): number {
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const exponent = Math.min(Math.max(0, attempt), 52);
  const base = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(base * (1 - jitter * random));
}

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call doubles the base up to `maxMs`. */
  next(): number {
    return backoffDelay(this.attempt++, this.options, this.random());
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
