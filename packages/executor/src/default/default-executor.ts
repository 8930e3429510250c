// The default executor: runs a task group (LAUNCH_GROUP) as one unit, each task a process in its
// own sandbox under `tasks/<task id>`. As Mesos' default executor does, a task that fails or is
// killed takes the whole group down; the executor exits once every task's terminal update is
// acknowledged.
import { mkdirSync } from 'node:fs';
import { taskSandboxDir, type KillPolicy, type TaskInfo, type TaskStatus } from '@tepui/protocol';
import { ExecutorLogicBase } from '../executor-logic';
import { TaskProcess } from '../command/task-process';
import { hasKillingState, TERMINAL_ACK_WAIT_MS, type ExecutorDeps } from '../command/command-executor';
import { SandboxProcessRunner } from '../command/process-runner';

export class DefaultExecutor extends ExecutorLogicBase {
  private readonly tasks = new Map<string, TaskProcess>();
  private readonly acked = new Set<string>();
  private shuttingDown = false;

  constructor(
    deps: ExecutorDeps,
    /** Builds the process runner of one task's sandbox (real executors write files there). */
    private readonly runnerFor: (sandbox: string) => ExecutorDeps['runner'] = (sandbox) => new SandboxProcessRunner(sandbox),
  ) {
    super(deps);
  }

  protected launch(task: TaskInfo): void {
    this.launchGroup([task]);
  }

  /** Killing one task of a group kills the group. */
  protected kill(taskId: string, policy: KillPolicy | undefined): void {
    if (this.tasks.has(taskId)) this.killAll(policy);
  }

  protected shutdown(policy: KillPolicy): void {
    this.shuttingDown = true;
    this.killAll(policy);
    if (this.tasks.size === 0) this.deps.exit(0);
  }

  agentLost(reason: string): void {
    this.deps.log(`lost the agent (${reason}); killing the task group`);
    for (const task of this.tasks.values()) task.forceKill();
    this.deps.exit(1);
  }

  protected override launchGroup(tasks: readonly TaskInfo[]): void {
    const fresh = tasks.filter((t) => !this.tasks.has(t.task_id.value));
    for (const info of fresh) {
      const sandbox = taskSandboxDir(this.deps.sandbox, info.task_id.value);
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

  protected acknowledged(taskId: string, uuid: string): void {
    const task = this.tasks.get(taskId);
    if (task?.terminal?.uuid === uuid) this.acked.add(taskId);
    if (this.tasks.size > 0 && this.acked.size === this.tasks.size) this.deps.exit(0);
    else if (this.shuttingDown && this.tasks.size === 0) this.deps.exit(0);
  }
}
