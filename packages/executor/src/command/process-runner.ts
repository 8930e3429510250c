// Runs a task's CommandInfo as a process tree in its own process group, with stdout/stderr
// appended to the sandbox files. The group id is recorded in the sandbox so the agent can
// destroy the task even if this executor dies.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TASK_PGID_FILE, type CommandInfo } from '@tepui/protocol';

export interface RunningProcess {
  readonly pid: number;
  /** Signals the whole process group. */
  signal(signal: NodeJS.Signals): void;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

export interface ProcessSpec {
  readonly command: CommandInfo;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly uid?: number;
  readonly gid?: number;
}

export interface ProcessRunner {
  start(spec: ProcessSpec): RunningProcess;
}

export class UnknownUserError extends Error {
  constructor(readonly user: string) {
    super(`Failed to switch to user '${user}': no such user on this host`);
  }
}

/** uid/gid of `user` from /etc/passwd; undefined when no switch is needed. */
export function resolveUser(user: string | undefined, passwd = '/etc/passwd'): { uid: number; gid: number } | undefined {
  if (user === undefined || user === '') return undefined;
  const current = process.getuid?.();
  const line = readFileSync(passwd, 'utf8').split('\n').find((l) => l.split(':')[0] === user);
  if (!line) throw new UnknownUserError(user);
  const [, , uid, gid] = line.split(':');
  const ids = { uid: Number(uid), gid: Number(gid) };
  if (current === ids.uid) return undefined;
  if (current !== 0) throw new Error(`Cannot run as '${user}': the agent is not running as root`);
  return ids;
}

export class SandboxProcessRunner implements ProcessRunner {
  constructor(private readonly sandbox: string) {}

  start(spec: ProcessSpec): RunningProcess {
    const out = openSync(join(this.sandbox, 'stdout'), 'a');
    const err = openSync(join(this.sandbox, 'stderr'), 'a');
    const shell = spec.command.shell !== false;
    const argv = spec.command.arguments ?? [];
    const child = shell
      ? spawn('/bin/sh', ['-c', spec.command.value ?? ''], { cwd: spec.cwd, env: spec.env, stdio: ['ignore', out, err], detached: true, uid: spec.uid, gid: spec.gid })
      : spawn(spec.command.value ?? '', argv.slice(1), { argv0: argv[0], cwd: spec.cwd, env: spec.env, stdio: ['ignore', out, err], detached: true, uid: spec.uid, gid: spec.gid });
    closeSync(out);
    closeSync(err);
    const pid = child.pid ?? -1;
    if (pid > 0) writeFileSync(join(this.sandbox, TASK_PGID_FILE), String(pid));
    const listeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (exited) return;
      exited = { code, signal };
      listeners.forEach((l) => l(code, signal));
    };
    child.on('exit', finish);
    child.on('error', () => finish(127, null));
    return {
      pid,
      signal(signal) {
        try {
          process.kill(-pid, signal);
        } catch {
          // the group is already gone
        }
      },
      onExit(listener) {
        if (exited) listener(exited.code, exited.signal);
        else listeners.push(listener);
      },
    };
  }
}
