// Runs the agent's overlay mounts through one long-lived shell. A spawn from the agent forks the
// whole agent process and costs it tens of milliseconds of its event loop; twenty tasks starting
// together paid that twenty times over, while their executors were being spawned too. The shell
// forks `mount` for a fraction of that, and the agent only writes two lines and reads one.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

// Three lines in (an id, the options, the mount point); one line out per request, when its mount
// is done: "<id> ok", or "<id> error" and mount's words. Mounts run side by side, each a short
// write to the pipe, which is atomic.
const SCRIPT = `while IFS= read -r id && IFS= read -r options && IFS= read -r target; do
  (if out=$(mount -t overlay overlay -o "$options" "$target" 2>&1); then echo "$id ok"; else printf '%s error %s\\n' "$id" "$(printf %s "$out" | tr '\\n' ' ')"; fi) &
done
wait`;

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export class MountHelper {
  private child: ChildProcess | undefined;
  private readonly waiters = new Map<number, Waiter>();
  private nextId = 0;

  /** Mounts an overlay at `target`; lines cannot hold a newline, so neither may the arguments. */
  mountOverlay(options: string, target: string): Promise<void> {
    if (/\n/.test(options + target)) return Promise.reject(new Error('a mount argument holds a newline'));
    const child = this.child ?? this.start();
    const id = ++this.nextId;
    return new Promise<void>((resolve, reject) => {
      this.waiters.set(id, { resolve, reject });
      child.stdin!.write(`${id}\n${options}\n${target}\n`);
    });
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private start(): ChildProcess {
    const child = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child = child;
    const waiters = this.waiters;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [, id, outcome, words] = /^(\d+) (ok|error) ?(.*)$/.exec(line) ?? [];
      const waiter = waiters.get(Number(id));
      if (!waiter) return;
      waiters.delete(Number(id));
      if (outcome === 'ok') waiter.resolve();
      else waiter.reject(new Error(words || 'mount failed'));
    });
    const lost = (why: string) => {
      if (this.child === child) this.child = undefined;
      for (const waiter of waiters.values()) waiter.reject(new Error(`the mount helper ${why}`));
      waiters.clear();
    };
    child.on('exit', (code, signal) => lost(`exited (${signal ?? code})`));
    child.on('error', (err) => lost(`failed: ${err.message}`));
    child.stdin!.on('error', () => undefined);
    // Neither the helper nor its pipes keep the agent's process alive.
    child.unref();
    for (const stream of [child.stdin, child.stdout] as const) (stream as unknown as { unref?: () => void }).unref?.();
    return child;
  }
}
