// The agent's side of its executor launcher (launcher-main.ts): writes one line per executor to
// start, and hands back its pid and, later, its exit status. Should the launcher die with
// executors still running, they are not lost: each is handed to `orphaned`, which watches its pid
// as recovery watches the executors of an agent that restarted; the next launch starts a new one.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LauncherReply, LauncherRequest } from './launcher-protocol';

export type LaunchRequest = Omit<LauncherRequest, 'id'>;

interface Launch {
  readonly started: (pid: number | undefined) => void;
  readonly exited: (status?: number) => void;
  pid?: number;
}

export class ExecutorLauncher {
  private child: ChildProcess | undefined;
  private readonly launches = new Map<number, Launch>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly orphaned: (pid: number, exited: (status?: number) => void) => void) {}

  /** Starts the launcher ahead of the first executor, so that executor does not wait for it. */
  start(): void {
    this.closed = false;
    if (!this.child) this.child = this.spawnLauncher();
  }

  /**
   * Starts an executor. Resolves with its pid once it is forked; `exited` fires once, when it is
   * gone. One that cannot be started resolves with no pid, after `exited`.
   */
  launch(request: LaunchRequest, exited: (status?: number) => void): Promise<number | undefined> {
    this.start();
    const id = ++this.nextId;
    return new Promise((started) => {
      this.launches.set(id, { started, exited });
      this.child!.stdin!.write(`${JSON.stringify({ ...request, id } satisfies LauncherRequest)}\n`);
    });
  }

  /** Stops the launcher; the executors it started run on. */
  close(): void {
    this.closed = true;
    this.child?.stdin?.end();
    this.child = undefined;
    this.launches.clear();
  }

  private received(reply: LauncherReply): void {
    const launch = this.launches.get(reply.id);
    if (!launch) return;
    if ('pid' in reply) {
      launch.pid = reply.pid;
      launch.started(reply.pid);
    } else if ('error' in reply) {
      this.launches.delete(reply.id);
      launch.exited(undefined);
      launch.started(undefined);
    } else {
      this.launches.delete(reply.id);
      launch.exited(reply.status);
    }
  }

  private lost(child: ChildProcess): void {
    if (this.child === child) this.child = undefined;
    if (this.closed) return;
    for (const launch of this.launches.values()) {
      if (launch.pid === undefined) {
        launch.exited(undefined);
        launch.started(undefined);
      } else {
        this.orphaned(launch.pid, launch.exited);
      }
    }
    this.launches.clear();
  }

  private spawnLauncher(): ChildProcess {
    const child = spawn(process.execPath, [join(__dirname, 'launcher-main.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.received(JSON.parse(line) as LauncherReply);
      } catch {
        // not a reply
      }
    });
    let gone = false;
    const lost = () => {
      if (gone) return;
      gone = true;
      this.lost(child);
    };
    // 'close', not 'exit': the replies still in the pipe are read first.
    child.on('close', lost);
    child.on('error', lost);
    child.stdin!.on('error', () => undefined);
    // Neither the launcher nor its pipes keep the agent's process alive.
    child.unref();
    for (const stream of [child.stdin, child.stdout] as const) (stream as unknown as { unref?: () => void }).unref?.();
    return child;
  }
}
