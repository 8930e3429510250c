// Waiting on conditions with deadlines: tests never sleep for a fixed time.

export interface EventuallyOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  readonly message?: string;
}

/** Retries `check` until it returns a value other than undefined/false without throwing, or the deadline passes. */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<Exclude<T, false | undefined>> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      // A check that hangs (a request to a process that accepted but never answers) must not
      // outlive the deadline: race it against the time that is left.
      let timer: NodeJS.Timeout | undefined;
      const left = Math.max(1, deadline - Date.now());
      const value = await Promise.race([
        Promise.resolve(check()),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the check itself did not return in time')), left))),
      ]).finally(() => clearTimeout(timer));
      if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`${options.message ?? 'condition not met'} within ${timeoutMs} ms${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
