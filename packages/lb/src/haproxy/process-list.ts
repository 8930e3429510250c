// `show proc` on the master CLI, parsed. HAProxy 2.6 prints:
//   #<PID>          <type>          <reloads>       <uptime>        <version>
//   18640           master          5 [failed: 1]   0d00h01m25s     2.6.12-1+deb12u4
//   # workers
//   19246           worker          1               0d00h00m07s     2.6.12-1+deb12u4
//   # programs
// The master's <reloads> counts every reload (also failed ones) and `failed` counts failed reloads
// since the last successful one. A worker's <reloads> counts the reloads it has lived through, so
// the worker of the current generation shows 0 and older ones (still finishing sessions) show more.

export interface MasterProcessInfo {
  readonly pid: number;
  readonly reloads: number;
  readonly failedReloads: number;
}

export interface WorkerProcessInfo {
  readonly pid: number;
  /** 0 = started by the latest successful (re)load. */
  readonly reloads: number;
}

export interface ProcessList {
  readonly master: MasterProcessInfo;
  readonly workers: readonly WorkerProcessInfo[];
}

const MASTER_ROW = /^(\d+)\s+master\s+(\d+)(?:\s+\[failed:\s*(\d+)\])?/;
const WORKER_ROW = /^(\d+)\s+worker\s+(\d+)/;

/** undefined when the text holds no master row (not a `show proc` answer). */
export function parseProcessList(text: string): ProcessList | undefined {
  let master: MasterProcessInfo | undefined;
  const workers: WorkerProcessInfo[] = [];
  for (const line of text.split('\n')) {
    const m = MASTER_ROW.exec(line.trim());
    if (m) master = { pid: Number(m[1]), reloads: Number(m[2]), failedReloads: Number(m[3] ?? 0) };
    const w = WORKER_ROW.exec(line.trim());
    if (w) workers.push({ pid: Number(w[1]), reloads: Number(w[2]) });
  }
  return master && { master, workers };
}
