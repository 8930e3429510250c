// Plans an ACCEPT against the offered resources: which tasks launch, which are refused (and why),
// and what is left over to recover. Pure; the master applies the plan.
import { Resources, type ExecutorInfo, type OfferOperation, type TaskInfo } from '@tepui/protocol';
import { validateExecutor, validateTask, withAllocationRole, type TaskValidationContext } from './task-validation';

export interface PlannedLaunch {
  readonly task: TaskInfo;
  readonly resources: Resources;
  /** Set when this launch starts a new executor (custom or task-group executor). */
  readonly newExecutor?: ExecutorInfo;
}

export interface PlannedGroupLaunch {
  readonly executor: ExecutorInfo;
  readonly newExecutor: boolean;
  readonly tasks: PlannedLaunch[];
}

export interface RefusedTask {
  readonly task: TaskInfo;
  readonly message: string;
  readonly reason: 'REASON_TASK_INVALID' | 'REASON_TASK_GROUP_INVALID';
}

export interface AcceptPlan {
  readonly launches: PlannedLaunch[];
  readonly groups: PlannedGroupLaunch[];
  readonly refused: RefusedTask[];
  /** Operations Tepui does not perform (reservations, volumes, unknown types) with the reason. */
  readonly unsupported: Array<{ operation: OfferOperation; message: string }>;
  readonly unused: Resources;
}

function fitError(needed: Resources, available: Resources): string | undefined {
  if (available.contains(needed)) return undefined;
  return `Task uses more resources ${needed.toString()} than available ${available.toString()}`;
}

export function planAccept(
  operations: readonly OfferOperation[],
  offered: Resources,
  ctx: TaskValidationContext,
): AcceptPlan {
  let available = offered;
  // Only this ACCEPT's ids are collected here; the framework's existing ones are looked up, not copied.
  const active = new Set<string>();
  const executors = new Map(ctx.executors);
  const launches: PlannedLaunch[] = [];
  const groups: PlannedGroupLaunch[] = [];
  const refused: RefusedTask[] = [];
  const unsupported: AcceptPlan['unsupported'] = [];
  const isActiveTask = (id: string) => active.has(id) || ctx.isActiveTask(id);
  const context = (): TaskValidationContext => ({ ...ctx, isActiveTask, executors });

  const prepare = (task: TaskInfo): { task: TaskInfo; resources: Resources } | string => {
    const error = validateTask(task, context());
    if (error) return error;
    const taskResources = withAllocationRole(task.resources ?? [], ctx);
    if (typeof taskResources === 'string') return taskResources;
    const normalized: TaskInfo = { ...task, resources: taskResources };
    if (task.executor) {
      const execResources = withAllocationRole(task.executor.resources ?? [], ctx);
      if (typeof execResources === 'string') return execResources;
      normalized.executor = { ...task.executor, framework_id: { value: ctx.frameworkId }, resources: execResources };
    }
    return { task: normalized, resources: Resources.of(taskResources) };
  };

  for (const op of operations) {
    if ((op.type === 'LAUNCH' || op.type === 'LAUNCH_GROUP') && op.id) {
      // Operation feedback is not supported for launches (Master::accept).
      const tasks = op.type === 'LAUNCH' ? op.launch?.task_infos ?? [] : op.launch_group?.task_group.tasks ?? [];
      const reason = op.type === 'LAUNCH' ? 'REASON_TASK_INVALID' : 'REASON_TASK_GROUP_INVALID';
      for (const task of tasks) refused.push({ task, message: `The \`id\` field cannot be set on ${op.type} operations`, reason });
    } else if (op.type === 'LAUNCH') {
      for (const task of op.launch?.task_infos ?? []) {
        const prepared = prepare(task);
        if (typeof prepared === 'string') {
          refused.push({ task, message: prepared, reason: 'REASON_TASK_INVALID' });
          continue;
        }
        const executor = prepared.task.executor;
        const newExecutor = executor && !executors.has(executor.executor_id.value) ? executor : undefined;
        const needed = newExecutor ? prepared.resources.plus(Resources.of(newExecutor.resources ?? [])) : prepared.resources;
        const error = fitError(needed, available);
        if (error) {
          refused.push({ task, message: error, reason: 'REASON_TASK_INVALID' });
          continue;
        }
        available = available.minus(needed);
        active.add(task.task_id.value);
        if (newExecutor) executors.set(newExecutor.executor_id.value, newExecutor);
        launches.push({ task: prepared.task, resources: prepared.resources, newExecutor });
      }
    } else if (op.type === 'LAUNCH_GROUP' && op.launch_group) {
      const group = planGroup(op.launch_group.executor, op.launch_group.task_group.tasks, available, context(), prepare);
      if ('refused' in group) {
        refused.push(...group.refused);
        continue;
      }
      available = group.available;
      for (const t of group.plan.tasks) active.add(t.task.task_id.value);
      if (group.plan.newExecutor) executors.set(group.plan.executor.executor_id.value, group.plan.executor);
      groups.push(group.plan);
    } else {
      const message = op.type === undefined || op.type === 'UNKNOWN' ? 'Ignoring unknown operation' : `Tepui does not support ${op.type} operations yet`;
      unsupported.push({ operation: op, message });
    }
  }
  return { launches, groups, refused, unsupported, unused: available };
}

type Prepare = (task: TaskInfo) => { task: TaskInfo; resources: Resources } | string;

function planGroup(
  executor: ExecutorInfo,
  tasks: readonly TaskInfo[],
  available: Resources,
  ctx: TaskValidationContext,
  prepare: Prepare,
): { plan: PlannedGroupLaunch; available: Resources } | { refused: RefusedTask[] } {
  const refuseAll = (message: string): { refused: RefusedTask[] } => ({
    refused: tasks.map((task) => ({ task, message, reason: 'REASON_TASK_GROUP_INVALID' as const })),
  });
  if (tasks.length === 0) return refuseAll('Task group is empty');
  if (executor.type !== 'DEFAULT' && executor.type !== 'CUSTOM') return refuseAll("Expecting 'executor.type' to be DEFAULT or CUSTOM for LAUNCH_GROUP");
  const executorError = validateExecutor(executor, ctx);
  if (executorError) return refuseAll(executorError);
  const execResources = withAllocationRole(executor.resources ?? [], ctx);
  if (typeof execResources === 'string') return refuseAll(execResources);
  const isNew = !ctx.executors.has(executor.executor_id.value);
  let needed = isNew ? Resources.of(execResources) : Resources.EMPTY;
  const planned: PlannedLaunch[] = [];
  const ids = new Set<string>();
  for (const task of tasks) {
    if (task.executor) return refuseAll("Task in a task group must not set 'executor'");
    if (ids.has(task.task_id.value)) return refuseAll(`Duplicate task ID '${task.task_id.value}' in task group`);
    ids.add(task.task_id.value);
    const prepared = prepare({ ...task, command: task.command ?? {} });
    if (typeof prepared === 'string') return refuseAll(`Task '${task.task_id.value}' is invalid: ${prepared}`);
    needed = needed.plus(prepared.resources);
    planned.push({ task: { ...prepared.task, command: task.command }, resources: prepared.resources });
  }
  const error = fitError(needed, available);
  if (error) return refuseAll(error);
  const info: ExecutorInfo = { ...executor, framework_id: { value: ctx.frameworkId }, resources: execResources };
  return { plan: { executor: info, newExecutor: isNew, tasks: planned }, available: available.minus(needed) };
}
