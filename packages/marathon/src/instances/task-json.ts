// Marathon's task JSON (types/task.raml) and the text/plain listing old load balancers read.
import { isTerminalState, type MarathonHealthCheckResult, type MarathonTaskJson } from '@tepui/protocol';
import type { Instance } from './instance';
import { safePath } from './instance-ids';

export function taskJson(instance: Instance, servicePorts: readonly number[]): MarathonTaskJson {
  const json: MarathonTaskJson = {
    id: instance.taskId,
    appId: instance.appId,
    host: instance.host,
    slaveId: instance.agentId,
    // Marathon has asked Mesos to kill it: show TASK_KILLING at once, so load balancers (which drop
    // TASK_KILLING tasks) stop sending it requests before its process goes.
    state: instance.goal === 'Decommissioned' && !isTerminalState(instance.state) ? 'TASK_KILLING' : instance.state,
    servicePorts: [...servicePorts],
    ipAddresses: instance.ipAddresses,
    healthCheckResults: healthResultsOf(instance),
    localVolumes: [],
    role: instance.role,
  };
  // Terminal tasks drop stagedAt/startedAt/ports/version, as Marathon's conversion does.
  if (!isTerminalState(instance.state)) {
    json.stagedAt = instance.stagedAt;
    if (instance.startedAt) json.startedAt = instance.startedAt;
    json.version = instance.version;
    json.ports = instance.ports;
  }
  return json;
}

/**
 * Marathon-side checks keep their own results; a Mesos-side check (MESOS_HTTP, MESOS_TCP, COMMAND)
 * is known only by the `healthy` of the last status, which Marathon shows as one result so that
 * clients reading `alive` (load balancers, UIs) see it.
 */
function healthResultsOf(instance: Instance): MarathonHealthCheckResult[] {
  if (instance.healthCheckResults.length > 0 || instance.mesosHealthy === undefined) return instance.healthCheckResults;
  const alive = instance.mesosHealthy;
  return [{ alive, consecutiveFailures: alive ? 0 : 1, firstSuccess: null, lastSuccess: null, lastFailure: null, lastFailureCause: null, instanceId: instance.instanceId }];
}

/**
 * `GET /v2/tasks` with Accept: text/plain: one line per (app, service port), tab-separated with a
 * trailing tab: safe id, service port (a space if none), sorted host:port of running tasks.
 */
export function tasksPlainText(apps: ReadonlyArray<{ id: string; servicePorts: readonly number[]; instances: readonly Instance[] }>): string {
  const lines: string[] = [];
  for (const app of apps) {
    const running = app.instances.filter((i) => i.state === 'TASK_RUNNING');
    const indexes = app.servicePorts.length > 0 ? app.servicePorts.map((_, i) => i) : [undefined];
    for (const index of indexes) {
      const servicePort = index === undefined ? ' ' : String(app.servicePorts[index]);
      const targets = running
        .map((i) => (index === undefined ? i.host : i.ports[index] === undefined ? undefined : `${i.host}:${i.ports[index]}`))
        .filter((t): t is string => t !== undefined)
        .sort();
      lines.push(`${[safePath(app.id), servicePort, ...targets].join('\t')}\t`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
