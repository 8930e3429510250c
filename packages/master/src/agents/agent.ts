// What the master knows about one agent: its info, its channel, and the tasks it runs.
import type { AgentCapabilityType, AgentInfo, ExecutorInfo, Resources, Task } from '@tepui/protocol';

/** The master's handle to send messages to an agent (the WebSocket shell implements it). */
export interface AgentConnection {
  send(message: import('@tepui/protocol').MasterToAgentMessage): void;
  close(reason: string): void;
}

export class Agent {
  connection?: AgentConnection;
  /** Deactivated agents get no offers (disconnected, or by the operator). */
  active = true;
  deactivatedByOperator = false;
  registeredTime: number;
  reregisteredTime?: number;
  /** Consecutive pings without a pong. */
  missedPings = 0;
  pongPending = false;
  /** framework id → task id → task. */
  readonly tasks = new Map<string, Map<string, Task>>();
  /**
   * `frameworkId/taskId` of tasks a framework asked to kill (Mesos' Slave::killedTasks): the agent
   * may be disconnected, or about to be, without the master knowing yet, so the kill is sent again
   * when it re-registers still running them.
   */
  readonly killedTasks = new Set<string>();
  /** framework id → executor id → executor info. */
  readonly executors = new Map<string, Map<string, ExecutorInfo>>();
  /** framework id → executor id → its sandbox on the agent, once the agent has reported it. */
  private readonly directories = new Map<string, Map<string, string>>();

  constructor(
    public info: AgentInfo & { id: { value: string } },
    public total: Resources,
    public readonly pid: string,
    public version: string,
    public capabilities: AgentCapabilityType[],
    now: number,
  ) {
    this.registeredTime = now;
  }

  get id(): string {
    return this.info.id.value;
  }

  get connected(): boolean {
    return this.connection !== undefined;
  }

  addTask(task: Task): void {
    const fw = task.framework_id.value;
    let tasks = this.tasks.get(fw);
    if (!tasks) this.tasks.set(fw, (tasks = new Map()));
    tasks.set(task.task_id.value, task);
  }

  removeTask(frameworkId: string, taskId: string): void {
    this.killedTasks.delete(`${frameworkId}/${taskId}`);
    const tasks = this.tasks.get(frameworkId);
    if (!tasks) return;
    tasks.delete(taskId);
    if (tasks.size === 0) this.tasks.delete(frameworkId);
  }

  addExecutor(frameworkId: string, executor: ExecutorInfo, directory?: string): void {
    let executors = this.executors.get(frameworkId);
    if (!executors) this.executors.set(frameworkId, (executors = new Map()));
    executors.set(executor.executor_id.value, executor);
    if (directory) this.setExecutorDirectory(frameworkId, executor.executor_id.value, directory);
  }

  removeExecutor(frameworkId: string, executorId: string): void {
    const executors = this.executors.get(frameworkId);
    if (!executors) return;
    executors.delete(executorId);
    this.directories.get(frameworkId)?.delete(executorId);
    if (executors.size === 0) this.removeFrameworkExecutors(frameworkId);
  }

  /** Forgets every executor of a framework (it was torn down). */
  removeFrameworkExecutors(frameworkId: string): void {
    this.executors.delete(frameworkId);
    this.directories.delete(frameworkId);
  }

  /**
   * Records where an executor's sandbox is; false (nothing recorded) for an executor the master
   * does not track, such as a command executor or one that has already exited.
   */
  setExecutorDirectory(frameworkId: string, executorId: string, directory: string): boolean {
    if (!this.executors.get(frameworkId)?.has(executorId)) return false;
    let directories = this.directories.get(frameworkId);
    if (!directories) this.directories.set(frameworkId, (directories = new Map()));
    directories.set(executorId, directory);
    return true;
  }

  executorDirectory(frameworkId: string, executorId: string): string | undefined {
    return this.directories.get(frameworkId)?.get(executorId);
  }

  *allTasks(): IterableIterator<Task> {
    for (const tasks of this.tasks.values()) yield* tasks.values();
  }

  /** Host and port parsed from the `slave(1)@ip:port` pid. */
  get address(): { ip: string; port: number } {
    const at = this.pid.lastIndexOf('@');
    const hostPort = this.pid.slice(at + 1);
    const colon = hostPort.lastIndexOf(':');
    return { ip: hostPort.slice(0, colon), port: Number(hostPort.slice(colon + 1)) };
  }
}
