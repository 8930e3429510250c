// The command executor: runs one task (Mesos' mesos-executor), then exits once its terminal
// update has been acknowledged.
import type { ExecutorEvent, FrameworkInfo, KillPolicy, TaskInfo } from '@tepui/protocol';
import { TaskProcess, type ProcessDeps } from './task-process';

export { DEFAULT_KILL_GRACE_MS, type UpdateSink } from './task-process';
/** How long to wait for the terminal update's acknowledgement before exiting anyway. */
export const TERMINAL_ACK_WAIT_MS = 60_000;

export interface ExecutorDeps extends ProcessDeps {
  readonly shutdownGracePeriodMs: number;
  readonly exit: (code: number) => void;
  readonly log: (message: string) => void;
}

export type CommandExecutorDeps = ExecutorDeps;

export function hasKillingState(framework: FrameworkInfo | undefined): boolean {
  return (framework?.capabilities ?? []).some((c) => c.type === 'TASK_KILLING_STATE');
}

export class CommandExecutor {
  private framework?: FrameworkInfo;
  private task?: TaskProcess;

  constructor(private readonly deps: ExecutorDeps) {}

  handle(event: ExecutorEvent): void {
    switch (event.type) {
      case 'SUBSCRIBED':
        this.framework = event.subscribed?.framework_info;
        return;
      case 'LAUNCH':
        if (event.launch) this.launch(event.launch.task);
        return;
      case 'LAUNCH_GROUP':
        this.deps.log('the command executor does not run task groups; ignoring LAUNCH_GROUP');
        return;
      case 'KILL':
        if (event.kill && event.kill.task_id.value === this.task?.id) this.task.kill(event.kill.kill_policy);
        return;
      case 'SHUTDOWN':
        this.shutdown({ grace_period: { nanoseconds: this.deps.shutdownGracePeriodMs * 1e6 } });
        return;
      case 'ACKNOWLEDGED':
        if (this.task?.terminal && event.acknowledged?.uuid === this.task.terminal.uuid) this.deps.exit(0);
        return;
      case 'ERROR':
        this.deps.log(`agent sent ERROR: ${event.error?.message ?? ''}`);
        return;
      default:
        return;
    }
  }

  /** The agent is gone for good: nothing can be reported, so stop the task and leave. */
  agentLost(reason: string): void {
    this.deps.log(`lost the agent (${reason}); killing the task`);
    this.task?.forceKill();
    this.deps.exit(1);
  }

  private shutdown(policy: KillPolicy): void {
    if (!this.task) this.deps.exit(0);
    else this.task.kill(policy);
  }

  private launch(task: TaskInfo): void {
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
}
