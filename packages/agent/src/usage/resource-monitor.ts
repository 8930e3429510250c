// The agent's resource monitor (Mesos' Slave::usage behind /monitor/statistics and GET_CONTAINERS):
// one sample of every live executor's container. /proc is read once per sample for all of them;
// concurrent requests share the sample being taken.
import { availableParallelism, totalmem } from 'node:os';
import type { Logger } from 'pino';
import { isTerminalState, type Clock, type ResourceStatistics } from '@tepui/protocol';
import type { DockerAvailability } from '../containerizer/docker-probe';
import { DOCKER_EXECUTOR_ID, type ExecutorRun } from '../executors/executor-run';
import { dockerContainersUsage } from './docker-usage';
import { DiskUsageSampler, directoryBytes } from './disk-usage';
import { containerProcesses } from './process-tree';
import { readProcStats, readTaskGroups, sampleProcesses } from './proc-reader';
import type { ProcStat } from './proc-stat';
import { addUsage, containerLimits, processUsage, resourceStatistics, type HostCapacity, type Usage } from './resource-statistics';

export interface ExecutorUsage {
  readonly run: ExecutorRun;
  readonly statistics: ResourceStatistics;
}

export interface ResourceMonitorDeps {
  /** Executors not yet terminated: Mesos samples no others. */
  readonly liveRuns: () => readonly ExecutorRun[];
  readonly agentId: () => string;
  readonly docker: () => DockerAvailability;
  readonly clock: Clock;
  readonly log: Logger;
  readonly host?: HostCapacity;
  readonly procRoot?: string;
  readonly disk?: DiskUsageSampler;
}

export class ResourceMonitor {
  private readonly host: HostCapacity;
  private readonly disk: DiskUsageSampler;
  private sampling?: Promise<ExecutorUsage[]>;

  constructor(private readonly deps: ResourceMonitorDeps) {
    this.host = deps.host ?? { cpus: availableParallelism(), memBytes: totalmem() };
    this.disk = deps.disk ?? new DiskUsageSampler((dir) => directoryBytes(dir), deps.clock, undefined, (dir, bytes) =>
      deps.log.warn({ sandbox: dir, bytes }, 'sandbox has too many entries to walk whole; its disk use is a lower bound'));
  }

  /** Every live executor's statistics, in the order the agent holds them. */
  usage(): Promise<ExecutorUsage[]> {
    this.sampling ??= this.sample().finally(() => {
      this.sampling = undefined;
    });
    return this.sampling;
  }

  private async sample(): Promise<ExecutorUsage[]> {
    const runs = this.deps.liveRuns();
    this.disk.retain(new Set(runs.flatMap((run) => (run.paths ? [run.paths.sandbox] : []))));
    if (runs.length === 0) return [];
    const processes = await readProcStats(this.deps.procRoot).catch((err: Error) => {
      this.deps.log.warn({ err: err.message }, 'could not list processes; statistics without CPU and memory');
      return undefined;
    });
    return Promise.all(runs.map(async (run) => {
      const [usage, diskUsedBytes] = await Promise.all([
        this.runUsage(run, processes),
        run.paths ? this.disk.usedBytes(run.paths.sandbox) : undefined,
      ]);
      const tasks = [...run.tasks.values()].filter((t) => !isTerminalState(t.state)).map((t) => t.info);
      const limits = containerLimits(run.info, tasks, this.host);
      return { run, statistics: resourceStatistics({ now: this.deps.clock.now(), usage, limits, diskUsedBytes }) };
    }));
  }

  private async runUsage(run: ExecutorRun, processes: readonly ProcStat[] | undefined): Promise<Usage | undefined> {
    if (!processes) return undefined;
    const roots = { executorPid: run.pid, taskGroups: await readTaskGroups(run.paths?.sandbox) };
    const own = containerProcesses(processes, roots, new Set([process.pid]));
    const usage = processUsage(await sampleProcesses(own, this.deps.procRoot));
    const docker = this.deps.docker();
    if (run.id !== DOCKER_EXECUTOR_ID || !docker.available) return usage;
    try {
      const containers = await dockerContainersUsage(docker.host, { agentId: this.deps.agentId(), frameworkId: run.frameworkId, executorId: run.id });
      return addUsage(usage, containers);
    } catch (err) {
      // Half the figures would read as the whole: none is better than a low one.
      this.deps.log.warn({ frameworkId: run.frameworkId, executorId: run.id, err: (err as Error).message }, 'could not read container statistics from the Docker Engine');
      return undefined;
    }
  }
}
