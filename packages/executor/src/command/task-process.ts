// One task's process: launch its CommandInfo, report its states, kill it with a grace period and
// run its health checks (Mesos' src/launcher/executor.cpp behaviour). Used by the command
// executor (one task) and the default executor (a task group).
import type { Cancel, Clock, KillPolicy, TaskInfo, TaskState, TaskStatus } from '@tepui/protocol';
import { isTerminalState } from '@tepui/protocol';
import { healthCheckTarget, type HealthCheckTarget } from '../health/checks';
import { HealthLoop } from '../health/health-loop';
import { escalateKill, killGraceMs, type KillEscalation } from '../kill-escalation';
import { resolveUser, type ProcessRunner, type RunningProcess } from './process-runner';

export const DEFAULT_KILL_GRACE_MS = 3000;

export interface UpdateSink {
  update(status: Omit<TaskStatus, 'uuid' | 'source' | 'executor_id' | 'timestamp'>): TaskStatus;
}

/** What running task processes needs from its executor. */
export interface ProcessDeps {
  readonly driver: UpdateSink;
  readonly runner: ProcessRunner;
  readonly clock: Clock;
  /** One attempt of a health check, run in `cwd` (the task's sandbox). */
  readonly runCheck: (target: HealthCheckTarget, ctx: { readonly cwd: string; readonly timeoutMs: number }) => Promise<boolean>;
  readonly baseEnv: NodeJS.ProcessEnv;
  /** The working directory (the task's sandbox). */
  readonly sandbox: string;
  readonly executorPid: number;
  readonly log: (message: string) => void;
}

export interface TaskProcessDeps extends ProcessDeps {
  /** The framework has TASK_KILLING_STATE: send TASK_KILLING before killing. */
  readonly killingState: boolean;
  /** The framework's user, used when the command names none. */
  readonly defaultUser?: string;
  readonly onTerminal: (status: TaskStatus) => void;
}

export class TaskProcess {
  private process?: RunningProcess;
  private killing = false;
  private killedByHealth = false;
  private terminalStatus?: TaskStatus;
  private health?: HealthLoop;
  private escalation?: KillEscalation;
  private cancelEscalation?: Cancel;

  constructor(
    readonly task: TaskInfo,
    private readonly deps: TaskProcessDeps,
  ) {}

  get terminal(): TaskStatus | undefined {
    return this.terminalStatus;
  }

  get id(): string {
    return this.task.task_id.value;
  }

  private send(state: TaskState, extra: Partial<TaskStatus> = {}): TaskStatus {
    const status = this.deps.driver.update({ task_id: this.task.task_id, state, ...extra });
    if (isTerminalState(state)) {
      this.terminalStatus = status;
      this.health?.stop();
      this.cancelEscalation?.();
      this.deps.onTerminal(status);
    }
    return status;
  }

  start(): void {
    // Killed before it was started (a task group whose other task failed first): nothing to run.
    if (this.killing || this.terminalStatus) return;
    const command = this.task.command ?? {};
    this.send('TASK_STARTING');
    let ids: { uid: number; gid: number } | undefined;
    try {
      ids = resolveUser(command.user ?? this.deps.defaultUser);
    } catch (err) {
      this.send('TASK_FAILED', { message: (err as Error).message, reason: 'REASON_COMMAND_EXECUTOR_FAILED' });
      return;
    }
    const env: NodeJS.ProcessEnv = { ...this.deps.baseEnv, MESOS_SANDBOX: this.deps.sandbox, MESOS_TASK_ID: this.id };
    for (const v of command.environment?.variables ?? []) if (v.value !== undefined) env[v.name] = v.value;
    this.process = this.deps.runner.start({ command, env, cwd: this.deps.sandbox, uid: ids?.uid, gid: ids?.gid });
    this.process.onExit((code, signal) => this.onExit(code, signal));
    if (this.process.pid > 0 && !this.terminalStatus) {
      this.send('TASK_RUNNING', { container_status: { executor_pid: this.deps.executorPid } });
      this.startHealthChecks();
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.terminalStatus) return;
    const how = signal ? `Command terminated with signal ${signal}` : `Command exited with status ${code}`;
    if (this.killing) {
      this.send('TASK_KILLED', { message: this.killedByHealth ? `${how} (killed after failing health checks)` : how, ...(this.killedByHealth ? { healthy: false } : {}) });
    } else if (code === 0) {
      this.send('TASK_FINISHED', { message: how });
    } else {
      this.send('TASK_FAILED', { message: how, reason: 'REASON_COMMAND_EXECUTOR_FAILED' });
    }
  }

  /**
   * The first KILL sends SIGTERM to the process group and SIGKILL once the grace period is over;
   * a repeated KILL can only bring the SIGKILL forward (kill-escalation.ts). A KILL after the
   * task ended changes nothing: its terminal update is already on its way.
   */
  kill(policy?: KillPolicy): void {
    if (this.terminalStatus) return;
    const graceMs = killGraceMs(policy, this.task, DEFAULT_KILL_GRACE_MS);
    const first = !this.killing;
    this.killing = true;
    this.health?.stop();
    const proc = this.process;
    if (!proc || proc.pid <= 0) {
      this.send('TASK_KILLED', { message: 'Killed before the command started' });
      return;
    }
    const now = this.deps.clock.now();
    const { escalation, rescheduled } = escalateKill(this.escalation, graceMs, now);
    this.escalation = escalation;
    if (first) {
      if (this.deps.killingState) this.send('TASK_KILLING');
      proc.signal('SIGTERM');
    }
    if (!rescheduled) return;
    this.cancelEscalation?.();
    const sigkill = () => {
      if (!this.terminalStatus) proc.signal('SIGKILL');
    };
    if (escalation.deadline <= now) sigkill();
    else this.cancelEscalation = this.deps.clock.setTimer(escalation.deadline - now, sigkill);
  }

  /** The executor is going away without its agent: nothing can be reported any more. */
  forceKill(): void {
    this.process?.signal('SIGKILL');
  }

  private startHealthChecks(): void {
    const check = this.task.health_check;
    if (!check) return;
    const target = healthCheckTarget(check);
    if (!target) {
      this.deps.log(`task '${this.id}' has a ${check.type ?? 'typeless'} health check with nothing to run; it is not checked`);
      return;
    }
    this.health = new HealthLoop(check, {
      clock: this.deps.clock,
      check: (timeoutMs) => this.deps.runCheck(target, { cwd: this.deps.sandbox, timeoutMs }),
      report: (healthy) => void this.send('TASK_RUNNING', { healthy, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' }),
      kill: () => {
        this.killedByHealth = true;
        this.kill();
      },
    });
    this.health.start();
  }
}
