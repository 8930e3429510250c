// Waits in tests for a condition that real I/O or promise chains make true: polls it until it
// holds (anything but undefined or false), failing with `what` after a deadline sized for a
// loaded 2-core machine. No fixed sleeps. Shared by the packages' unit tests.
export async function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
