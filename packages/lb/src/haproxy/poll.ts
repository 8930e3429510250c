// Waiting on a condition with a deadline. HAProxy's start and reload have no completion event we
// can subscribe to, so the shell asks again (`show proc`) until the answer says done or time is up.

export interface PollOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Names the condition in the timeout error. */
  readonly what: string;
}

export class PollTimeout extends Error {
  readonly code = 'POLL_TIMEOUT';

  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastError?: unknown,
  ) {
    super(`${what}: not within ${timeoutMs} ms${lastError instanceof Error ? ` (last error: ${lastError.message})` : ''}`);
    this.name = 'PollTimeout';
  }
}

/**
 * Calls `probe` until it returns a value other than undefined, and returns that value. A probe that
 * throws counts as "not yet" (a socket mid-restart refuses connections); the last error is kept for
 * the timeout message. A probe ends the wait early by throwing StopPolling.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined> | T | undefined, opts: PollOptions): Promise<T> {
  const deadline = performance.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 20;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      if (err instanceof StopPolling) throw err.reason;
      lastError = err;
    }
    if (performance.now() >= deadline) throw new PollTimeout(opts.what, opts.timeoutMs, lastError);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Thrown by a probe to stop waiting: `reason` is rethrown to pollUntil's caller. */
export class StopPolling {
  constructor(readonly reason: Error) {}
}
