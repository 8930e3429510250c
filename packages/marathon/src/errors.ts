// Every error Marathon's API answers with, in one table (api/MarathonExceptionMapper.scala):
// a status and the `{message, details?}` body Marathon sends for it.
import type { MarathonErrorBody } from '@tepui/protocol';

export abstract class MarathonError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  body(): MarathonErrorBody {
    return { message: this.message };
  }
}

export class InvalidJson extends MarathonError {
  readonly code = 'INVALID_JSON';
  readonly status = 400;
  constructor(readonly parserMessage: string) {
    super('Invalid JSON');
  }
  override body(): MarathonErrorBody {
    return { message: this.message, details: this.parserMessage };
  }
}

export class EmptyBody extends MarathonError {
  readonly code = 'EMPTY_BODY';
  readonly status = 400;
  constructor() {
    super('Please specify data in JSON format');
  }
  override body(): MarathonErrorBody {
    return { message: this.message, details: 'No content to map due to end-of-input' };
  }
}

export class ValidationFailed extends MarathonError {
  readonly code = 'VALIDATION_FAILED';
  readonly status = 422;
  constructor(message: 'Object is not valid' | 'Invalid JSON', readonly details: Array<{ path: string; errors: string[] }>) {
    super(message);
  }
  override body(): MarathonErrorBody {
    return { message: this.message, details: this.details };
  }
}

export class UnknownApp extends MarathonError {
  readonly code = 'APP_NOT_FOUND';
  readonly status = 404;
  constructor(readonly appId: string, readonly version?: string) {
    super(version ? `App '${appId}' does not exist in version ${version}` : `App '${appId}' does not exist`);
  }
}

export class UnknownDeployment extends MarathonError {
  readonly code = 'DEPLOYMENT_NOT_FOUND';
  readonly status = 404;
  constructor(readonly deploymentId: string) {
    super(`DeploymentPlan ${deploymentId} does not exist`);
  }
}

export class UnknownRoute extends MarathonError {
  readonly code = 'URI_NOT_FOUND';
  readonly status = 404;
  constructor(readonly path: string) {
    super(`URI not found: ${path}`);
  }
}

export class AppExists extends MarathonError {
  readonly code = 'APP_EXISTS';
  readonly status = 409;
  constructor(readonly appId: string) {
    super(`An app with id [${appId}] already exists.`);
  }
}

export class AppLocked extends MarathonError {
  readonly code = 'APP_LOCKED';
  readonly status = 409;
  constructor(readonly deploymentIds: readonly string[]) {
    super(`App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/${deploymentIds[0] ?? ''}'.`);
  }
  override body(): MarathonErrorBody {
    return { message: this.message, deployments: this.deploymentIds.map((id) => ({ id })) };
  }
}

export class UnknownTask extends MarathonError {
  readonly code = 'TASK_NOT_FOUND';
  readonly status = 404;
  constructor(readonly taskId: string) {
    super(`Task '${taskId}' does not exist`);
  }
}

export class UnknownGroup extends MarathonError {
  readonly code = 'GROUP_NOT_FOUND';
  readonly status = 404;
  constructor(readonly groupId: string, readonly version?: string) {
    super(version ? `Group '${groupId}' does not exist in version ${version}` : `Group '${groupId}' does not exist`);
  }
}

export class UnknownPod extends MarathonError {
  readonly code = 'POD_NOT_FOUND';
  readonly status = 404;
  constructor(readonly podId: string) {
    super(`Pod '${podId}' does not exist`);
  }
}

/** Marathon maps IllegalArgumentException (e.g. an unparsable label selector) to 422 with its message. */
export class IllegalArgument extends MarathonError {
  readonly code = 'ILLEGAL_ARGUMENT';
  readonly status = 422;
}

export class GroupExists extends MarathonError {
  readonly code = 'GROUP_EXISTS';
  readonly status = 409;
  constructor(readonly groupId: string) {
    super(`Group ${groupId} is already created. Use PUT to change this group.`);
  }
}

export class NotInQueue extends MarathonError {
  readonly code = 'NOT_IN_QUEUE';
  readonly status = 404;
  constructor(readonly appId: string) {
    super(`Application ${appId} not found in tasks queue.`);
  }
}

export class BadRequest extends MarathonError {
  readonly code = 'BAD_REQUEST';
  readonly status = 400;
}

export class TooManyDeployments extends MarathonError {
  readonly code = 'TOO_MANY_DEPLOYMENTS';
  readonly status = 403;
  constructor(readonly max: number) {
    super(`Max number (${max}) of running deployments is achieved. Wait for existing deployments to complete or cancel them.`);
  }
}

export class NoLeader extends MarathonError {
  readonly code = 'NO_LEADER';
  readonly status = 404;
  constructor() {
    super('There is no leader');
  }
}

/** Tepui's own: /ui/ is asked for but the UI package's bundle was never built. */
export class UiNotBuilt extends MarathonError {
  readonly code = 'UI_NOT_BUILT';
  readonly status = 404;
  constructor() {
    super('The web UI is not built; run `npm run build` (it bundles packages/ui)');
  }
}

/** Tepui's own: the UI's proxy of the Mesos master is read-only; only GET (and HEAD) pass. */
export class MethodNotAllowed extends MarathonError {
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly status = 405;
  constructor(readonly method: string, readonly path: string) {
    super(`${method} ${path} is not allowed: the Mesos master is read-only through Marathon`);
  }
}

/** Tepui's own: no leading Mesos master is known, or it did not answer the UI's proxy. */
export class MasterUnavailable extends MarathonError {
  readonly code = 'MASTER_UNAVAILABLE';
  readonly status = 503;
  constructor(readonly reason: string) {
    super(`The leading Mesos master is not available: ${reason}`);
  }
}

/** Tepui's own: the master or an agent answered the proxy with an error status. */
export class UpstreamRefused extends MarathonError {
  readonly code = 'UPSTREAM_REFUSED';
  readonly status = 502;
  constructor(readonly upstream: string, readonly upstreamStatus: number, readonly upstreamMessage: string) {
    super(`${upstream} answered ${upstreamStatus}${upstreamMessage ? `: ${upstreamMessage}` : ''}`);
  }
}

/** Tepui's own: a task's sandbox cannot be found (agent gone, sandbox collected, task not launched yet). */
export class SandboxNotFound extends MarathonError {
  readonly code = 'SANDBOX_NOT_FOUND';
  readonly status = 404;
  constructor(readonly taskId: string, readonly reason: string) {
    super(`The sandbox of task '${taskId}' cannot be read: ${reason}`);
  }
}

/** Tepui's own: an agent holding a task's sandbox did not answer. */
export class AgentUnreachable extends MarathonError {
  readonly code = 'AGENT_UNREACHABLE';
  readonly status = 502;
  constructor(readonly agent: string, readonly reason: string) {
    super(`The agent at ${agent} did not answer: ${reason}`);
  }
}

export const MARATHON_ERROR_CODES = ['INVALID_JSON', 'EMPTY_BODY', 'VALIDATION_FAILED', 'APP_NOT_FOUND', 'DEPLOYMENT_NOT_FOUND', 'URI_NOT_FOUND', 'APP_EXISTS', 'APP_LOCKED', 'NO_LEADER', 'TASK_NOT_FOUND', 'GROUP_NOT_FOUND', 'POD_NOT_FOUND', 'ILLEGAL_ARGUMENT', 'GROUP_EXISTS', 'NOT_IN_QUEUE', 'BAD_REQUEST', 'TOO_MANY_DEPLOYMENTS', 'UI_NOT_BUILT',
  'METHOD_NOT_ALLOWED', 'MASTER_UNAVAILABLE', 'UPSTREAM_REFUSED', 'SANDBOX_NOT_FOUND', 'AGENT_UNREACHABLE'] as const;
