// A container's usage from the Docker Engine's `GET /containers/{id}/stats?stream=false` answer,
// read from `unknown`: the engine's version and cgroup version decide which fields are there.
import type { Usage } from './resource-statistics';

const NANOS = 1e9;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function field(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) at = isObject(at) ? at[key] : undefined;
  return at;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Resident memory as Mesos reports it for a cgroup: anonymous memory (`rss` under cgroup v1,
 * `anon` under v2). An engine that gives neither gives usage less the inactive page cache, which
 * is what `docker stats` shows.
 */
function rssBytes(memory: unknown): number {
  const stats = field(memory, 'stats');
  const rss = count(field(stats, 'rss')) ?? count(field(stats, 'anon'));
  if (rss !== undefined) return rss;
  const usage = count(field(memory, 'usage')) ?? 0;
  const inactive = count(field(stats, 'total_inactive_file')) ?? count(field(stats, 'inactive_file')) ?? 0;
  return Math.max(0, usage - inactive);
}

/**
 * The usage in one stats answer; undefined when it has no CPU figures (a container that is not
 * running answers zeros or nothing). The pids controller counts tasks, so `pids_stats.current`
 * is the container's threads; its processes are not counted.
 */
export function parseDockerStats(body: unknown): Usage | undefined {
  const cpu = field(body, 'cpu_stats', 'cpu_usage');
  const user = count(field(cpu, 'usage_in_usermode'));
  const system = count(field(cpu, 'usage_in_kernelmode'));
  if (user === undefined || system === undefined) return undefined;
  const threads = count(field(body, 'pids_stats', 'current'));
  return {
    userSecs: user / NANOS,
    systemSecs: system / NANOS,
    rssBytes: rssBytes(field(body, 'memory_stats')),
    ...(threads === undefined ? {} : { threads }),
  };
}
