// What the agent checkpoints, in Mesos' layout (src/slave/paths.hpp):
//   <work_dir>/meta/slaves/latest                       the current agent id
//   <work_dir>/meta/slaves/<agent>/slave.info
//   .../frameworks/<fw>/framework.info
//   .../frameworks/<fw>/executors/<ex>/executor.info
//   .../frameworks/<fw>/executors/<ex>/runs/<container>/pids/forked.pid
//   .../frameworks/<fw>/executors/<ex>/runs/<container>/tasks/<task>/task.info
//   .../frameworks/<fw>/executors/<ex>/runs/<container>/tasks/<task>/task.updates   (append-only)
// Sandboxes live under <work_dir>/slaves/<agent>/... with the same shape.
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AgentInfo, ExecutorInfo, FrameworkInfo, StatusUpdate, TaskInfo } from '@tepui/protocol';

export interface RunPaths {
  readonly meta: string;
  readonly sandbox: string;
}

function writeAtomic(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n !== 'latest');
  } catch {
    return [];
  }
}

export interface RecoveredTask {
  readonly info: TaskInfo;
  /** Every update and acknowledgement in order. */
  readonly updates: StatusUpdate[];
  readonly acked: Set<string>;
}

export interface RecoveredRun {
  readonly containerId: string;
  readonly pid?: number;
  readonly completed: boolean;
  readonly tasks: RecoveredTask[];
}

export interface RecoveredExecutor {
  readonly info: ExecutorInfo;
  readonly run?: RecoveredRun;
}

export interface RecoveredFramework {
  readonly info: FrameworkInfo & { id: { value: string } };
  readonly executors: RecoveredExecutor[];
}

export interface RecoveredState {
  readonly agentId: string;
  readonly agentInfo?: AgentInfo;
  readonly frameworks: RecoveredFramework[];
}

export class CheckpointStore {
  constructor(private readonly workDir: string) {}

  private get slavesDir(): string {
    return join(this.workDir, 'meta', 'slaves');
  }

  private agentDir(agentId: string): string {
    return join(this.slavesDir, agentId);
  }

  frameworkDir(agentId: string, frameworkId: string): string {
    return join(this.agentDir(agentId), 'frameworks', frameworkId);
  }

  executorDir(agentId: string, frameworkId: string, executorId: string): string {
    return join(this.frameworkDir(agentId, frameworkId), 'executors', executorId);
  }

  runPaths(agentId: string, frameworkId: string, executorId: string, containerId: string): RunPaths {
    return {
      meta: join(this.executorDir(agentId, frameworkId, executorId), 'runs', containerId),
      sandbox: join(this.workDir, 'slaves', agentId, 'frameworks', frameworkId, 'executors', executorId, 'runs', containerId),
    };
  }

  latestAgentId(): string | undefined {
    try {
      return readFileSync(join(this.slavesDir, 'latest'), 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  }

  writeAgent(agentId: string, info: AgentInfo): void {
    writeAtomic(join(this.agentDir(agentId), 'slave.info'), JSON.stringify(info));
    writeAtomic(join(this.slavesDir, 'latest'), agentId);
  }

  /** Forget the agent id (the master shut us down): the next start registers afresh. */
  forgetAgent(): void {
    rmSync(join(this.slavesDir, 'latest'), { force: true });
  }

  writeFramework(agentId: string, info: FrameworkInfo & { id: { value: string } }): void {
    writeAtomic(join(this.frameworkDir(agentId, info.id.value), 'framework.info'), JSON.stringify(info));
  }

  writeExecutor(agentId: string, frameworkId: string, info: ExecutorInfo, containerId: string): RunPaths {
    const dir = this.executorDir(agentId, frameworkId, info.executor_id.value);
    writeAtomic(join(dir, 'executor.info'), JSON.stringify(info));
    const paths = this.runPaths(agentId, frameworkId, info.executor_id.value, containerId);
    mkdirSync(paths.meta, { recursive: true });
    mkdirSync(paths.sandbox, { recursive: true });
    for (const [base, target] of [[join(dir, 'runs'), containerId], [dirname(paths.sandbox), containerId]] as const) {
      rmSync(join(base, 'latest'), { force: true });
      symlinkSync(target, join(base, 'latest'));
    }
    return paths;
  }

  writePid(run: RunPaths, pid: number): void {
    writeAtomic(join(run.meta, 'pids', 'forked.pid'), String(pid));
  }

  markCompleted(run: RunPaths): void {
    writeAtomic(join(run.meta, 'completed'), '');
  }

  writeTask(run: RunPaths, task: TaskInfo): void {
    writeAtomic(join(run.meta, 'tasks', task.task_id.value, 'task.info'), JSON.stringify(task));
  }

  appendUpdate(run: RunPaths, taskId: string, update: StatusUpdate): void {
    this.appendRecord(run, taskId, { update });
  }

  appendAck(run: RunPaths, taskId: string, uuid: string): void {
    this.appendRecord(run, taskId, { ack: uuid });
  }

  private appendRecord(run: RunPaths, taskId: string, record: object): void {
    const dir = join(run.meta, 'tasks', taskId);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, 'task.updates'), `${JSON.stringify(record)}\n`);
  }

  /** Reads everything back as plain data (reference §8, agent recovery). */
  recover(): RecoveredState | undefined {
    const agentId = this.latestAgentId();
    if (!agentId) return undefined;
    const frameworks: RecoveredFramework[] = [];
    for (const fwId of list(join(this.agentDir(agentId), 'frameworks'))) {
      const info = readJson<FrameworkInfo & { id: { value: string } }>(join(this.frameworkDir(agentId, fwId), 'framework.info'));
      if (!info) continue;
      const executors: RecoveredExecutor[] = [];
      for (const exId of list(join(this.frameworkDir(agentId, fwId), 'executors'))) {
        const exDir = this.executorDir(agentId, fwId, exId);
        const exInfo = readJson<ExecutorInfo>(join(exDir, 'executor.info'));
        if (!exInfo) continue;
        let containerId: string | undefined;
        try {
          containerId = readlinkSync(join(exDir, 'runs', 'latest'));
        } catch {
          containerId = list(join(exDir, 'runs')).sort().pop();
        }
        executors.push({ info: exInfo, run: containerId ? this.recoverRun(this.runPaths(agentId, fwId, exId, containerId), containerId) : undefined });
      }
      frameworks.push({ info, executors });
    }
    return { agentId, agentInfo: readJson<AgentInfo>(join(this.agentDir(agentId), 'slave.info')), frameworks };
  }

  private recoverRun(paths: RunPaths, containerId: string): RecoveredRun {
    let pid: number | undefined;
    try {
      pid = Number(readFileSync(join(paths.meta, 'pids', 'forked.pid'), 'utf8'));
    } catch {
      pid = undefined;
    }
    const tasks: RecoveredTask[] = [];
    for (const taskId of list(join(paths.meta, 'tasks'))) {
      const info = readJson<TaskInfo>(join(paths.meta, 'tasks', taskId, 'task.info'));
      if (!info) continue;
      const updates: StatusUpdate[] = [];
      const acked = new Set<string>();
      let text = '';
      try {
        text = readFileSync(join(paths.meta, 'tasks', taskId, 'task.updates'), 'utf8');
      } catch {
        text = '';
      }
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          const record = JSON.parse(line) as { update?: StatusUpdate; ack?: string };
          if (record.update) updates.push(record.update);
          if (record.ack) acked.add(record.ack);
        } catch {
          break; // a torn last line from a crash mid-append
        }
      }
      tasks.push({ info, updates, acked });
    }
    return { containerId, pid: Number.isFinite(pid) ? pid : undefined, completed: existsSync(join(paths.meta, 'completed')), tasks };
  }
}
