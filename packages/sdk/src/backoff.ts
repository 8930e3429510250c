// Truncated exponential backoff with jitter, as schedulers use to reconnect (pure; the caller
// supplies the random source so tests are deterministic).

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Fraction of the delay that is randomised, 0..1. */
  readonly jitter?: number;
}

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call doubles the base up to `maxMs`. */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.attempt);
    this.attempt++;
    const jitter = this.options.jitter ?? 0.5;
    return Math.round(base * (1 - jitter + jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
