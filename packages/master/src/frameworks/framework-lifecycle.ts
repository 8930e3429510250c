// Subscribing, failing over, disconnecting and removing frameworks (Master::subscribe,
// failoverFramework, disconnect, removeFramework in src/master/master.cpp).
import { randomUUID } from 'node:crypto';
import type { FrameworkInfo, Task } from '@tepui/protocol';
import { isTerminalState } from '@tepui/protocol';
import type { Master } from '../master';
import { Framework, frameworkRoles } from './framework';
import type { RecordIOStream } from '../http/recordio-stream';
import { frameworkToOperatorJson } from './framework-json';

export interface SubscribeRequest {
  readonly info: FrameworkInfo;
  readonly suppressedRoles: readonly string[];
  readonly stream: RecordIOStream;
}

/** Adds or fails over a framework on a new stream; returns the stream id to put in the header. */
export function subscribeFramework(master: Master, request: SubscribeRequest): { framework: Framework; streamId: string } {
  const { info, stream } = request;
  const streamId = randomUUID();
  const existingId = info.id?.value;
  let framework = existingId === undefined ? undefined : master.frameworks.get(existingId);
  const now = master.now;
  if (framework) {
    failover(master, framework, info, now);
  } else {
    const id = existingId ?? master.ids.framework();
    framework = new Framework({ ...info, id: { value: id } }, now);
    master.frameworks.set(id, framework);
    if (existingId !== undefined) framework.reregisteredTime = now;
    master.allocator.addFramework(id, allocatorInfo(framework, request.suppressedRoles), new Map());
    const added = framework;
    master.publish(() => ({ type: 'FRAMEWORK_ADDED', framework_added: { framework: frameworkToOperatorJson(master, added) } }));
  }
  framework.suppressedRoles.clear();
  for (const role of request.suppressedRoles) framework.suppressedRoles.add(role);
  framework.subscription = { streamId, stream };
  framework.active = true;
  framework.recovered = false;
  framework.unregisteredTime = undefined;
  master.allocator.updateFramework(framework.id, allocatorInfo(framework, request.suppressedRoles));
  master.allocator.activateFramework(framework.id);
  stream.onClose(() => {
    if (framework.subscription?.stream === stream) disconnectFramework(master, framework);
  });
  master.log.info({ frameworkId: framework.id, name: info.name }, existingId ? 'framework re-subscribed' : 'framework subscribed');
  return { framework, streamId };
}

export function allocatorInfo(framework: Framework, suppressedRoles: readonly string[]) {
  return {
    roles: frameworkRoles(framework.info),
    suppressedRoles,
    active: framework.active,
    multiRole: framework.multiRole,
  };
}

function failover(master: Master, framework: Framework, info: FrameworkInfo, now: number): void {
  framework.failoverTimer?.();
  framework.failoverTimer = undefined;
  const old = framework.subscription;
  framework.subscription = undefined;
  if (old) {
    old.stream.send({ type: 'ERROR', error: { message: 'Framework failed over' } });
    old.stream.close();
  }
  // Offers never survive a (re)subscription.
  master.discardOffers(master.offers.ofFramework(framework.id));
  framework.info = { ...info, id: { value: framework.id } };
  framework.reregisteredTime = now;
  master.publish(() => ({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: frameworkToOperatorJson(master, framework) } }));
}

/** The scheduler's stream broke: no offers, calls get 403, and the failover timer starts. */
export function disconnectFramework(master: Master, framework: Framework): void {
  framework.subscription = undefined;
  framework.active = false;
  framework.unregisteredTime = master.now;
  master.allocator.deactivateFramework(framework.id);
  master.discardOffers(master.offers.ofFramework(framework.id));
  const timeoutMs = Math.max(0, (framework.info.failover_timeout ?? 0) * 1000);
  master.log.info({ frameworkId: framework.id, failoverTimeoutMs: timeoutMs }, 'framework disconnected');
  framework.failoverTimer = master.clock.setTimer(timeoutMs, () => {
    if (framework.connected) return;
    master.log.info({ frameworkId: framework.id }, 'framework failover timeout elapsed; removing it');
    removeFramework(master, framework);
  });
  master.publish(() => ({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: frameworkToOperatorJson(master, framework) } }));
}

/** TEARDOWN or failover timeout: kill all of the framework's tasks and forget it. */
export function removeFramework(master: Master, framework: Framework): void {
  framework.failoverTimer?.();
  const subscription = framework.subscription;
  framework.subscription = undefined;
  framework.active = false;
  // Mesos just closes the stream of a torn-down framework; a later SUBSCRIBE with its id gets ERROR.
  subscription?.stream.close();
  master.discardOffers(master.offers.ofFramework(framework.id));
  const agentIds = new Set<string>();
  for (const task of [...framework.tasks.values(), ...framework.unreachableTasks.values()]) {
    agentIds.add(task.agent_id.value);
    killForRemoval(master, task);
  }
  for (const agent of master.agents.values()) {
    if (agentIds.has(agent.id) || agent.executors.has(framework.id)) {
      master.sendToAgent(agent, { type: 'SHUTDOWN_FRAMEWORK', framework_id: { value: framework.id } });
      agent.removeFrameworkExecutors(framework.id);
    }
  }
  master.allocator.removeFramework(framework.id);
  master.frameworks.delete(framework.id);
  master.removedFrameworkIds.add(framework.id);
  framework.unregisteredTime ??= master.now;
  master.completedFrameworks.push(framework);
  const limit = master.config.maxCompletedFrameworks;
  if (master.completedFrameworks.length > limit) master.completedFrameworks.splice(0, master.completedFrameworks.length - limit);
  master.publish({ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: framework.info } });
  master.log.info({ frameworkId: framework.id }, 'framework removed');
}

function killForRemoval(master: Master, task: Task): void {
  if (!isTerminalState(task.state)) {
    master.updateTask(task, master.masterStatus(task, {
      state: 'TASK_KILLED',
      reason: 'REASON_FRAMEWORK_REMOVED',
      message: 'Framework removed',
    }));
  }
  master.removeTask(task);
}
