// The two /proc/<pid> files a process's usage is read from (proc(5)): `stat` for the tree links
// and CPU times, `status` for resident memory in bytes (stat's rss is in pages of a size Node
// cannot ask the kernel for).

/** Clock ticks per second of stat's time fields: USER_HZ, 100 on every architecture Linux exports it for. */
export const USER_HZ = 100;

export interface ProcStat {
  readonly pid: number;
  /** R, S, D, Z, T, …: a zombie (Z) holds no memory and runs no more. */
  readonly state: string;
  readonly ppid: number;
  /** Process group and session: a detached task leads both, and its children stay in them. */
  readonly pgrp: number;
  readonly session: number;
  /** CPU time in clock ticks: its own, and that of its children it has reaped. */
  readonly utime: number;
  readonly stime: number;
  readonly cutime: number;
  readonly cstime: number;
  readonly threads: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) may hold spaces and parentheses, so the
 * fields are counted from the last ')'. Undefined for text that is not a stat line.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // Fields 3.. of proc(5): state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
  // cmajflt utime stime cutime cstime priority nice num_threads …
  const rest = text.slice(close + 1).trim().split(/\s+/);
  if (rest.length < 18) return undefined;
  const num = (index: number) => Number(rest[index]);
  const stat: ProcStat = {
    pid,
    state: rest[0]!,
    ppid: num(1),
    pgrp: num(2),
    session: num(3),
    utime: num(11),
    stime: num(12),
    cutime: num(13),
    cstime: num(14),
    threads: num(17),
  };
  const numbers = [stat.pid, stat.ppid, stat.pgrp, stat.session, stat.utime, stat.stime, stat.cutime, stat.cstime, stat.threads];
  return numbers.every((n) => Number.isSafeInteger(n)) && pid > 0 ? stat : undefined;
}

/**
 * Resident memory in bytes from /proc/<pid>/status (`VmRSS: 1964 kB`); 0 when the line is
 * absent, as it is for kernel threads and zombies.
 */
export function parseRssBytes(statusText: string): number {
  const match = /^VmRSS:\s*(\d+)\s*kB\s*$/m.exec(statusText);
  return match ? Number(match[1]) * 1024 : 0;
}
