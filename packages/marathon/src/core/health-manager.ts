// Runs an app's Marathon-side health checks (HTTP, HTTPS, TCP) against each running instance of
// the version that defines them, folds results with the pure policy in health/health-state, and
// reports what changed. Mesos-side checks (COMMAND, MESOS_*) arrive as `healthy` on status updates.
import type { AppDefinition, AppHealthCheck, Cancel, Clock } from '@tepui/protocol';
import type { EventBus } from '../events/event-bus';
import { runMarathonCheck, type CheckTarget } from '../health/health-checker';
import { applyCheckOutcome, firstCheckDelayMs, healthCheckDefaults, initialHealth, isMarathonSideCheck, type CheckOutcome } from '../health/health-state';
import type { Instance } from '../instances/instance';
import { endpointOf } from '../instances/instance-endpoint';

export type CheckRunner = (check: AppHealthCheck, target: CheckTarget, timeoutMs: number) => Promise<CheckOutcome>;

export interface HealthManagerDeps {
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly instance: (instanceId: string) => Instance | undefined;
  /** Results changed: store the instance and let its app's controller look again. */
  readonly changed: (instance: Instance) => void;
  readonly kill: (instance: Instance, reason: string) => void;
  readonly run?: CheckRunner;
}

export class HealthManager {
  private readonly timers = new Map<string, Cancel[]>();
  private readonly run: CheckRunner;

  constructor(private readonly deps: HealthManagerDeps) {
    this.run = deps.run ?? runMarathonCheck;
  }

  /** Starts checking an instance that reached TASK_RUNNING with the checks of `app`, the version it runs (idempotent). */
  watch(instance: Instance, app: AppDefinition): void {
    if (this.timers.has(instance.instanceId)) return;
    const checks = app.healthChecks.map((check, index) => ({ check, index })).filter(({ check }) => isMarathonSideCheck(check));
    if (checks.length === 0) return;
    if (instance.healthCheckResults.length !== app.healthChecks.length) {
      instance.healthCheckResults = app.healthChecks.map(() => initialHealth(instance.instanceId));
    }
    const timers: Cancel[] = [];
    this.timers.set(instance.instanceId, timers);
    for (const { check, index } of checks) {
      const options = healthCheckDefaults(check);
      const tick = (): void => {
        void this.checkOnce(instance.instanceId, app, check, index).finally(() => {
          if (this.timers.get(instance.instanceId) === timers) timers[index] = this.deps.clock.setTimer(options.intervalMs, tick);
        });
      };
      timers[index] = this.deps.clock.setTimer(firstCheckDelayMs(options), tick);
    }
  }

  unwatch(instanceId: string): void {
    for (const cancel of this.timers.get(instanceId) ?? []) cancel?.();
    this.timers.delete(instanceId);
  }

  stop(): void {
    for (const id of [...this.timers.keys()]) this.unwatch(id);
  }

  private async checkOnce(instanceId: string, app: AppDefinition, check: AppHealthCheck, index: number): Promise<void> {
    const before = this.deps.instance(instanceId);
    if (!before || before.state !== 'TASK_RUNNING') return;
    const target = targetOf(check, app, before);
    const options = healthCheckDefaults(check);
    const outcome: CheckOutcome = target ? await this.run(check, target, options.timeoutMs) : { ok: false, cause: 'no port to check' };
    const instance = this.deps.instance(instanceId);
    if (!instance || instance.state !== 'TASK_RUNNING' || !this.timers.has(instanceId)) return;
    const previous = instance.healthCheckResults[index] ?? initialHealth(instanceId);
    const now = this.deps.clock.now();
    const decision = applyCheckOutcome(previous, outcome, options, Date.parse(instance.startedAt ?? instance.stagedAt), now);
    instance.healthCheckResults[index] = decision.result;
    const { bus } = this.deps;
    if (decision.failed) bus.publish({ eventType: 'failed_health_check_event', appId: app.id, taskId: instanceId, healthCheck: check });
    if (decision.aliveChanged) {
      bus.publish({ eventType: 'health_status_changed_event', appId: app.id, instanceId, version: instance.version, alive: decision.result.alive });
      bus.publish({ eventType: 'instance_health_changed_event', instanceId, runSpecId: app.id, runSpecVersion: instance.version, healthy: decision.result.alive });
    }
    if (decision.failed || decision.aliveChanged || decision.result !== previous) this.deps.changed(instance);
    if (decision.kill !== undefined) {
      bus.publish({
        eventType: 'unhealthy_instance_kill_event', appId: app.id, taskId: instance.taskId, instanceId, version: instance.version,
        reason: decision.kill, host: instance.host, slaveId: instance.agentId,
      });
      this.unwatch(instanceId);
      this.deps.kill(instance, decision.kill);
    }
  }
}

/** Where a check goes: the literal `port` on the agent, or the endpoint of the port at portIndex. */
function targetOf(check: AppHealthCheck, app: AppDefinition, instance: Instance): CheckTarget | undefined {
  if (check.port !== undefined) return { host: instance.host, port: check.port };
  return endpointOf(app, instance, check.portIndex ?? 0);
}
