// What every Tepui executor does with the agent's events, once: remember the framework on
// SUBSCRIBED, log ERROR, and hand LAUNCH, LAUNCH_GROUP, KILL, SHUTDOWN and ACKNOWLEDGED to the
// executor's own handling.
import type { ExecutorEvent, FrameworkInfo, KillPolicy, TaskInfo } from '@tepui/protocol';
import type { ExecutorDeps } from './command/command-executor';
import { shutdownKillGraceMs } from './kill-escalation';

export abstract class ExecutorLogicBase {
  protected framework?: FrameworkInfo;

  constructor(protected readonly deps: ExecutorDeps) {}

  handle(event: ExecutorEvent): void {
    switch (event.type) {
      case 'SUBSCRIBED':
        this.framework = event.subscribed?.framework_info;
        return;
      case 'LAUNCH':
        if (event.launch) this.launch(event.launch.task);
        return;
      case 'LAUNCH_GROUP':
        if (event.launch_group) this.launchGroup(event.launch_group.task_group.tasks);
        return;
      case 'KILL':
        if (event.kill) this.kill(event.kill.task_id.value, event.kill.kill_policy);
        return;
      case 'SHUTDOWN':
        this.shutdown({ grace_period: { nanoseconds: shutdownKillGraceMs(this.deps.shutdownGracePeriodMs) * 1e6 } });
        return;
      case 'ACKNOWLEDGED':
        if (event.acknowledged) this.acknowledged(event.acknowledged.task_id.value, event.acknowledged.uuid);
        return;
      case 'ERROR':
        this.deps.log(`agent sent ERROR: ${event.error?.message ?? ''}`);
        return;
      default:
        return;
    }
  }

  /** The agent is gone for good: nothing can be reported any more. */
  abstract agentLost(reason: string): void;

  protected abstract launch(task: TaskInfo): void;

  protected launchGroup(_tasks: readonly TaskInfo[]): void {
    this.deps.log(`${this.constructor.name} does not run task groups; ignoring LAUNCH_GROUP`);
  }

  protected abstract kill(taskId: string, policy: KillPolicy | undefined): void;

  protected abstract shutdown(policy: KillPolicy): void;

  protected abstract acknowledged(taskId: string, uuid: string): void;
}
