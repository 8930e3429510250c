// Measuring tools for the lb bench: wrk runs, a process's CPU time from /proc, the generator's
// Prometheus histograms, and timing `haproxy -c` on a configuration (marathon-lb's cost per change).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WrkRun {
  readonly rps: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly socketErrors: number;
}

export function runWrk(args: readonly string[], seconds: number): Promise<WrkRun> {
  return new Promise((resolve, reject) => {
    execFile('wrk', [...args], { timeout: (seconds + 30) * 1000 }, (err, stdout) => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
      const requests = /(\d+) requests in/.exec(stdout);
      if (!rps || !requests) return reject(new Error(`wrk failed: ${err?.message ?? ''}\n${stdout}`));
      const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
      resolve({
        rps: Number(rps[1]), requests: Number(requests[1]), non2xx: non2xx ? Number(non2xx[1]) : 0,
        socketErrors: socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0,
      });
    });
  });
}

/** A wrk script giving each thread its own target, so `-t N` threads over N tasks share them evenly. */
export function perThreadTargetsScript(targets: ReadonlyArray<{ host: string; port: number }>): string {
  const list = targets.map((t) => `{ "${t.host}", "${t.port}" }`).join(', ');
  return [
    `local targets = { ${list} }`,
    'local next = 0',
    'function setup(thread)',
    '  local t = targets[(next % #targets) + 1]',
    '  next = next + 1',
    '  thread.addr = wrk.lookup(t[1], t[2])[1]',
    'end',
    '',
  ].join('\n');
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLK_TCK = 100;

/** utime + stime of a process, in seconds (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** The pid and its direct children (HAProxy's master and its workers). */
export function withChildren(pid: number): number[] {
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A Prometheus histogram as scraped: cumulative counts per upper bound. */
export interface Histogram {
  readonly buckets: ReadonlyArray<{ le: number; count: number }>;
  readonly sum: number;
  readonly count: number;
}

export async function scrapeHistogram(metricsUrl: string, name: string): Promise<Histogram> {
  const text = await (await fetch(metricsUrl)).text();
  const buckets: Array<{ le: number; count: number }> = [];
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    const bucket = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)`).exec(line);
    if (bucket) buckets.push({ le: bucket[1] === '+Inf' ? Infinity : Number(bucket[1]), count: Number(bucket[2]) });
    else if (line.startsWith(`${name}_sum `)) sum = Number(line.split(' ')[1]);
    else if (line.startsWith(`${name}_count `)) count = Number(line.split(' ')[1]);
  }
  return { buckets, sum, count };
}

/** What was observed between two scrapes of the same histogram. */
export function histogramSince(before: Histogram, after: Histogram): Histogram {
  return {
    buckets: after.buckets.map((b, i) => ({ le: b.le, count: b.count - (before.buckets[i]?.count ?? 0) })),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  };
}

/** The upper bound of the bucket holding quantile q (Prometheus' resolution: "≤ that bound"). */
export function bucketQuantile(h: Histogram, q: number): number {
  const rank = q * h.count;
  return h.buckets.find((b) => b.count >= rank)?.le ?? Infinity;
}

export function describeHistogram(h: Histogram): string {
  if (h.count === 0) return 'no observations';
  const bound = (s: number) => (s === Infinity ? '> last bucket' : `≤ ${(s * 1000).toFixed(s < 0.01 ? 1 : 0)} ms`);
  return `${h.count} syncs, mean ${((h.sum / h.count) * 1000).toFixed(1)} ms, p50 ${bound(bucketQuantile(h, 0.5))}, p99 ${bound(bucketQuantile(h, 0.99))}`;
}

/** Median wall time of `haproxy -c -f` on `config`, over `runs` runs, in ms. */
export async function timeConfigCheck(config: string, dir: string, runs = 3): Promise<number> {
  const file = join(dir, 'check-haproxy.cfg');
  writeFileSync(file, config);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      execFile('haproxy', ['-c', '-q', '-f', file], { timeout: 60_000 }, (err, _out, stderr) => (err ? reject(new Error(`haproxy -c failed: ${stderr}`)) : resolve()));
    });
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
