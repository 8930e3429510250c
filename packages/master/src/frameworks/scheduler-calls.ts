// The scheduler calls other than SUBSCRIBE, applied to the master's books. Each returns nothing:
// per Mesos, these calls are accepted (202) and their outcome arrives as events.
import {
  Resources, isTerminalState, type Filters, type SchedulerCall, type Task, type TaskInfo, type TaskState,
} from '@tepui/protocol';
import type { Master } from '../master';
import type { Framework } from './framework';
import type { Agent } from '../agents/agent';
import { planAccept, type PlannedLaunch } from '../offers/accept';
import { reconcileTasks } from '../tasks/reconciliation';
import { agentStanding } from '../agents/agent-standing';
import { removeFramework } from './framework-lifecycle';
import { DEFAULT_REFUSE_SECONDS, normalizeRefuseSeconds } from '../allocator';
import { dropOperation } from './operation-calls';

/**
 * The refuse_seconds a DECLINE or ACCEPT hands to the allocator (which caps and defaults it), and
 * whether it installs no filter, so the resources may be offered again at once.
 */
function refusal(filters: Filters | undefined): { seconds: number; none: boolean } {
  const seconds = filters?.refuse_seconds ?? DEFAULT_REFUSE_SECONDS;
  return { seconds, none: normalizeRefuseSeconds(seconds) === 0 };
}

export function decline(master: Master, framework: Framework, offerIds: ReadonlyArray<{ value: string }>, filters?: Filters): void {
  const refuse = refusal(filters);
  const agents: string[] = [];
  for (const { value } of offerIds) {
    const offer = master.offers.get(value);
    if (!offer || offer.frameworkId !== framework.id) continue;
    master.takeOffer(value);
    master.allocator.recoverResources(framework.id, offer.agentId, offer.resources, refuse.seconds, master.now);
    agents.push(offer.agentId);
  }
  // With a zero filter the resources may go straight back out; otherwise they wait for the filter.
  if (refuse.none && agents.length > 0) master.allocation.requestAllocation(agents);
}

export function accept(master: Master, framework: Framework, call: NonNullable<SchedulerCall['accept']>): void {
  const offerIds = (call.offer_ids ?? []).map((o) => o.value);
  const operations = call.operations ?? [];
  const invalid = invalidOffersReason(master, framework, offerIds);
  if (invalid !== undefined) {
    master.log.info({ frameworkId: framework.id, reason: invalid }, 'ACCEPT refers to invalid offers');
    // Offers still valid go back to the allocator without a filter.
    master.discardOffers(offerIds.map((id) => master.offers.get(id)).filter((o) => o?.frameworkId === framework.id).flatMap((o) => (o ? [o] : [])));
    const state: TaskState = framework.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST';
    for (const task of launchedTasks(operations)) {
      sendStatus(master, framework, task, state, 'REASON_INVALID_OFFERS', `Task launched with invalid offers: ${invalid}`);
    }
    for (const op of operations) {
      if (op.type !== 'LAUNCH' && op.type !== 'LAUNCH_GROUP') dropOperation(master, framework, op, `Operation attempted with invalid offers: ${invalid}`);
    }
    return;
  }
  const offers = offerIds.map((id) => master.takeOffer(id)!);
  const first = offers[0];
  if (!first) return;
  const agent = master.agents.get(first.agentId)!;
  const offered = offers.reduce((sum, o) => sum.plus(o.resources), Resources.EMPTY);
  const plan = planAccept(operations, offered, {
    frameworkId: framework.id,
    agentId: agent.id,
    role: first.role,
    multiRole: framework.multiRole,
    isActiveTask: (id) => framework.tasks.has(id),
    executors: agent.executors.get(framework.id) ?? new Map(),
  });
  for (const refused of plan.refused) {
    sendStatus(master, framework, refused.task, 'TASK_ERROR', refused.reason, refused.message);
  }
  for (const u of plan.unsupported) dropOperation(master, framework, u.operation, u.message);
  for (const launch of plan.launches) launchTask(master, framework, agent, launch);
  for (const group of plan.groups) {
    if (group.newExecutor) agent.addExecutor(framework.id, group.executor);
    for (const t of group.tasks) addStagingTask(master, framework, agent, t);
    master.sendToAgent(agent, {
      type: 'RUN_TASK_GROUP',
      framework_info: framework.info,
      executor_info: group.executor,
      task_group: { tasks: group.tasks.map((t) => t.task) },
    });
  }
  if (!plan.unused.isEmpty()) {
    const refuse = refusal(call.filters);
    master.allocator.recoverResources(framework.id, agent.id, plan.unused, refuse.seconds, master.now);
    if (refuse.none) master.allocation.requestAllocation([agent.id]);
  }
}

function invalidOffersReason(master: Master, framework: Framework, offerIds: readonly string[]): string | undefined {
  if (offerIds.length === 0) return 'No offers specified';
  if (new Set(offerIds).size !== offerIds.length) return 'Offers contain duplicates';
  let agentId: string | undefined;
  let role: string | undefined;
  for (const id of offerIds) {
    const offer = master.offers.get(id);
    if (!offer) return `Offer ${id} is no longer valid`;
    if (offer.frameworkId !== framework.id) return `Offer ${id} has invalid framework ${offer.frameworkId} while framework ${framework.id} is expected`;
    if (agentId !== undefined && offer.agentId !== agentId) return 'Aggregated offers must belong to one single agent';
    if (role !== undefined && offer.role !== role) return 'Aggregated offers must be allocated to the same role';
    agentId = offer.agentId;
    role = offer.role;
    const agent = master.agents.get(offer.agentId);
    if (!agent?.connected) return `Offer ${id} is outdated: agent ${offer.agentId} is not connected`;
  }
  return undefined;
}

function launchedTasks(operations: NonNullable<SchedulerCall['accept']>['operations']): TaskInfo[] {
  const tasks: TaskInfo[] = [];
  for (const op of operations ?? []) {
    if (op.type === 'LAUNCH') tasks.push(...(op.launch?.task_infos ?? []));
    if (op.type === 'LAUNCH_GROUP') tasks.push(...(op.launch_group?.task_group.tasks ?? []));
  }
  return tasks;
}

function sendStatus(master: Master, framework: Framework, task: TaskInfo, state: TaskState, reason: 'REASON_INVALID_OFFERS' | 'REASON_TASK_INVALID' | 'REASON_TASK_GROUP_INVALID', message: string): void {
  const status = master.masterStatus({ task_id: task.task_id, agent_id: task.agent_id }, { state, reason, message });
  master.metrics.countTaskState(state);
  master.sendToFramework(framework, { type: 'UPDATE', update: { status } });
}

function addStagingTask(master: Master, framework: Framework, agent: Agent, launch: PlannedLaunch): Task {
  const info = launch.task;
  const task: Task = {
    name: info.name,
    task_id: info.task_id,
    framework_id: { value: framework.id },
    agent_id: { value: agent.id },
    state: 'TASK_STAGING',
    resources: launch.resources.toArray(),
    statuses: [],
  };
  if (info.executor) task.executor_id = info.executor.executor_id;
  if (info.labels) task.labels = info.labels;
  if (info.discovery) task.discovery = info.discovery;
  if (info.container) task.container = info.container;
  if (info.health_check) task.health_check = info.health_check;
  if (info.kill_policy) task.kill_policy = info.kill_policy;
  if (info.limits) task.limits = info.limits;
  task.user = info.command?.user ?? info.executor?.command?.user ?? framework.info.user;
  master.addTask(framework, agent, task);
  return task;
}

function launchTask(master: Master, framework: Framework, agent: Agent, launch: PlannedLaunch): void {
  if (launch.newExecutor) agent.addExecutor(framework.id, launch.newExecutor);
  addStagingTask(master, framework, agent, launch);
  master.sendToAgent(agent, { type: 'RUN_TASK', framework_info: framework.info, task: launch.task });
}

export function kill(master: Master, framework: Framework, call: NonNullable<SchedulerCall['kill']>): void {
  const taskId = call.task_id.value;
  const task = framework.tasks.get(taskId);
  if (!task) {
    // Unknown task: answer as explicit reconciliation would (TASK_LOST / TASK_UNKNOWN / …).
    reconcile(master, framework, [{ task_id: call.task_id, agent_id: call.agent_id }]);
    return;
  }
  if (call.agent_id && call.agent_id.value !== task.agent_id.value) {
    master.log.warn({ frameworkId: framework.id, taskId }, 'KILL names another agent than the task runs on; ignored');
    return;
  }
  const message = { type: 'KILL_TASK' as const, framework_id: { value: framework.id }, task_id: call.task_id, ...(call.kill_policy ? { kill_policy: call.kill_policy } : {}) };
  const agent = master.agents.get(task.agent_id.value);
  agent?.killedTasks.add(`${framework.id}/${taskId}`);
  if (!master.sendToAgent(agent, message)) {
    master.log.warn({ frameworkId: framework.id, taskId, agentId: task.agent_id.value }, 'cannot kill the task now: its agent is disconnected; the kill is sent again if the agent re-registers');
  }
}

export function acknowledge(master: Master, framework: Framework, call: NonNullable<SchedulerCall['acknowledge']>): void {
  const task = master.findFrameworkTask(framework, call.task_id.value);
  const agent = master.agents.get(call.agent_id.value);
  master.sendToAgent(agent, {
    type: 'STATUS_UPDATE_ACK',
    framework_id: { value: framework.id },
    task_id: call.task_id,
    uuid: call.uuid,
  });
  if (task && task.status_update_uuid === call.uuid && isTerminalState(task.status_update_state ?? task.state)) {
    master.removeTask(task);
  }
}

export function reconcile(master: Master, framework: Framework, tasks: ReadonlyArray<{ task_id: { value: string }; agent_id?: { value: string } }>): void {
  const statuses = reconcileTasks({
    partitionAware: framework.partitionAware,
    now: master.now,
    requests: tasks.map((t) => ({ taskId: t.task_id.value, agentId: t.agent_id?.value })),
    findTask: (id) => master.findFrameworkTask(framework, id),
    knownTasks: () => [...framework.tasks.values(), ...framework.unreachableTasks.values()],
    agentStanding: (agentId) => agentStanding(master, agentId),
    unreachableSince: (agentId) => master.unreachableAgents.get(agentId)?.since,
  });
  for (const status of statuses) master.sendToFramework(framework, { type: 'UPDATE', update: { status } });
}


export function revive(master: Master, framework: Framework, roles: readonly string[] | undefined): void {
  const list = roles && roles.length > 0 ? roles : undefined;
  for (const role of list ?? framework.roles) framework.suppressedRoles.delete(role);
  master.allocator.reviveOffers(framework.id, list);
  master.allocation.requestAllocation();
}

export function suppress(master: Master, framework: Framework, roles: readonly string[] | undefined): void {
  const list = roles && roles.length > 0 ? roles : undefined;
  for (const role of list ?? framework.roles) framework.suppressedRoles.add(role);
  master.allocator.suppressOffers(framework.id, list);
}

export function shutdownExecutor(master: Master, framework: Framework, call: NonNullable<SchedulerCall['shutdown']>): void {
  master.sendToAgent(master.agents.get(call.agent_id.value), {
    type: 'SHUTDOWN_EXECUTOR',
    framework_id: { value: framework.id },
    executor_id: call.executor_id,
  });
}

export function message(master: Master, framework: Framework, call: NonNullable<SchedulerCall['message']>): void {
  master.metrics.frameworkToExecutorMessages.inc();
  master.sendToAgent(master.agents.get(call.agent_id.value), {
    type: 'FRAMEWORK_TO_EXECUTOR',
    framework_id: { value: framework.id },
    executor_id: call.executor_id,
    data: call.data,
  });
}

export function teardown(master: Master, framework: Framework): void {
  removeFramework(master, framework);
}
