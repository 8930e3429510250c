// Agent recovery (Mesos docs/agent-recovery.md): rebuild the books from the checkpoint, re-attach
// to executors that are still alive and give them time to re-subscribe, fail the tasks of those
// that died, and queue every unacknowledged update for replay once re-registered.
import type { Logger } from 'pino';
import { isTerminalState, type Clock } from '@tepui/protocol';
import type { AgentCore } from './agent-core';
import type { AgentConfig } from './config';
import type { CheckpointStore, RecoveredExecutor } from './checkpoint/checkpoint-store';
import type { Containerizer } from './containerizer/containerizer';
import { COMMAND_EXECUTOR_COMMAND, DOCKER_EXECUTOR_COMMAND, ExecutorRun, FrameworkEntry } from './executors/executor-run';

export interface RecoveryDeps {
  readonly core: AgentCore;
  readonly checkpoint: CheckpointStore;
  readonly containerizer: Containerizer;
  readonly config: Pick<AgentConfig, 'recover' | 'executorReregistrationTimeoutMs'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Schedules a directory of a run that had already finished for garbage collection. */
  readonly collect?: (path: string) => void;
}

function rebuildRun(deps: RecoveryDeps, fw: FrameworkEntry, agentId: string, ex: RecoveredExecutor): ExecutorRun | undefined {
  const recovered = ex.run;
  if (recovered?.completed) {
    // Mesos' recovery schedules the directories of finished runs it finds on disk.
    const done = deps.checkpoint.runPaths(agentId, fw.id, ex.info.executor_id.value, recovered.containerId);
    deps.collect?.(done.sandbox);
    deps.collect?.(done.meta);
  }
  if (!recovered || recovered.completed) return undefined;
  const paths = deps.checkpoint.runPaths(agentId, fw.id, ex.info.executor_id.value, recovered.containerId);
  const isCommand = ex.info.command?.value === COMMAND_EXECUTOR_COMMAND || ex.info.command?.value === DOCKER_EXECUTOR_COMMAND;
  const run = new ExecutorRun(fw.id, ex.info, recovered.containerId, paths, isCommand);
  run.pid = recovered.pid;
  for (const task of recovered.tasks) {
    const last = task.updates[task.updates.length - 1];
    const allAcked = task.updates.every((u) => u.status.uuid !== undefined && task.acked.has(u.status.uuid));
    const entry = { info: task.info, state: last?.status.state ?? 'TASK_STAGING', launched: task.updates.length > 0, latestStatus: last?.status };
    if (last && isTerminalState(last.status.state) && allAcked) {
      run.completedTasks.push(entry);
      continue;
    }
    run.tasks.set(task.info.task_id.value, entry);
    for (const update of task.updates) {
      if (update.status.uuid !== undefined && task.acked.has(update.status.uuid)) continue;
      deps.core.updates.push(update, paths, deps.checkpoint, true);
    }
  }
  return run;
}

/** Reads the checkpoint and rebuilds the books; returns the live executors expected to re-subscribe. */
export function recoverFromCheckpoint(deps: RecoveryDeps): ExecutorRun[] {
  const { core, checkpoint, containerizer, log } = deps;
  const state = checkpoint.recover();
  if (!state) return [];
  if (deps.config.recover === 'cleanup') {
    for (const fw of state.frameworks) for (const ex of fw.executors) containerizer.destroy(ex.run?.pid, undefined);
    checkpoint.forgetAgent();
    log.info({ agentId: state.agentId }, 'cleaned up the previous run; registering as a new agent');
    return [];
  }
  core.identity.agentId = state.agentId;
  const awaiting: ExecutorRun[] = [];
  for (const recovered of state.frameworks) {
    const fw = new FrameworkEntry(recovered.info);
    for (const ex of recovered.executors) {
      const run = rebuildRun(deps, fw, state.agentId, ex);
      if (!run) continue;
      fw.executors.set(run.id, run);
      if (run.pid !== undefined && containerizer.isAlive(run.pid)) {
        containerizer.recover(run.pid, (status) => core.executorExited(run, status));
        awaiting.push(run);
      }
    }
    if (fw.executors.size > 0) core.frameworks.set(fw.id, fw);
    for (const run of fw.executors.values()) {
      if (!awaiting.includes(run)) {
        run.state = 'running';
        core.executorExited(run);
      }
    }
  }
  log.info({ agentId: state.agentId, liveExecutors: awaiting.length }, 'recovered from the checkpoint');
  return awaiting;
}

/** Mesos waits for recovered executors before re-registering, so the task list it reports is current. */
export async function waitForResubscription(deps: RecoveryDeps, runs: readonly ExecutorRun[]): Promise<void> {
  if (runs.length === 0) return;
  const deadline = deps.clock.now() + deps.config.executorReregistrationTimeoutMs;
  await new Promise<void>((resolve) => {
    const check = () => {
      const waiting = runs.filter((r) => r.state === 'launching');
      if (waiting.length === 0) return resolve();
      if (deps.clock.now() >= deadline) {
        for (const run of waiting) {
          deps.log.warn({ executorId: run.id }, 'recovered executor did not re-subscribe in time; destroying it');
          deps.containerizer.destroy(run.pid, run.paths?.sandbox);
          deps.core.executorExited(run);
        }
        return resolve();
      }
      deps.clock.setTimer(25, check);
    };
    check();
  });
}
