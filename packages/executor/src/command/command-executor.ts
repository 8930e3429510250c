// The command executor: runs one task (Mesos' mesos-executor), then exits once its terminal
// update has been acknowledged.
import type { FrameworkInfo, KillPolicy, TaskInfo } from '@tepui/protocol';
import { ExecutorLogicBase } from '../executor-logic';
import { TaskProcess, type ProcessDeps } from './task-process';

export { DEFAULT_KILL_GRACE_MS, type UpdateSink } from './task-process';
/** How long to wait for the terminal update's acknowledgement before exiting anyway. */
export const TERMINAL_ACK_WAIT_MS = 60_000;

export interface ExecutorDeps extends ProcessDeps {
  readonly shutdownGracePeriodMs: number;
  readonly exit: (code: number) => void;
}

export type CommandExecutorDeps = ExecutorDeps;

export function hasKillingState(framework: FrameworkInfo | undefined): boolean {
  return (framework?.capabilities ?? []).some((c) => c.type === 'TASK_KILLING_STATE');
}

export class CommandExecutor extends ExecutorLogicBase {
  private task?: TaskProcess;

  protected launch(task: TaskInfo): void {
    if (this.task) {
      this.deps.log(`ignoring task '${task.task_id.value}': the command executor runs one task`);
      return;
    }
    this.task = new TaskProcess(task, {
      ...this.deps,
      killingState: hasKillingState(this.framework),
      defaultUser: this.framework?.user,
      onTerminal: () => this.deps.clock.setTimer(TERMINAL_ACK_WAIT_MS, () => this.deps.exit(0)),
    });
    this.task.start();
  }

  protected kill(taskId: string, policy: KillPolicy | undefined): void {
    if (taskId === this.task?.id) this.task.kill(policy);
  }

  protected shutdown(policy: KillPolicy): void {
    if (!this.task) this.deps.exit(0);
    else this.task.kill(policy);
  }

  protected acknowledged(_taskId: string, uuid: string): void {
    if (this.task?.terminal && uuid === this.task.terminal.uuid) this.deps.exit(0);
  }

  agentLost(reason: string): void {
    this.deps.log(`lost the agent (${reason}); killing the task`);
    this.task?.forceKill();
    this.deps.exit(1);
  }
}
