// Fake executors for scale tests: in-process, no sandbox, no processes. They answer LAUNCH with
// TASK_RUNNING at once (skipping STARTING saves a round trip per task) and finish on cue:
// a task whose command is `sleep <secs>`, or that carries the label `tepui.sim/finish-after-ms`,
// reports TASK_FINISHED after that long; every other task runs until killed.
import { newStatusUuid, type Clock, type ExecutorEvent, type TaskInfo, type TaskState } from '@tepui/protocol';
import type { AgentCore } from '../agent-core';
import type { Containerizer, LaunchSpec } from '../containerizer/containerizer';
import type { ExecutorConnection, ExecutorRun } from '../executors/executor-run';

export const FINISH_AFTER_LABEL = 'tepui.sim/finish-after-ms';

export function finishAfterMs(task: TaskInfo): number | undefined {
  const label = task.labels?.labels.find((l) => l.key === FINISH_AFTER_LABEL)?.value;
  if (label !== undefined && Number.isFinite(Number(label))) return Number(label);
  const sleep = /^\s*sleep\s+(\d+(?:\.\d+)?)\s*$/.exec(task.command?.value ?? '');
  return sleep ? Number(sleep[1]) * 1000 : undefined;
}

class FakeExecutor implements ExecutorConnection {
  private readonly running = new Set<string>();
  private exited = false;

  constructor(
    private readonly core: AgentCore,
    private readonly run: ExecutorRun,
    private readonly clock: Clock,
    private readonly onExit: (status?: number) => void,
  ) {}

  send(event: ExecutorEvent): void {
    if (event.type === 'LAUNCH' && event.launch) this.start([event.launch.task]);
    else if (event.type === 'LAUNCH_GROUP' && event.launch_group) this.start(event.launch_group.task_group.tasks);
    else if (event.type === 'KILL' && event.kill) this.finish(event.kill.task_id.value, 'TASK_KILLED');
    else if (event.type === 'SHUTDOWN') for (const id of [...this.running]) this.finish(id, 'TASK_KILLED');
  }

  close(): void {}

  private start(tasks: readonly TaskInfo[]): void {
    for (const task of tasks) {
      const id = task.task_id.value;
      this.running.add(id);
      this.report(id, 'TASK_RUNNING');
      const after = finishAfterMs(task);
      if (after !== undefined) this.clock.setTimer(after, () => this.finish(id, 'TASK_FINISHED'));
    }
  }

  private finish(taskId: string, state: TaskState): void {
    if (!this.running.delete(taskId)) return;
    this.report(taskId, state);
    if (this.running.size === 0 && !this.exited) {
      this.exited = true;
      this.onExit(0);
    }
  }

  private report(taskId: string, state: TaskState): void {
    this.core.executorUpdate(this.run, { task_id: { value: taskId }, state, source: 'SOURCE_EXECUTOR', uuid: newStatusUuid(), timestamp: this.clock.now() / 1000 });
  }
}

export class SimulatedContainerizer implements Containerizer {
  private core?: AgentCore;

  constructor(private readonly clock: Clock) {}

  attach(core: AgentCore): void {
    this.core = core;
  }

  launch(spec: LaunchSpec, onExit: (status?: number) => void): Promise<undefined> {
    const core = this.core!;
    // Subscribe on the next turn, as a real executor would after starting up.
    setImmediate(() => {
      const run = core.findRun(spec.framework.id.value, spec.executor.executor_id.value);
      if (!run || !run.live) return;
      core.executorSubscribed(run, new FakeExecutor(core, run, this.clock, onExit), []);
    });
    return Promise.resolve(undefined);
  }

  recover(): void {}

  destroy(): void {}

  isAlive(): boolean {
    return false;
  }
}
