// Marathon's AppNormalization: deprecated input (ports, uris, docker.network, docker.portMappings,
// ipAddress) translated to the canonical fields, and every default filled, so that what GET
// returns is complete. Runs on structurally valid input (app-schema.ts).
import type { AppDefinition, AppHealthCheck, ContainerPortMapping, FetchUri, Network, PortDefinition, ReadinessCheck } from '@tepui/protocol';
import { ValidationFailed } from '../errors';
import { parentOf, resolvePath } from '../groups/group-tree';

/** The input after structural validation: every field optional, deprecated ones included. */
export type AppInput = Partial<Omit<AppDefinition, 'container'>> & {
  ports?: number[];
  uris?: string[];
  ipAddress?: { networkName?: string; labels?: Record<string, string> } | null;
  container?: AppDefinition['container'];
  [extra: string]: unknown;
};

export interface NormalizeOptions {
  readonly base: string;
  readonly idFromUrl?: string;
  readonly defaultRole: string;
}

const SINGLE_INSTANCE_LABEL = 'MARATHON_SINGLE_INSTANCE_APP';

export function normalizeApp(input: AppInput, opts: NormalizeOptions): AppDefinition {
  const conflicts: Array<{ path: string; errors: string[] }> = [];
  if (input.ports !== undefined && input.portDefinitions !== undefined) conflicts.push({ path: '/', errors: ['cannot specify both ports and port definitions'] });
  if (input.uris?.length && input.fetch?.length) conflicts.push({ path: '/', errors: ['cannot specify both uris and fetch fields'] });
  if (input.container?.docker?.network !== undefined && input.networks !== undefined) conflicts.push({ path: '/', errors: ['must not specify both container.docker.network and networks'] });
  if (input.ipAddress && input.networks !== undefined) conflicts.push({ path: '/', errors: ['must not specify both networks and ipAddress'] });
  if (input.container?.docker?.portMappings !== undefined && input.container.portMappings !== undefined) {
    conflicts.push({ path: '/container', errors: ['must not specify both container.docker.portMappings and container.portMappings'] });
  }
  const networks = networksOf(input);
  const host = networks.every((n) => n.mode === 'host');
  if (!host && (input.portDefinitions?.length ?? 0) > 0) conflicts.push({ path: '/portDefinitions', errors: ['portDefinitions are only allowed with host-networking'] });
  if (host && ((input.container?.portMappings?.length ?? 0) > 0 || (input.container?.docker?.portMappings?.length ?? 0) > 0)) {
    conflicts.push({ path: '/container/portMappings', errors: ['portMappings are not allowed with host-networking'] });
  }
  if (conflicts.length > 0) throw new ValidationFailed('Object is not valid', conflicts);

  const id = opts.idFromUrl ?? resolvePath(input.id ?? '', opts.base);
  const bridge = networks.some((n) => n.mode === 'container/bridge');
  const portDefinitions: PortDefinition[] =
    input.portDefinitions?.map((p) => ({ port: p.port ?? 0, protocol: p.protocol ?? 'tcp', ...(p.name !== undefined ? { name: p.name } : {}), ...(p.labels ? { labels: p.labels } : {}) })) ??
    input.ports?.map((port) => ({ port, protocol: 'tcp' as const })) ??
    (host ? [{ port: 0, protocol: 'tcp' as const, name: 'default' }] : []);
  const container = containerOf(input, bridge);
  const labels = input.labels ?? {};
  const single = labels[SINGLE_INSTANCE_LABEL] === 'true';
  const portCount = host ? portDefinitions.length : (container?.portMappings?.length ?? 0);
  const app: AppDefinition = {
    id,
    ...(input.cmd !== undefined ? { cmd: input.cmd } : {}),
    ...(input.args !== undefined && input.args.length > 0 ? { args: input.args } : {}),
    ...(input.user !== undefined ? { user: input.user } : {}),
    env: input.env ?? {},
    secrets: input.secrets ?? {},
    instances: input.instances ?? 1,
    cpus: input.cpus ?? 1,
    mem: input.mem ?? 128,
    disk: input.disk ?? 0,
    gpus: input.gpus ?? 0,
    executor: input.executor ?? '',
    constraints: dedupe(input.constraints ?? []),
    fetch: (input.fetch ?? (input.uris ?? []).map((uri): FetchUri => ({ uri, extract: /\.(tgz|tar\.gz|tbz2|tar\.bz2|txz|tar\.xz|zip)$/.test(uri) }))).map((f) => ({
      uri: f.uri, extract: f.extract ?? true, executable: f.executable ?? false, cache: f.cache ?? false, ...(f.destPath !== undefined ? { destPath: f.destPath } : {}),
    })),
    backoffSeconds: input.backoffSeconds ?? 1,
    backoffFactor: input.backoffFactor ?? 1.15,
    maxLaunchDelaySeconds: input.maxLaunchDelaySeconds ?? 300,
    ...(container ? { container } : {}),
    healthChecks: (input.healthChecks ?? []).map((h) => healthCheckDefaults(h, portCount)),
    readinessChecks: (input.readinessChecks ?? []).map(readinessDefaults),
    dependencies: (input.dependencies ?? []).map((d) => resolvePath(d, parentOf(id))),
    upgradeStrategy: single ? { minimumHealthCapacity: 0, maximumOverCapacity: 0 } : {
      minimumHealthCapacity: input.upgradeStrategy?.minimumHealthCapacity ?? 1,
      maximumOverCapacity: input.upgradeStrategy?.maximumOverCapacity ?? 1,
    },
    labels,
    ...(input.acceptedResourceRoles !== undefined ? { acceptedResourceRoles: input.acceptedResourceRoles } : {}),
    role: input.role ?? opts.defaultRole,
    networks,
    portDefinitions: host ? portDefinitions : [],
    requirePorts: host ? (input.requirePorts ?? false) : false,
    killSelection: input.killSelection ?? 'YOUNGEST_FIRST',
    unreachableStrategy: input.unreachableStrategy === 'disabled' ? 'disabled' : {
      inactiveAfterSeconds: input.unreachableStrategy?.inactiveAfterSeconds ?? 0,
      expungeAfterSeconds: input.unreachableStrategy?.expungeAfterSeconds ?? 0,
    },
    ...(input.taskKillGracePeriodSeconds !== undefined ? { taskKillGracePeriodSeconds: input.taskKillGracePeriodSeconds } : {}),
  };
  return app;
}

function networksOf(input: AppInput): Network[] {
  if (input.networks !== undefined) return input.networks.length > 0 ? input.networks.map((n) => ({ ...n, mode: n.mode ?? 'host' })) : [{ mode: 'host' }];
  const legacy = input.container?.docker?.network;
  if (legacy === 'BRIDGE') return [{ mode: 'container/bridge' }];
  if (legacy === 'USER' || input.ipAddress) return [{ mode: 'container', ...(input.ipAddress?.networkName ? { name: input.ipAddress.networkName } : {}) }];
  return [{ mode: 'host' }];
}

function containerOf(input: AppInput, bridge: boolean): AppDefinition['container'] | undefined {
  const c = input.container;
  if (!c) return undefined;
  const mappings = c.portMappings ?? c.docker?.portMappings;
  const portMappings = mappings?.map((m): ContainerPortMapping => ({
    containerPort: m.containerPort ?? 0,
    ...(m.hostPort !== undefined ? { hostPort: m.hostPort } : bridge ? { hostPort: 0 } : {}),
    servicePort: m.servicePort ?? 0,
    protocol: m.protocol ?? 'tcp',
    ...(m.name !== undefined ? { name: m.name } : {}),
    ...(m.labels ? { labels: m.labels } : {}),
    ...(m.networkNames ? { networkNames: m.networkNames } : {}),
  }));
  const type = c.type ?? 'DOCKER';
  const docker = c.docker
    ? { image: c.docker.image ?? '', forcePullImage: c.docker.forcePullImage ?? false, privileged: c.docker.privileged ?? false, parameters: c.docker.parameters ?? [] }
    : undefined;
  return {
    type,
    ...(docker ? { docker } : {}),
    volumes: (c.volumes ?? []).map((v) => ({ ...v, mode: v.mode ?? 'RW' })),
    ...(portMappings ? { portMappings } : {}),
  };
}

function healthCheckDefaults(h: AppHealthCheck, portCount: number): AppHealthCheck {
  const protocol = h.protocol ?? 'HTTP';
  const usesPort = protocol !== 'COMMAND';
  const out: AppHealthCheck = {
    protocol,
    ...(protocol === 'HTTP' || protocol === 'HTTPS' || protocol === 'MESOS_HTTP' || protocol === 'MESOS_HTTPS' ? { path: h.path ?? '/' } : {}),
    ...(h.port !== undefined ? { port: h.port } : {}),
    ...(h.portIndex !== undefined ? { portIndex: h.portIndex } : usesPort && h.port === undefined && portCount > 0 ? { portIndex: 0 } : {}),
    ...(h.command ? { command: h.command } : {}),
    gracePeriodSeconds: h.gracePeriodSeconds ?? 300,
    intervalSeconds: h.intervalSeconds ?? 60,
    timeoutSeconds: h.timeoutSeconds ?? 20,
    maxConsecutiveFailures: h.maxConsecutiveFailures ?? 3,
    delaySeconds: h.delaySeconds ?? 15,
    ...(protocol === 'HTTP' || protocol === 'HTTPS' ? { ignoreHttp1xx: h.ignoreHttp1xx ?? false } : {}),
    ipProtocol: h.ipProtocol ?? 'IPv4',
  };
  return out;
}

function readinessDefaults(r: ReadinessCheck): ReadinessCheck {
  return {
    name: r.name ?? 'readinessCheck', protocol: r.protocol ?? 'HTTP', path: r.path ?? '/', portName: r.portName,
    intervalSeconds: r.intervalSeconds ?? 30, timeoutSeconds: r.timeoutSeconds ?? 10,
    httpStatusCodesForReady: r.httpStatusCodesForReady ?? [200], preserveLastResponse: r.preserveLastResponse ?? false,
  };
}

/** Marathon stores constraints as a set: duplicates collapse. */
function dedupe(constraints: ReadonlyArray<readonly string[]>): AppDefinition['constraints'] {
  const seen = new Set<string>();
  const out: AppDefinition['constraints'] = [];
  for (const c of constraints) {
    const key = JSON.stringify(c);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([...c] as AppDefinition['constraints'][number]);
  }
  return out;
}
