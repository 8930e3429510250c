// Runs one task's health check on its schedule (delay, then interval), folds each result with the
// pure policy in health-policy.ts, and says when healthiness changed and when to kill. Shared by
// process tasks (command and default executors) and Docker tasks.
import type { Cancel, Clock, HealthCheck } from '@tepui/protocol';
import { INITIAL_HEALTH, decideHealth, healthCheckOptions, type HealthState } from './health-policy';

export interface HealthLoopDeps {
  readonly clock: Clock;
  /** One attempt: true when healthy. */
  readonly check: (timeoutMs: number) => Promise<boolean>;
  /** Healthiness changed: report it (TASK_RUNNING with `healthy`). */
  readonly report: (healthy: boolean) => void;
  /** Too many failures in a row: kill the task. */
  readonly kill: () => void;
}

export class HealthLoop {
  private state: HealthState = INITIAL_HEALTH;
  private timer?: Cancel;
  private stopped = false;
  private readonly startedAt: number;

  constructor(
    check: HealthCheck,
    private readonly deps: HealthLoopDeps,
    private readonly options = healthCheckOptions(check),
  ) {
    this.startedAt = deps.clock.now();
  }

  start(): void {
    this.schedule(this.options.delayMs);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.();
  }

  private schedule(afterMs: number): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimer(afterMs, () => void this.once());
  }

  private async once(): Promise<void> {
    if (this.stopped) return;
    const ok = await this.deps.check(this.options.timeoutMs);
    if (this.stopped) return;
    const decision = decideHealth(this.state, ok, this.options, this.startedAt, this.deps.clock.now());
    this.state = decision.state;
    if (decision.report !== undefined) this.deps.report(decision.report);
    if (decision.kill) {
      this.stop();
      this.deps.kill();
      return;
    }
    this.schedule(this.options.intervalMs);
  }
}
