// Whether a pid is still a running process. A worker outliving its master is reparented to pid 1,
// and in a container pid 1 may never reap it: a zombie answers kill(pid, 0) yet runs nothing,
// so /proc's state letter decides where it exists.
import { readFileSync } from 'node:fs';

export function isProcessRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "<pid> (<comm>) <state> …": comm may hold spaces and parentheses, the state follows the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    return signalZeroSucceeds(pid);
  }
}

function signalZeroSucceeds(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The program a pid runs (argv[0]), to make sure a pid we are about to kill is still ours. */
export function processProgram(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
  } catch {
    return undefined;
  }
}
