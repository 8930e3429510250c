// Validation of TaskInfo and ExecutorInfo in an ACCEPT, following the checks and messages of
// Mesos' src/master/validation.cpp. Pure: returns an error message or undefined.
import { Resources, type ExecutorInfo, type Resource, type TaskInfo } from '@tepui/protocol';

const MAX_ID_LENGTH = 255;

/** Mesos' common::validation::validateID. */
export function validateId(id: string): string | undefined {
  if (id.length === 0) return 'ID must not be empty';
  if (id.length > MAX_ID_LENGTH) return `ID must not be greater than ${MAX_ID_LENGTH} characters`;
  if (id === '.' || id === '..') return "'.' and '..' are reserved";
  if (id.includes('/')) return "'/' is a reserved character";
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(id)) return 'ID must not contain control characters';
  return undefined;
}

export interface TaskValidationContext {
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  readonly multiRole: boolean;
  /** Whether a task id is active for the framework (launched earlier or earlier in this ACCEPT). */
  readonly isActiveTask: (taskId: string) => boolean;
  /** Executors the framework already runs on the agent. */
  readonly executors: ReadonlyMap<string, ExecutorInfo>;
}

/** Resources with the offer's allocation role filled in, or an error if they name another role. */
export function withAllocationRole(resources: readonly Resource[], ctx: TaskValidationContext): Resource[] | string {
  const out: Resource[] = [];
  for (const r of resources) {
    const role = r.allocation_info?.role;
    if (role === undefined) {
      if (ctx.multiRole) return `Resource '${r.name}' is missing 'allocation_info.role' (required for MULTI_ROLE frameworks)`;
      out.push({ ...r, allocation_info: { role: ctx.role } });
    } else if (role !== ctx.role) {
      return `Resource '${r.name}' is allocated to role '${role}' but the offer is for role '${ctx.role}'`;
    } else {
      out.push(r);
    }
  }
  return out;
}

function validateHealthCheck(task: TaskInfo): string | undefined {
  const check = task.health_check;
  if (!check) return undefined;
  const type = check.type;
  if (type === 'HTTP' && !check.http) return "Task's health check invalid: Expecting 'http' to be set for HTTP health check";
  if (type === 'TCP' && !check.tcp) return "Task's health check invalid: Expecting 'tcp' to be set for TCP health check";
  if (type === 'COMMAND' && !check.command) return "Task's health check invalid: Expecting 'command' to be set for COMMAND health check";
  for (const field of ['delay_seconds', 'interval_seconds', 'timeout_seconds', 'grace_period_seconds'] as const) {
    const v = check[field];
    if (v !== undefined && v < 0) return `Task's health check invalid: Expecting '${field}' to be non-negative`;
  }
  return undefined;
}

function validateContainer(task: TaskInfo): string | undefined {
  const c = task.container;
  if (!c) return undefined;
  if (c.type === 'DOCKER' && !c.docker) return "Task's ContainerInfo is invalid: DockerInfo 'docker' is not set for DOCKER typed ContainerInfo";
  if (c.type === 'MESOS' && c.docker) return "Task's ContainerInfo is invalid: DockerInfo 'docker' is set for MESOS typed ContainerInfo";
  return undefined;
}

export function validateExecutor(executor: ExecutorInfo, ctx: TaskValidationContext): string | undefined {
  const idError = validateId(executor.executor_id.value);
  if (idError) return `Executor ID '${executor.executor_id.value}' is invalid: ${idError}`;
  if (executor.framework_id && executor.framework_id.value !== ctx.frameworkId) {
    return `ExecutorInfo has an invalid FrameworkID (Actual: ${executor.framework_id.value} vs Expected: ${ctx.frameworkId})`;
  }
  if (executor.type !== 'DEFAULT' && !executor.command) return "Executor 'command' is required for non-DEFAULT executors";
  const resourceError = executor.resources ? Resources.validate(executor.resources) : undefined;
  if (resourceError) return `Executor uses invalid resources: ${resourceError}`;
  const existing = ctx.executors.get(executor.executor_id.value);
  if (existing && !sameExecutor(existing, executor)) {
    return `ExecutorInfo is not compatible with ExecutorInfo of the running executor '${executor.executor_id.value}'`;
  }
  return undefined;
}

function sameExecutor(a: ExecutorInfo, b: ExecutorInfo): boolean {
  const strip = (e: ExecutorInfo) => JSON.stringify({ ...e, framework_id: undefined, resources: undefined });
  return strip(a) === strip(b);
}

/** Structural checks of one task that do not depend on the offered amount. */
export function validateTask(task: TaskInfo, ctx: TaskValidationContext): string | undefined {
  const idError = validateId(task.task_id.value);
  if (idError) return `Task ID '${task.task_id.value}' is invalid: ${idError}`;
  if (ctx.isActiveTask(task.task_id.value)) return `Task has duplicate ID: ${task.task_id.value}`;
  if (task.agent_id.value !== ctx.agentId) {
    return `Task uses invalid agent: ${task.agent_id.value} (the offer is for ${ctx.agentId})`;
  }
  if (!!task.command === !!task.executor) {
    return 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present';
  }
  if (task.command && task.command.shell !== false && task.command.value === undefined && !task.container) {
    return "Task's CommandInfo is invalid: Expecting 'value' to be set for a shell command";
  }
  const resources = task.resources ?? [];
  const resourceError = Resources.validate(resources);
  if (resourceError) return `Task uses invalid resources: ${resourceError}`;
  if (resources.length === 0 && !task.executor?.resources?.length) return 'Task and its executor use no resources';
  const grace = task.kill_policy?.grace_period?.nanoseconds;
  if (grace !== undefined && grace < 0) return "Task's 'kill_policy.grace_period' must be non-negative";
  return validateHealthCheck(task) ?? validateContainer(task) ?? (task.executor ? validateExecutor(task.executor, ctx) : undefined);
}
