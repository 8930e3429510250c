// Applies a Mesos task status to Marathon's instance records (Marathon's TaskStatusUpdateProcessor):
// the instance's state, start time, addresses and Mesos-side health; the events clients follow;
// backoff on failure; lastTaskFailure; and, for an ended instance, its removal. Unknown live tasks
// are killed: Marathon does not let tasks it cannot account for keep resources.
import { isTerminalState, type AppDefinition, type Clock, type TaskState, type TaskStatus } from '@tepui/protocol';
import type { Logger } from 'pino';
import type { EventBus } from '../events/event-bus';
import { conditionOf, type Instance } from '../instances/instance';
import type { LaunchDelays } from '../queue/launch-delay';
import type { InstanceTracker } from './instance-tracker';

export interface TaskFailure {
  appId: string;
  host: string;
  message: string;
  state: string;
  taskId: string;
  timestamp: string;
  version: string;
  slaveId: string;
}

/** Failure states that count as a crash (lastTaskFailure, backoff); a kill or a clean exit of a killed task does not. */
const FAILED: ReadonlySet<string> = new Set(['TASK_FAILED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_FINISHED']);

/**
 * The task is gone for Marathon: terminal, unreachable (when not kept), or unknown to Mesos — the
 * master answers TASK_UNKNOWN for a task on an agent it never heard of (Marathon's Condition.Unknown
 * counts as terminal).
 */
function isGone(state: TaskState): boolean {
  return isTerminalState(state) || state === 'TASK_UNREACHABLE' || state === 'TASK_UNKNOWN';
}

export interface StatusProcessorDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly bus: EventBus;
  readonly tracker: InstanceTracker;
  readonly delays: LaunchDelays;
  readonly appOf: (appId: string) => AppDefinition | undefined;
  readonly killUnknown: (taskId: string, agentId: string) => void;
  readonly recordFailure: (failure: TaskFailure) => void;
  readonly running: (instance: Instance) => void;
  readonly ended: (instance: Instance) => void;
  readonly changed: (appId: string) => void;
}

export class StatusProcessor {
  constructor(private readonly deps: StatusProcessorDeps) {}

  /** Resolves once the resulting state is stored: only then may the update be acknowledged. */
  async apply(status: TaskStatus): Promise<void> {
    const { tracker, bus, clock } = this.deps;
    const taskId = status.task_id.value;
    const instance = tracker.byTaskId(taskId);
    if (!instance) {
      // An unreachable task cannot be killed (the master would answer with the same state again);
      // should it come back, its next update gets it killed.
      if (!isGone(status.state) && status.agent_id) this.deps.killUnknown(taskId, status.agent_id.value);
      return;
    }
    const now = new Date(clock.now()).toISOString();
    const previousState = instance.state;
    instance.state = status.state;
    if (status.state === 'TASK_RUNNING' && !instance.startedAt) instance.startedAt = now;
    const addresses = (status.container_status?.network_infos ?? []).flatMap((n) => n.ip_addresses ?? []);
    if (addresses.length > 0) {
      instance.ipAddresses = addresses.filter((a) => a.ip_address).map((a) => ({ ipAddress: a.ip_address!, protocol: a.protocol === 'IPv6' ? 'IPv6' : 'IPv4' }));
    }
    const healthChanged = status.healthy !== undefined && status.healthy !== instance.mesosHealthy;
    if (status.healthy !== undefined) instance.mesosHealthy = status.healthy;

    const app = this.deps.appOf(instance.appId);
    if (app && previousState !== status.state) {
      this.deps.delays.onTaskState(app, status.state, clock.now());
    }
    bus.publish({
      eventType: 'status_update_event', slaveId: instance.agentId, taskId, taskStatus: status.state, message: status.message ?? '',
      appId: instance.appId, host: instance.host, ipAddresses: instance.ipAddresses, ports: instance.ports, version: instance.version,
    });
    if (previousState !== status.state) {
      bus.publish({
        eventType: 'instance_changed_event', instanceId: instance.instanceId, condition: conditionOf(status.state), runSpecId: instance.appId,
        agentId: instance.agentId, host: instance.host, runSpecVersion: instance.version,
      });
    }
    if (healthChanged) {
      bus.publish({ eventType: 'health_status_changed_event', appId: instance.appId, instanceId: instance.instanceId, version: instance.version, alive: status.healthy === true });
      bus.publish({ eventType: 'instance_health_changed_event', instanceId: instance.instanceId, runSpecId: instance.appId, runSpecVersion: instance.version, healthy: status.healthy ?? null });
    }

    const strategy = app?.unreachableStrategy ?? { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 };
    // Only an instance Marathon still wants is kept while unreachable: one being killed never
    // answers the kill from there (Marathon's KillAction), so it is forgotten.
    const keepUnreachable = status.state === 'TASK_UNREACHABLE' && instance.goal === 'Running' && (strategy === 'disabled' || strategy.expungeAfterSeconds > 0);
    if (keepUnreachable) {
      // Kept, and counted until inactiveAfterSeconds; the tick replaces it and later forgets it.
      instance.unreachableSince ??= now;
      this.deps.log.info({ task: taskId, strategy }, 'task unreachable');
      await tracker.store(instance);
    } else if (isGone(status.state)) {
      this.deps.log.info({ task: taskId, state: status.state, reason: status.reason, message: status.message, goal: instance.goal }, 'task ended');
      if (instance.goal === 'Running' && FAILED.has(status.state)) {
        this.deps.recordFailure({
          appId: instance.appId, host: instance.host, message: status.message ?? '', state: status.state, taskId, timestamp: now,
          version: instance.version, slaveId: instance.agentId,
        });
      }
      this.deps.ended(instance);
      // unreachableStrategy {0, 0} (the default): an unreachable instance is replaced and forgotten at once;
      // should its task come back, it is unknown and killed.
      await tracker.expunge(instance);
    } else if (status.state === 'TASK_RUNNING' && previousState !== 'TASK_RUNNING') {
      if (instance.unreachableSince !== undefined) delete instance.unreachableSince; // back again
      this.deps.running(instance);
      await tracker.store(instance);
    }
    // Other live states (STARTING, KILLING, a health change) stay in memory only: after a restart,
    // reconciliation tells Marathon the current state of every task it stored.
    this.deps.changed(instance.appId);
  }
}
