// The command executor: runs one task's CommandInfo, reports its states, kills it with a grace
// period, runs its health checks (Mesos' src/launcher/executor.cpp behaviour).
import type { Cancel, Clock, ExecutorEvent, FrameworkInfo, KillPolicy, TaskInfo, TaskState, TaskStatus } from '@tepui/protocol';
import { isTerminalState } from '@tepui/protocol';
import { INITIAL_HEALTH, decideHealth, healthCheckOptions, type HealthCheckOptions, type HealthState } from '../health/health-policy';
import type { ProcessRunner, RunningProcess } from './process-runner';
import { resolveUser } from './process-runner';

export const DEFAULT_KILL_GRACE_MS = 3000;
/** How long to wait for the terminal update's acknowledgement before exiting anyway. */
export const TERMINAL_ACK_WAIT_MS = 60_000;

export interface UpdateSink {
  update(status: Omit<TaskStatus, 'uuid' | 'source' | 'executor_id' | 'timestamp'>): TaskStatus;
}

export interface CommandExecutorDeps {
  readonly driver: UpdateSink;
  readonly runner: ProcessRunner;
  readonly clock: Clock;
  readonly runCheck: (task: TaskInfo, timeoutMs: number) => Promise<boolean>;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly sandbox: string;
  readonly executorPid: number;
  readonly shutdownGracePeriodMs: number;
  readonly exit: (code: number) => void;
  readonly log: (message: string) => void;
}

export class CommandExecutor {
  private framework?: FrameworkInfo;
  private task?: TaskInfo;
  private process?: RunningProcess;
  private killing = false;
  private killedByHealth = false;
  private terminal?: TaskStatus;
  private health: HealthState = INITIAL_HEALTH;
  private healthTimer?: Cancel;
  private startedAt = 0;

  constructor(private readonly deps: CommandExecutorDeps) {}

  handle(event: ExecutorEvent): void {
    switch (event.type) {
      case 'SUBSCRIBED':
        this.framework = event.subscribed?.framework_info;
        return;
      case 'LAUNCH':
        if (event.launch) this.launch(event.launch.task);
        return;
      case 'KILL':
        if (event.kill && event.kill.task_id.value === this.task?.task_id.value) this.kill(event.kill.kill_policy);
        return;
      case 'SHUTDOWN':
        this.kill({ grace_period: { nanoseconds: this.deps.shutdownGracePeriodMs * 1e6 } });
        return;
      case 'ACKNOWLEDGED':
        if (this.terminal && event.acknowledged?.uuid === this.terminal.uuid) this.deps.exit(0);
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
    this.process?.signal('SIGKILL');
    this.deps.exit(1);
  }

  private send(state: TaskState, extra: Partial<TaskStatus> = {}): TaskStatus {
    const status = this.deps.driver.update({ task_id: this.task!.task_id, state, ...extra });
    if (isTerminalState(state)) {
      this.terminal = status;
      this.healthTimer?.();
      this.deps.clock.setTimer(TERMINAL_ACK_WAIT_MS, () => this.deps.exit(0));
    }
    return status;
  }

  private launch(task: TaskInfo): void {
    if (this.task) {
      this.deps.log(`ignoring a second task '${task.task_id.value}': the command executor runs one task`);
      return;
    }
    this.task = task;
    const command = task.command ?? {};
    this.send('TASK_STARTING');
    let ids: { uid: number; gid: number } | undefined;
    try {
      ids = resolveUser(command.user ?? this.framework?.user);
    } catch (err) {
      this.send('TASK_FAILED', { message: (err as Error).message, reason: 'REASON_COMMAND_EXECUTOR_FAILED' });
      return;
    }
    const env: NodeJS.ProcessEnv = { ...this.deps.baseEnv, MESOS_SANDBOX: this.deps.sandbox, MESOS_TASK_ID: task.task_id.value };
    for (const v of command.environment?.variables ?? []) if (v.value !== undefined) env[v.name] = v.value;
    this.process = this.deps.runner.start({ command, env, cwd: this.deps.sandbox, uid: ids?.uid, gid: ids?.gid });
    this.startedAt = this.deps.clock.now();
    this.process.onExit((code, signal) => this.onExit(code, signal));
    if (this.process.pid > 0) {
      this.send('TASK_RUNNING', { container_status: { executor_pid: this.deps.executorPid } });
      this.scheduleHealthCheck(true);
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.task || this.terminal) return;
    const how = signal ? `Command terminated with signal ${signal}` : `Command exited with status ${code}`;
    if (this.killing) {
      this.send('TASK_KILLED', { message: this.killedByHealth ? `${how} (killed after failing health checks)` : how, ...(this.killedByHealth ? { healthy: false } : {}) });
    } else if (code === 0) {
      this.send('TASK_FINISHED', { message: how });
    } else {
      this.send('TASK_FAILED', { message: how, reason: 'REASON_COMMAND_EXECUTOR_FAILED' });
    }
  }

  private kill(policy?: KillPolicy): void {
    if (!this.task) {
      this.deps.exit(0);
      return;
    }
    if (this.killing || this.terminal) return;
    this.killing = true;
    this.healthTimer?.();
    if (!this.process || this.process.pid <= 0) {
      this.send('TASK_KILLED', { message: 'Killed before the command started' });
      return;
    }
    if ((this.framework?.capabilities ?? []).some((c) => c.type === 'TASK_KILLING_STATE')) this.send('TASK_KILLING');
    const graceNs = policy?.grace_period?.nanoseconds ?? this.task.kill_policy?.grace_period?.nanoseconds;
    const graceMs = graceNs === undefined ? DEFAULT_KILL_GRACE_MS : graceNs / 1e6;
    this.process.signal('SIGTERM');
    const proc = this.process;
    this.deps.clock.setTimer(graceMs, () => {
      if (!this.terminal) proc.signal('SIGKILL');
    });
  }

  private checkOptions(): HealthCheckOptions | undefined {
    return this.task?.health_check ? healthCheckOptions(this.task.health_check) : undefined;
  }

  private scheduleHealthCheck(first: boolean): void {
    const options = this.checkOptions();
    if (!options || this.terminal || this.killing) return;
    this.healthTimer = this.deps.clock.setTimer(first ? options.delayMs : options.intervalMs, () => void this.checkOnce(options));
  }

  private async checkOnce(options: HealthCheckOptions): Promise<void> {
    if (!this.task || this.terminal || this.killing) return;
    const ok = await this.deps.runCheck(this.task, options.timeoutMs);
    if (this.terminal || this.killing) return;
    const decision = decideHealth(this.health, ok, options, this.startedAt, this.deps.clock.now());
    this.health = decision.state;
    if (decision.report !== undefined) {
      this.send('TASK_RUNNING', { healthy: decision.report, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' });
    }
    if (decision.kill) {
      this.killedByHealth = true;
      this.kill();
      return;
    }
    this.scheduleHealthCheck(false);
  }
}
