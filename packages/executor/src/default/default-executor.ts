// The default executor: runs a task group (LAUNCH_GROUP) as one unit, each task a process in its
// own sandbox under `tasks/<task id>`. As Mesos' default executor does, a task that fails or is
// killed takes the whole group down; the executor exits once every task's terminal update is
// acknowledged.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorEvent, FrameworkInfo, KillPolicy, TaskInfo, TaskStatus } from '@tepui/protocol';
import { TaskProcess } from '../command/task-process';
import { hasKillingState, TERMINAL_ACK_WAIT_MS, type ExecutorDeps } from '../command/command-executor';
import { SandboxProcessRunner } from '../command/process-runner';

export class DefaultExecutor {
  private framework?: FrameworkInfo;
  private readonly tasks = new Map<string, TaskProcess>();
  private readonly acked = new Set<string>();
  private shuttingDown = false;

  constructor(
    private readonly deps: ExecutorDeps,
    /** Builds the process runner of one task's sandbox (real executors write files there). */
    private readonly runnerFor: (sandbox: string) => ExecutorDeps['runner'] = (sandbox) => new SandboxProcessRunner(sandbox),
  ) {}

  handle(event: ExecutorEvent): void {
    switch (event.type) {
      case 'SUBSCRIBED':
        this.framework = event.subscribed?.framework_info;
        return;
      case 'LAUNCH_GROUP':
        if (event.launch_group) this.launchGroup(event.launch_group.task_group.tasks);
        return;
      case 'LAUNCH':
        if (event.launch) this.launchGroup([event.launch.task]);
        return;
      case 'KILL':
        // Killing one task of a group kills the group.
        if (event.kill && this.tasks.has(event.kill.task_id.value)) this.killAll(event.kill.kill_policy);
        return;
      case 'SHUTDOWN':
        this.shuttingDown = true;
        this.killAll({ grace_period: { nanoseconds: this.deps.shutdownGracePeriodMs * 1e6 } });
        if (this.tasks.size === 0) this.deps.exit(0);
        return;
      case 'ACKNOWLEDGED':
        if (event.acknowledged) this.onAcknowledged(event.acknowledged.task_id.value, event.acknowledged.uuid);
        return;
      case 'ERROR':
        this.deps.log(`agent sent ERROR: ${event.error?.message ?? ''}`);
        return;
      default:
        return;
    }
  }

  agentLost(reason: string): void {
    this.deps.log(`lost the agent (${reason}); killing the task group`);
    for (const task of this.tasks.values()) task.forceKill();
    this.deps.exit(1);
  }

  private launchGroup(tasks: readonly TaskInfo[]): void {
    const fresh = tasks.filter((t) => !this.tasks.has(t.task_id.value));
    for (const info of fresh) {
      const sandbox = join(this.deps.sandbox, 'tasks', info.task_id.value);
      mkdirSync(sandbox, { recursive: true });
      const task = new TaskProcess(info, {
        ...this.deps,
        runner: this.runnerFor(sandbox),
        sandbox,
        killingState: hasKillingState(this.framework),
        defaultUser: this.framework?.user,
        onTerminal: (status) => this.onTerminal(status),
      });
      this.tasks.set(info.task_id.value, task);
    }
    for (const info of fresh) this.tasks.get(info.task_id.value)!.start();
  }

  private onTerminal(status: TaskStatus): void {
    if (status.state !== 'TASK_FINISHED') this.killAll();
    if ([...this.tasks.values()].every((t) => t.terminal)) {
      this.deps.clock.setTimer(TERMINAL_ACK_WAIT_MS, () => this.deps.exit(0));
    }
  }

  private killAll(policy?: KillPolicy): void {
    for (const task of this.tasks.values()) task.kill(policy);
  }

  private onAcknowledged(taskId: string, uuid: string): void {
    const task = this.tasks.get(taskId);
    if (task?.terminal?.uuid === uuid) this.acked.add(taskId);
    if (this.tasks.size > 0 && this.acked.size === this.tasks.size) this.deps.exit(0);
    else if (this.shuttingDown && this.tasks.size === 0) this.deps.exit(0);
  }
}
