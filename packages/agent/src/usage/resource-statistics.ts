// An executor's ResourceStatistics from what was sampled: its processes' CPU and memory (or its
// containers' in the Docker Engine), the bytes under its sandbox, and the limits its executor and
// tasks asked for. Pure: the shell reads /proc, the engine and the disk.
import { Resources, type ExecutorInfo, type ResourceStatistics, type TaskInfo } from '@tepui/protocol';
import { USER_HZ, type ProcStat } from './proc-stat';

const MIB = 1024 * 1024;

/** CPU and memory of a set of processes or containers, summed; a count nobody could give is absent. */
export interface Usage {
  readonly userSecs: number;
  readonly systemSecs: number;
  readonly rssBytes: number;
  readonly processes?: number;
  readonly threads?: number;
}

export interface ProcessSample {
  readonly stat: ProcStat;
  readonly rssBytes: number;
}

/**
 * Sums a container's processes. A process's reaped children count with it (cutime, cstime), so
 * the total does not drop each time a short-lived child ends, as cgroups' cpuacct counts them; a
 * child reaped by something outside the container (an orphan adopted by init) is lost, as it is
 * to Mesos' process-tree sampling.
 */
export function processUsage(samples: readonly ProcessSample[]): Usage {
  let user = 0;
  let system = 0;
  let rss = 0;
  let threads = 0;
  for (const { stat, rssBytes } of samples) {
    user += stat.utime + stat.cutime;
    system += stat.stime + stat.cstime;
    rss += rssBytes;
    threads += stat.threads;
  }
  return { userSecs: user / USER_HZ, systemSecs: system / USER_HZ, rssBytes: rss, processes: samples.length, threads };
}

/** A count is kept only when both sides have it: a partial count would read as a whole one. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? undefined : x + y);
  const processes = sum(a.processes, b.processes);
  const threads = sum(a.threads, b.threads);
  return {
    userSecs: a.userSecs + b.userSecs,
    systemSecs: a.systemSecs + b.systemSecs,
    rssBytes: a.rssBytes + b.rssBytes,
    ...(processes === undefined ? {} : { processes }),
    ...(threads === undefined ? {} : { threads }),
  };
}

export interface ContainerLimits {
  readonly cpus?: number;
  readonly memBytes?: number;
  readonly diskBytes?: number;
}

/** What the host has, for a task limit of infinity (Mesos then limits the container to the host). */
export interface HostCapacity {
  readonly cpus: number;
  readonly memBytes: number;
}

/**
 * The container's limits: its executor's resources plus each live task's, where a task's `limits`
 * (TASK_RESOURCE_LIMITS) replace its cpus or mem request, as Mesos' containerizer sets them.
 * Absent for a resource nothing asked for.
 */
export function containerLimits(executor: ExecutorInfo, tasks: readonly TaskInfo[], host: HostCapacity): ContainerLimits {
  const executorResources = Resources.of(executor.resources ?? []);
  let cpus = executorResources.scalar('cpus');
  let mem = executorResources.scalar('mem');
  let disk = executorResources.scalar('disk');
  let limitsCpus = executorResources.names().includes('cpus');
  let limitsMem = executorResources.names().includes('mem');
  for (const task of tasks) {
    const resources = Resources.of(task.resources ?? []);
    const cpuLimit = task.limits?.['cpus']?.value;
    const memLimit = task.limits?.['mem']?.value;
    cpus += cpuLimit === undefined ? resources.scalar('cpus') : Number.isFinite(cpuLimit) ? cpuLimit : host.cpus;
    mem += memLimit === undefined ? resources.scalar('mem') : Number.isFinite(memLimit) ? memLimit : host.memBytes / MIB;
    disk += resources.scalar('disk');
    limitsCpus ||= cpuLimit !== undefined || resources.names().includes('cpus');
    limitsMem ||= memLimit !== undefined || resources.names().includes('mem');
  }
  return {
    // Resources count in thousandths, so sums of fractions come out as asked (0.1 + 0.2 = 0.3).
    ...(limitsCpus ? { cpus: Math.round(cpus * 1000) / 1000 } : {}),
    ...(limitsMem ? { memBytes: Math.round(mem * MIB) } : {}),
    ...(disk > 0 ? { diskBytes: Math.round(disk * MIB) } : {}),
  };
}

export interface StatisticsInput {
  /** Milliseconds since the epoch when the sample was taken. */
  readonly now: number;
  readonly usage?: Usage;
  readonly limits: ContainerLimits;
  readonly diskUsedBytes?: number;
}

/** mesos.v1.ResourceStatistics with the fields sampled; CPU seconds rounded to the tick. */
export function resourceStatistics(input: StatisticsInput): ResourceStatistics {
  const { usage, limits } = input;
  const ticks = (secs: number) => Math.round(secs * USER_HZ) / USER_HZ;
  return {
    timestamp: input.now / 1000,
    ...(usage
      ? {
          ...(usage.processes !== undefined ? { processes: usage.processes } : {}),
          ...(usage.threads !== undefined ? { threads: usage.threads } : {}),
          cpus_user_time_secs: ticks(usage.userSecs),
          cpus_system_time_secs: ticks(usage.systemSecs),
          mem_rss_bytes: usage.rssBytes,
        }
      : {}),
    ...(limits.cpus !== undefined ? { cpus_limit: limits.cpus } : {}),
    ...(limits.memBytes !== undefined ? { mem_limit_bytes: limits.memBytes } : {}),
    ...(input.diskUsedBytes !== undefined ? { disk_used_bytes: input.diskUsedBytes } : {}),
    ...(limits.diskBytes !== undefined ? { disk_limit_bytes: limits.diskBytes } : {}),
  };
}
