// Starting and stopping real Tepui processes (master, agents) for integration tests.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mountPointsAtOrBelow, parseMountInfo } from '@tepui/agent';
import { eventually } from './eventually';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tepui-${prefix}-`));
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export class TepuiProcess {
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {}

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** kill -9, and wait until the process is gone. */
  async kill9(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await gone;
  }

  async stop(timeoutMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.exited) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await gone;
    clearTimeout(timer);
  }
}

export function startNodeProcess(name: string, script: string, args: readonly string[], logDir: string, nodeArgs: readonly string[] = []): TepuiProcess {
  const logFile = join(logDir, `${name}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, script), ...args], { stdio: ['ignore', out, out] });
  return new TepuiProcess(name, child, logFile);
}

export async function waitForHttp(url: string, timeoutMs = 20_000): Promise<void> {
  await eventually(async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok, { timeoutMs, message: `${url} did not answer` });
}

/**
 * Kills (with their process groups) the processes working inside `dir`: the executors and tasks
 * an agent killed with -9 left behind, which would otherwise wait out MESOS_RECOVERY_TIMEOUT.
 */
export function killProcessesWorkingIn(dir: string): number {
  let killed = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${entry}/cwd`).replace(/ \(deleted\)$/, '');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    if (cwd !== dir && !cwd.startsWith(`${dir}/`)) continue;
    const pid = Number(entry);
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
        killed += 1;
        break;
      } catch {
        // not a group leader (try the process itself), or already gone
      }
    }
  }
  return killed;
}

export function removeDir(dir: string): void {
  // Sandboxes an agent mounted over fetched files (sandbox-layers.ts) outlive a test that stops
  // before their garbage collection: unmounted first, so nothing is left mounted and rm does not
  // walk into them.
  for (const mountPoint of mountPointsAtOrBelow(parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8')), dir, 'overlay')) {
    execFileSync('umount', ['-l', mountPoint]);
  }
  rmSync(dir, { recursive: true, force: true });
}
