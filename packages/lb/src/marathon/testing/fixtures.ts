// Marathon JSON for tests: apps with tasks as `/v2/apps?embed=apps.tasks` shows them, and the
// events /v2/events sends about them.
import type { AppDefinition, MarathonAppWithTasks, MarathonEvent, MarathonTaskJson } from '@tepui/protocol';

const VERSION = '2024-05-01T10:00:00.000Z';

export function appJson(id: string, tasks: MarathonTaskJson[] = [], extra: Partial<AppDefinition> = {}): MarathonAppWithTasks {
  return {
    id, cmd: 'serve', instances: tasks.length, cpus: 0.1, mem: 32, disk: 0, gpus: 0, executor: '', constraints: [], fetch: [],
    backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300, healthChecks: [], readinessChecks: [], dependencies: [],
    upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 }, labels: { HAPROXY_GROUP: 'external' }, networks: [{ mode: 'host' }],
    portDefinitions: [{ port: 10000, protocol: 'tcp' }], requirePorts: false, killSelection: 'YOUNGEST_FIRST',
    unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 }, version: VERSION, ...extra, tasks,
  };
}

/** The instance id of task `n` of an app: `shop_web.instance-000…n`. */
export function instanceIdOf(appId: string, n: number): string {
  return `${appId.replace(/^\/+/, '').replace(/\//g, '_')}.instance-${String(n).padStart(8, '0')}-0000-0000-0000-000000000000`;
}

export function taskJson(appId: string, n: number, extra: Partial<MarathonTaskJson> = {}): MarathonTaskJson {
  return {
    id: `${instanceIdOf(appId, n)}._app.1`, appId, host: `agent-${n}.example.org`, slaveId: `S${n}`, state: 'TASK_RUNNING',
    stagedAt: VERSION, startedAt: VERSION, version: VERSION, ports: [31000 + n], servicePorts: [10000],
    ipAddresses: [{ ipAddress: `10.0.0.${n}`, protocol: 'IPv4' }], healthCheckResults: [], localVolumes: [], role: '*', ...extra,
  };
}

export function statusUpdate(task: MarathonTaskJson, taskStatus: string): Extract<MarathonEvent, { eventType: 'status_update_event' }> {
  return {
    eventType: 'status_update_event', timestamp: '2024-05-01T10:00:05.000Z', slaveId: task.slaveId, taskId: task.id, taskStatus,
    message: '', appId: task.appId, host: task.host, ipAddresses: task.ipAddresses.map((a) => ({ ipAddress: a.ipAddress, protocol: a.protocol === 'IPv6' ? 'IPv6' : 'IPv4' })),
    ports: task.ports ?? [], version: task.version ?? VERSION,
  };
}

export function healthChanged(appId: string, instanceId: string, alive: boolean): Extract<MarathonEvent, { eventType: 'health_status_changed_event' }> {
  return { eventType: 'health_status_changed_event', timestamp: '2024-05-01T10:00:06.000Z', appId, instanceId, version: VERSION, alive };
}
