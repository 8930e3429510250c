// Builders for every scheduler Call the driver sends (reference §1.3). Pure: the wire body for
// a request, nothing more, so the exact JSON a master sees is unit-testable.
import type {
  ExecutorInfo, Filters, FrameworkID, FrameworkInfo, KillPolicy, OfferOperation, SchedulerCall, TaskGroupInfo, TaskInfo,
} from '@tepui/protocol';

/** An id as the wire wants it (`{ value }`), or just its string. */
export type IdLike = string | { readonly value: string };

export function toId(id: IdLike): { value: string } {
  return { value: typeof id === 'string' ? id : id.value };
}

export interface ReconcileTask {
  readonly task_id: IdLike;
  readonly agent_id?: IdLike;
}

/** SUBSCRIBE; when resuming, Mesos requires `framework_id` and `framework_info.id` to agree. */
export function subscribeCall(info: FrameworkInfo, suppressedRoles: readonly string[]): SchedulerCall {
  const subscribe: NonNullable<SchedulerCall['subscribe']> = { framework_info: info };
  if (suppressedRoles.length > 0) subscribe.suppressed_roles = [...suppressedRoles];
  const call: SchedulerCall = { type: 'SUBSCRIBE', subscribe };
  if (info.id) call.framework_id = { value: info.id.value };
  return call;
}

export function acceptCall(fid: FrameworkID, offerIds: readonly IdLike[], operations: readonly OfferOperation[], filters?: Filters): SchedulerCall {
  const accept: NonNullable<SchedulerCall['accept']> = { offer_ids: offerIds.map(toId), operations: [...operations] };
  if (filters) accept.filters = filters;
  return { framework_id: fid, type: 'ACCEPT', accept };
}

export function launchOperation(tasks: readonly TaskInfo[]): OfferOperation {
  return { type: 'LAUNCH', launch: { task_infos: [...tasks] } };
}

export function launchGroupOperation(executor: ExecutorInfo, group: TaskGroupInfo | readonly TaskInfo[]): OfferOperation {
  const taskGroup: TaskGroupInfo = 'tasks' in group ? group : { tasks: [...group] };
  return { type: 'LAUNCH_GROUP', launch_group: { executor, task_group: taskGroup } };
}

export function declineCall(fid: FrameworkID, offerIds: readonly IdLike[], filters?: Filters): SchedulerCall {
  const decline: NonNullable<SchedulerCall['decline']> = { offer_ids: offerIds.map(toId) };
  if (filters) decline.filters = filters;
  return { framework_id: fid, type: 'DECLINE', decline };
}

/** REVIVE/SUPPRESS: no roles means all of the framework's roles. */
export function reviveCall(fid: FrameworkID, roles?: readonly string[]): SchedulerCall {
  return { framework_id: fid, type: 'REVIVE', ...(roles && roles.length > 0 ? { revive: { roles: [...roles] } } : {}) };
}

export function suppressCall(fid: FrameworkID, roles?: readonly string[]): SchedulerCall {
  return { framework_id: fid, type: 'SUPPRESS', ...(roles && roles.length > 0 ? { suppress: { roles: [...roles] } } : {}) };
}

export function killCall(fid: FrameworkID, taskId: IdLike, agentId?: IdLike, killPolicy?: KillPolicy): SchedulerCall {
  const kill: NonNullable<SchedulerCall['kill']> = { task_id: toId(taskId) };
  if (agentId !== undefined) kill.agent_id = toId(agentId);
  if (killPolicy) kill.kill_policy = killPolicy;
  return { framework_id: fid, type: 'KILL', kill };
}

export function shutdownCall(fid: FrameworkID, executorId: IdLike, agentId: IdLike): SchedulerCall {
  return { framework_id: fid, type: 'SHUTDOWN', shutdown: { executor_id: toId(executorId), agent_id: toId(agentId) } };
}

/** `uuid` is the status's base64 uuid, echoed byte for byte. */
export function acknowledgeCall(fid: FrameworkID, agentId: IdLike, taskId: IdLike, uuid: string): SchedulerCall {
  return { framework_id: fid, type: 'ACKNOWLEDGE', acknowledge: { agent_id: toId(agentId), task_id: toId(taskId), uuid } };
}

/** Explicit reconciliation for `tasks`; an empty list asks for implicit reconciliation of every task. */
export function reconcileCall(fid: FrameworkID, tasks: readonly ReconcileTask[]): SchedulerCall {
  const list = tasks.map((t) => ({ task_id: toId(t.task_id), ...(t.agent_id !== undefined ? { agent_id: toId(t.agent_id) } : {}) }));
  return { framework_id: fid, type: 'RECONCILE', reconcile: { tasks: list } };
}

export function messageCall(fid: FrameworkID, agentId: IdLike, executorId: IdLike, data: Buffer | string): SchedulerCall {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { framework_id: fid, type: 'MESSAGE', message: { agent_id: toId(agentId), executor_id: toId(executorId), data: bytes.toString('base64') } };
}

export function teardownCall(fid: FrameworkID): SchedulerCall {
  return { framework_id: fid, type: 'TEARDOWN' };
}

/** UPDATE_FRAMEWORK; the master insists that `framework_info.id` equals `framework_id`. */
export function updateFrameworkCall(fid: FrameworkID, info: FrameworkInfo, suppressedRoles?: readonly string[]): SchedulerCall {
  const update: NonNullable<SchedulerCall['update_framework']> = { framework_info: { ...info, id: fid } };
  if (suppressedRoles) update.suppressed_roles = [...suppressedRoles];
  return { framework_id: fid, type: 'UPDATE_FRAMEWORK', update_framework: update };
}

/** The status a call must be answered with to count as accepted (reference §1.1 step 9). */
export function expectedStatus(call: SchedulerCall): number {
  return call.type === 'UPDATE_FRAMEWORK' ? 200 : 202;
}
