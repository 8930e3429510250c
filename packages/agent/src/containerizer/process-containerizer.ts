// Executors as detached process groups, with stdout/stderr in sandbox files so they outlive an
// agent killed with -9 (no pipes back to the agent).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TASK_PGID_FILE } from '@tepui/protocol';
import type { Containerizer, LaunchSpec } from './containerizer';
import { ExecutorLauncher } from './launcher';
const POLL_MS = 500;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // no such group
  }
}

export class ProcessContainerizer implements Containerizer {
  private readonly polls = new Set<NodeJS.Timeout>();

  // Executors are forked by a helper process, not by the agent (launcher-main.ts says why).
  private readonly launcher = new ExecutorLauncher((pid, exited) => this.recover(pid, exited));

  /** `launcherDir` holds Tepui's executors, as Mesos' --launcher_dir holds mesos-executor. */
  constructor(private readonly launcherDir: string) {}

  /** Starts the launcher ahead of the first executor. */
  start(): void {
    this.launcher.start();
  }

  launch(spec: LaunchSpec, onExit: (status?: number) => void): Promise<number | undefined> {
    const sandbox = spec.sandbox!;
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
    Object.assign(env, spec.env);
    for (const v of spec.executor.command?.environment?.variables ?? []) if (v.value !== undefined) env[v.name] = v.value;
    const command = spec.executor.command;
    const [file, args] = spec.builtin
      ? [process.execPath, [join(this.launcherDir, spec.builtin, 'main.js')]]
      : command?.shell === false
        ? [command.value ?? '', (command.arguments ?? []).slice(1)]
        : ['/bin/sh', ['-c', command?.value ?? '']];
    return this.launcher.launch({ file, args, cwd: sandbox, env, stdout: join(sandbox, 'stdout'), stderr: join(sandbox, 'stderr') }, onExit);
  }

  recover(pid: number, onExit: (status?: number) => void): void {
    const timer = setInterval(() => {
      if (this.isAlive(pid)) return;
      clearInterval(timer);
      this.polls.delete(timer);
      onExit(undefined);
    }, POLL_MS);
    this.polls.add(timer);
  }

  destroy(pid: number | undefined, sandbox: string | undefined): void {
    if (sandbox) {
      let taskDirs: string[] = [];
      try {
        taskDirs = readdirSync(join(sandbox, 'tasks')).map((t) => join(sandbox, 'tasks', t));
      } catch {
        // not a task-group sandbox
      }
      for (const dir of [sandbox, ...taskDirs]) {
        try {
          const taskGroup = Number(readFileSync(join(dir, TASK_PGID_FILE), 'utf8'));
          if (taskGroup > 0) killGroup(taskGroup, 'SIGKILL');
        } catch {
          // the executor never started a task here
        }
      }
    }
    if (pid !== undefined && pid > 0) killGroup(pid, 'SIGKILL');
  }

  /** Alive and not a zombie (an orphaned executor may be left unreaped by the container's init). */
  isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state !== 'Z' && state !== 'X';
    } catch {
      return true;
    }
  }

  stop(): void {
    this.launcher.close();
    for (const timer of this.polls) clearInterval(timer);
    this.polls.clear();
  }
}
