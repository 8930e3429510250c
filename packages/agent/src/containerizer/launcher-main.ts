// The executor launcher: a small process that forks executors on the agent's behalf. A spawn forks
// the calling process, and under load that costs the agent tens of milliseconds of its event loop
// per executor; twenty tasks starting together stalled everything else the agent was doing (their
// fetches, status updates, the files API) for a second. Here the forks run beside the agent.
//
// One JSON request per line on stdin (LauncherRequest); replies on stdout, a JSON line each
// (LauncherReply): the pid once the process is forked (or the error), then its exit status.
// Executors are detached process groups writing to sandbox files, so they outlive this process,
// which exits when the agent closes its stdin (or dies).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import type { LauncherReply, LauncherRequest } from './launcher-protocol';

function reply(message: LauncherReply): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function launch(request: LauncherRequest): void {
  let out: number | undefined;
  let err: number | undefined;
  try {
    out = openSync(request.stdout, 'a');
    err = openSync(request.stderr, 'a');
    const child = spawn(request.file, request.args, { cwd: request.cwd, env: request.env, stdio: ['ignore', out, err], detached: true });
    if (child.pid !== undefined) reply({ id: request.id, pid: child.pid });
    child.on('error', (error) => {
      // Not forked (a missing file, a bad cwd): there is no pid and nothing to wait for.
      if (child.pid === undefined) reply({ id: request.id, error: error.message });
    });
    child.on('exit', (code, signal) => {
      const status = signal ? 128 + (constants.signals[signal] ?? 0) : code;
      reply(status === null ? { id: request.id, exited: true } : { id: request.id, exited: true, status });
    });
  } catch (error) {
    reply({ id: request.id, error: (error as Error).message });
  } finally {
    if (out !== undefined) closeSync(out);
    if (err !== undefined) closeSync(err);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let request: LauncherRequest;
  try {
    request = JSON.parse(line) as LauncherRequest;
  } catch {
    return;
  }
  launch(request);
}).on('close', () => process.exit(0));
process.stdout.on('error', () => process.exit(0));
