// Executors as detached process groups, with stdout/stderr in sandbox files so they outlive an
// agent killed with -9 (no pipes back to the agent).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TASK_PGID_FILE } from '@tepui/protocol';
import type { Containerizer, LaunchSpec } from './containerizer';
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

  /** `launcherDir` holds Tepui's executors, as Mesos' --launcher_dir holds mesos-executor. */
  constructor(private readonly launcherDir: string) {}

  launch(spec: LaunchSpec, onExit: (status?: number) => void): number | undefined {
    const sandbox = spec.sandbox!;
    const out = openSync(join(sandbox, 'stdout'), 'a');
    const err = openSync(join(sandbox, 'stderr'), 'a');
    const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
    for (const v of spec.executor.command?.environment?.variables ?? []) if (v.value !== undefined) env[v.name] = v.value;
    const options = { cwd: sandbox, env, stdio: ['ignore', out, err] as ['ignore', number, number], detached: true };
    const command = spec.executor.command;
    const child = spec.builtin
      ? spawn(process.execPath, [join(this.launcherDir, spec.builtin, 'main.js')], options)
      : command?.shell === false
        ? spawn(command.value ?? '', (command.arguments ?? []).slice(1), options)
        : spawn('/bin/sh', ['-c', command?.value ?? ''], options);
    closeSync(out);
    closeSync(err);
    let done = false;
    const finish = (status?: number) => {
      if (done) return;
      done = true;
      onExit(status);
    };
    child.on('exit', (code, signal) => finish(signal ? 128 + (signalNumber(signal) ?? 0) : code ?? undefined));
    child.on('error', () => finish(undefined));
    return child.pid;
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
    for (const timer of this.polls) clearInterval(timer);
    this.polls.clear();
  }
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGSEGV: 11, SIGABRT: 6 };
  return table[signal];
}
