// Builds the Mesos TaskInfo for one planned instance the way Marathon's TaskBuilder does (reference
// §10): name = app id reversed with dots, command (cmd → shell, args → argv), Marathon's environment,
// labels, DiscoveryInfo with named ports, the one Mesos-side health check, kill policy, container.
import type {
  AppDefinition,
  AppHealthCheck,
  CommandInfo,
  ContainerInfo,
  ContainerPortMapping,
  DiscoveryInfo,
  ExecutorInfo,
  HealthCheck,
  Labels,
  NetworkInfo,
  PortMapping,
  Resource,
  TaskInfo,
} from '@tepui/protocol';
import { isMarathonSideCheck } from '../health/health-state';
import { newInstanceId, taskIdFor } from '../instances/instance-ids';
import { isHostNetworking, portMappingsOf, type PlannedInstance } from './offer-matcher';
import { buildTaskEnvironment } from './task-environment';

export interface TaskBuildOptions {
  readonly taskId: string;
  readonly agentId: string;
  readonly hostname: string;
  /** Allocation role for resources that carry none (MULTI_ROLE frameworks must set one). */
  readonly frameworkRole?: string;
  /** Marathon's `--env_vars_prefix` for HOST and PORT* variables. */
  readonly envVarsPrefix?: string;
  /** Source for container ports Marathon picks at random (container-only mappings with port 0). */
  readonly random?: () => number;
}

/** Mesos task id of a new instance's first launch: `shop_web.instance-<uuid>._app.1` (Marathon 1.7+, §9). */
export function newLaunchTaskId(appId: string, uuid: string, attempt = 1): string {
  return taskIdFor(newInstanceId(appId, uuid), attempt);
}

/** `/shop/web` → `web.shop`: Marathon's PathId.toHostname, used as task and discovery name. */
export function taskNameOf(appId: string): string {
  return appId.split('/').filter(Boolean).reverse().join('.');
}

const isCommandExecutor = (executor: string): boolean => executor === '' || executor === '//cmd';

export function buildTaskInfo(app: AppDefinition, instance: Pick<PlannedInstance, 'resources' | 'hostPorts'> & { allocationRole?: string }, opts: TaskBuildOptions): TaskInfo {
  const role = instance.allocationRole ?? opts.frameworkRole;
  const resources: Resource[] = instance.resources.map((r) =>
    r.allocation_info !== undefined || role === undefined ? r : { ...r, allocation_info: { role } });
  const task: TaskInfo = {
    name: taskNameOf(app.id),
    task_id: { value: opts.taskId },
    agent_id: { value: opts.agentId },
    resources,
  };
  const command = commandInfoOf(app, instance.hostPorts, opts);
  const container = containerInfoOf(app, instance.hostPorts);
  if (isCommandExecutor(app.executor)) {
    task.command = command;
    if (container) task.container = container;
  } else {
    task.executor = customExecutorOf(app, command, container, opts.taskId);
    task.data = Buffer.from(JSON.stringify(app)).toString('base64');
  }
  const labels = labelsOf(app.labels);
  if (labels) task.labels = labels;
  task.discovery = discoveryInfoOf(app, instance.hostPorts);
  const check = mesosHealthCheckOf(app, instance.hostPorts);
  if (check) task.health_check = check;
  if (app.taskKillGracePeriodSeconds !== undefined) {
    task.kill_policy = { grace_period: { nanoseconds: app.taskKillGracePeriodSeconds * 1e9 } };
  }
  return task;
}

function commandInfoOf(app: AppDefinition, hostPorts: ReadonlyArray<number | undefined>, opts: TaskBuildOptions): CommandInfo {
  const command: CommandInfo = {
    environment: {
      variables: buildTaskEnvironment(app, {
        taskId: opts.taskId, hostname: opts.hostname, hostPorts,
        ...(opts.envVarsPrefix !== undefined ? { envVarsPrefix: opts.envVarsPrefix } : {}),
        ...(opts.random !== undefined ? { random: opts.random } : {}),
      }),
    },
  };
  if (app.cmd !== undefined && app.cmd !== '') {
    command.shell = true;
    command.value = app.cmd;
  } else if (app.args !== undefined && app.args.length > 0) {
    command.shell = false;
    command.arguments = [...app.args];
    // The command executor execs `value` with `arguments` as argv; Docker uses the image entrypoint.
    if (app.container === undefined) command.value = app.args[0]!;
  } else {
    // Neither: the container image's own entrypoint/cmd runs.
    command.shell = false;
  }
  if (app.fetch.length > 0) {
    command.uris = app.fetch.map((f) => ({
      value: f.uri, extract: f.extract ?? true, executable: f.executable ?? false, cache: f.cache ?? false,
      ...(f.destPath !== undefined ? { output_file: f.destPath } : {}),
    }));
  }
  if (app.user !== undefined) command.user = app.user;
  return command;
}

/** A path executor: `chmod ug+rx '<path>' && exec '<path>' <cmd>`, with the app JSON as task data. */
function customExecutorOf(app: AppDefinition, command: CommandInfo, container: ContainerInfo | undefined, taskId: string): ExecutorInfo {
  const path = `'${app.executor.replace(/'/g, `'\\''`)}'`;
  const cmd = app.cmd ?? (app.args ?? []).join(' ');
  const { arguments: _ignored, ...rest } = command;
  const info: ExecutorInfo = {
    executor_id: { value: `marathon-${taskId}` },
    command: { ...rest, shell: true, value: `chmod ug+rx ${path} && exec ${path} ${cmd}` },
  };
  if (container) info.container = container;
  return info;
}

function labelsOf(labels: Readonly<Record<string, string>>, extra: ReadonlyArray<[string, string]> = []): Labels | undefined {
  const list = [...Object.entries(labels), ...extra];
  return list.length === 0 ? undefined : { labels: list.map(([key, value]) => ({ key, value })) };
}

/** `udp,tcp` → one entry per protocol, as Marathon writes port mappings and discovery ports. */
function protocolsOf(protocol: string | undefined): string[] {
  return (protocol ?? 'tcp').split(',').map((p) => p.trim()).filter(Boolean);
}

function portMappingsWire(mappings: readonly ContainerPortMapping[], hostPorts: ReadonlyArray<number | undefined>): PortMapping[] {
  return mappings.flatMap((m, i) => {
    const host = hostPorts[i];
    if (host === undefined) return [];
    // containerPort 0 = the same number as the host port Marathon assigned.
    const containerPort = m.containerPort === 0 ? host : m.containerPort;
    return protocolsOf(m.protocol).map((protocol) => ({ host_port: host, container_port: containerPort, protocol }));
  });
}

function containerInfoOf(app: AppDefinition, hostPorts: ReadonlyArray<number | undefined>): ContainerInfo | undefined {
  const c = app.container;
  if (c === undefined) return undefined;
  const bridge = app.networks.some((n) => n.mode === 'container/bridge');
  const userNetworks = app.networks.filter((n) => n.mode === 'container');
  const mappings = isHostNetworking(app) ? [] : portMappingsWire(portMappingsOf(app), hostPorts);
  const volumes = (c.volumes ?? []).flatMap((v) =>
    v.hostPath === undefined ? [] : [{ container_path: v.containerPath, host_path: v.hostPath, mode: v.mode ?? 'RW' }]);
  const info: ContainerInfo = { type: c.type ?? 'DOCKER' };
  if (volumes.length > 0) info.volumes = volumes;
  const networkInfos = (withMappings: boolean): NetworkInfo[] => userNetworks.map((n) => ({
    ...(n.name !== undefined ? { name: n.name } : {}),
    ...(n.labels !== undefined && Object.keys(n.labels).length > 0 ? { labels: labelsOf(n.labels)! } : {}),
    ...(withMappings && mappings.length > 0 ? { port_mappings: mappings } : {}),
  }));
  if (info.type === 'DOCKER') {
    const d = c.docker;
    info.docker = {
      image: d?.image ?? '',
      network: bridge ? 'BRIDGE' : userNetworks.length > 0 ? 'USER' : 'HOST',
      privileged: d?.privileged ?? false,
      force_pull_image: d?.forcePullImage ?? false,
      ...(d?.parameters && d.parameters.length > 0 ? { parameters: d.parameters.map((p) => ({ key: p.key, value: p.value })) } : {}),
      ...(mappings.length > 0 ? { port_mappings: mappings } : {}),
    };
    if (userNetworks.length > 0) info.network_infos = networkInfos(false);
    return info;
  }
  // MESOS (UCR): a Docker image is pulled by the Mesos containerizer; CNI networks carry the mappings.
  info.mesos = c.docker?.image !== undefined
    ? { image: { type: 'DOCKER', docker: { name: c.docker.image }, cached: !(c.docker.forcePullImage ?? false) } }
    : {};
  if (bridge) info.network_infos = [{ name: 'mesos-bridge', ...(mappings.length > 0 ? { port_mappings: mappings } : {}) }];
  else if (userNetworks.length > 0) info.network_infos = networkInfos(true);
  return info;
}

/** DiscoveryInfo (read by Mesos-DNS): FRAMEWORK visibility, name = task name, one port per protocol. */
function discoveryInfoOf(app: AppDefinition, hostPorts: ReadonlyArray<number | undefined>): DiscoveryInfo {
  type Port = NonNullable<DiscoveryInfo['ports']>['ports'][number];
  const ports: Port[] = [];
  const add = (number: number, protocol: string | undefined, name: string | undefined, labels: Labels | undefined): void => {
    for (const p of protocolsOf(protocol)) ports.push({ number, protocol: p, ...(name !== undefined ? { name } : {}), ...(labels ? { labels } : {}) });
  };
  if (isHostNetworking(app)) {
    app.portDefinitions.forEach((d, i) => {
      const host = hostPorts[i];
      if (host !== undefined) add(host, d.protocol, d.name, labelsOf(d.labels ?? {}));
    });
  } else {
    const network = app.networks.find((n) => n.mode === 'container')?.name;
    portMappingsOf(app).forEach((m, i) => {
      const host = hostPorts[i];
      if (host !== undefined) add(host, m.protocol, m.name, labelsOf(m.labels ?? {}, [['network-scope', 'host']]));
      else add(m.containerPort, m.protocol, m.name, labelsOf(m.labels ?? {}, [['network-scope', 'container'], ...(network ? [['network-name', network] as [string, string]] : [])]));
    });
  }
  return { visibility: 'FRAMEWORK', name: taskNameOf(app.id), ports: { ports } };
}

/**
 * The first executor-side check (COMMAND, MESOS_HTTP(S), MESOS_TCP); Mesos runs at most one.
 * Port: a literal `port`, else the entry at `portIndex` (default 0); Mesos probes from inside the
 * container's network, so a mapping's container port is preferred over its host port.
 */
function mesosHealthCheckOf(app: AppDefinition, hostPorts: ReadonlyArray<number | undefined>): HealthCheck | undefined {
  const hc = app.healthChecks.find((h) => !isMarathonSideCheck(h));
  if (hc === undefined) return undefined;
  const base: HealthCheck = {
    delay_seconds: hc.delaySeconds ?? 15,
    interval_seconds: hc.intervalSeconds ?? 60,
    timeout_seconds: hc.timeoutSeconds ?? 20,
    consecutive_failures: hc.maxConsecutiveFailures ?? 3,
    grace_period_seconds: hc.gracePeriodSeconds ?? 300,
  };
  if (hc.protocol === 'COMMAND') return { type: 'COMMAND', command: { shell: true, value: hc.command?.value ?? '' }, ...base };
  const port = healthCheckPort(app, hc, hostPorts);
  if (port === undefined) return undefined;
  if (hc.protocol === 'MESOS_TCP') return { type: 'TCP', tcp: { port, protocol: hc.ipProtocol ?? 'IPv4' }, ...base };
  return {
    type: 'HTTP',
    http: { scheme: hc.protocol === 'MESOS_HTTPS' ? 'https' : 'http', port, path: hc.path ?? '/', protocol: hc.ipProtocol ?? 'IPv4' },
    ...base,
  };
}

function healthCheckPort(app: AppDefinition, hc: AppHealthCheck, hostPorts: ReadonlyArray<number | undefined>): number | undefined {
  if (hc.port !== undefined) return hc.port;
  const index = hc.portIndex ?? 0;
  if (isHostNetworking(app)) return hostPorts[index];
  const mapping = portMappingsOf(app)[index];
  if (mapping !== undefined && mapping.containerPort !== 0) return mapping.containerPort;
  return hostPorts[index];
}
