// One Marathon app (and its tasks) → the Services the load balancer serves, following
// marathon-lb's selection (discovery.md B.2) where Tepui does not deliberately differ:
// - only TASK_RUNNING tasks receive traffic; TASK_KILLING ones stay as draining endpoints. LOST,
//   UNREACHABLE and STAGING are left out (marathon-lb keeps LOST and UNREACHABLE, hoping they come
//   back; until they do, every request sent to them fails);
// - with health checks, a running task needs results and all of them alive (marathon-lb: any one);
// - a selected port with no endpoints is still a Service, so its frontend stays bound and the
//   Runtime API can fill its slots later without a reload.
import type { AppDefinition, AppHealthCheck, MarathonTaskJson } from '@tepui/protocol';
import type { Endpoint, ExcludedApp, LbSettings, Service, ServiceHealthCheck, ServiceMode } from '../model/service';
import { appLabelErrors, groupsForPort, hasEnabledLabel, httpOnlyLabelErrors, parsePortLabels, type PortLabels } from './labels';
import { backendName } from './names';

export interface AppServices {
  readonly services: Service[];
  readonly excluded: ExcludedApp[];
}

/** Resolves an agent host name to the IPv4 address HAProxy should connect to (the caller caches). */
export type ResolveIp = (host: string) => string | undefined;

export function servicesForApp(
  app: AppDefinition, tasks: readonly MarathonTaskJson[], settings: LbSettings, resolveIp: ResolveIp,
): AppServices {
  const labels = app.labels ?? {};
  const ports = servicePortsOf(app);
  const selected = ports.filter((p) => isSelected(labels, p.index, settings));
  if (selected.length === 0) return { services: [], excluded: [] };
  const appErrors = APP_ID.test(app.id) ? appLabelErrors(labels, ports.length) : [`"${app.id}" is not a Marathon app id`];
  if (appErrors.length > 0) return { services: [], excluded: [{ appId: app.id, reason: appErrors.join('; ') }] };

  const services: Service[] = [];
  const excluded: ExcludedApp[] = [];
  const live = tasks.filter((t) => Boolean(t.host) && LIVE_STATES.has(t.state) && passesHealth(app, t));
  for (const { index, servicePort, udpOnly } of selected) {
    const parsed = parsePortLabels(labels, index);
    if (!parsed.ok) {
      excluded.push({ appId: app.id, portIndex: index, reason: parsed.errors.join('; ') });
      continue;
    }
    if (!parsed.value.enabled && settings.strictMode) continue;
    const built = udpOnly ? { problem: 'HAProxy balances TCP only; this port is UDP' } : buildService(app, index, servicePort, parsed.value, settings);
    if (built.problem !== undefined) {
      excluded.push({ appId: app.id, portIndex: index, reason: built.problem });
      continue;
    }
    const endpoints = live.flatMap((t) => endpointOf(app, t, index, resolveIp) ?? []).sort(byHostThenPort);
    services.push({ ...built.service, endpoints, ...(Number.isInteger(app.instances) ? { plannedEndpoints: app.instances } : {}) });
  }
  return { services, excluded };
}

interface ServicePort {
  readonly index: number;
  /** Marathon's service port; 0 when Marathon assigned none. */
  readonly servicePort: number;
  readonly udpOnly: boolean;
}

/** Container port mappings' service ports where the app has mappings, else its port definitions. */
function servicePortsOf(app: AppDefinition): ServicePort[] {
  const mappings = portMappingsOf(app);
  const source = mappings.length > 0 ? mappings.map((m) => ({ port: m.servicePort ?? 0, protocol: m.protocol })) : app.portDefinitions ?? [];
  return source.map((p, index) => ({ index, servicePort: p.port, udpOnly: p.protocol === 'udp' }));
}

function portMappingsOf(app: AppDefinition) {
  return app.container?.portMappings ?? app.container?.docker?.portMappings ?? [];
}

function isSelected(labels: Readonly<Record<string, string>>, index: number, settings: LbSettings): boolean {
  const groups = groupsForPort(labels, index);
  const inGroup = settings.groups.includes('*') || groups.some((g) => settings.groups.includes(g));
  return inGroup && (!settings.strictMode || hasEnabledLabel(labels, index));
}

type Built = { service: Omit<Service, 'endpoints'>; problem?: undefined } | { problem: string };

function buildService(app: AppDefinition, index: number, marathonPort: number, parsed: PortLabels, settings: LbSettings): Built {
  const servicePort = parsed.port ?? marathonPort;
  if (servicePort <= 0) return { problem: `port index ${index} has no service port (set HAPROXY_${index}_PORT)` };
  const check = healthCheckFor(app, index);
  // marathon-lb: a vhost or an HTTP health check makes the port http; an explicit MODE label wins.
  const mode: ServiceMode = parsed.mode ?? (parsed.vhosts.length > 0 || check?.protocol === 'HTTP' ? 'http' : 'tcp');
  const modeErrors = httpOnlyLabelErrors(parsed, mode, index);
  if (modeErrors.length > 0) return { problem: modeErrors.join('; ') };
  const healthCheck = check !== undefined ? serviceHealthCheck(check, mode) : undefined;
  if (healthCheck?.httpPath !== undefined && !HTTP_CHECK_PATH.test(healthCheck.httpPath)) {
    return { problem: `health check path "${healthCheck.httpPath}" is not a plain URL path` };
  }
  const weight = parsed.backendWeight ?? 0;
  return {
    service: {
      appId: app.id,
      portIndex: index,
      servicePort,
      backend: backendName(app.id, servicePort),
      mode,
      balance: parsed.balance ?? 'roundrobin',
      bindAddress: parsed.bindAddress ?? settings.bindAddress,
      bindOptions: parsed.bindOptions ?? '',
      vhosts: parsed.vhosts,
      ...(parsed.path !== undefined ? { path: parsed.path } : {}),
      // marathon-lb: a path rule outranks the same vhost's catch-all, so PATH lifts weight 0 to 1.
      backendWeight: parsed.path !== undefined && weight === 0 ? 1 : weight,
      sticky: parsed.sticky,
      redirectToHttps: parsed.redirectToHttps,
      useHsts: parsed.useHsts,
      ...(parsed.sslCert !== undefined ? { sslCert: parsed.sslCert } : {}),
      ...(parsed.proxyPassPath !== undefined ? { proxyPassPath: parsed.proxyPassPath } : {}),
      ...(healthCheck !== undefined ? { healthCheck } : {}),
    },
  };
}

// Both end up in haproxy.cfg: nothing HAProxy's parser would read as a separator, comment or quote.
const APP_ID = /^(\/[A-Za-z0-9][A-Za-z0-9._-]*)+$/;
const HTTP_CHECK_PATH = /^\/[A-Za-z0-9._~!&*+,;=:@%/?-]*$/;

const CHECKED_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TCP', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP']);

/**
 * The app's health check for port `index`: the one whose portIndex is `index` (Marathon's default
 * is 0), else one naming an explicit port, which marathon-lb applies to every port (checked there).
 */
function healthCheckFor(app: AppDefinition, index: number): AppHealthCheck | undefined {
  const checks = (app.healthChecks ?? []).filter((hc) => CHECKED_PROTOCOLS.has(hc.protocol ?? 'HTTP'));
  return checks.find((hc) => hc.port === undefined && (hc.portIndex ?? 0) === index) ?? checks.find((hc) => hc.port !== undefined);
}

function serviceHealthCheck(hc: AppHealthCheck, mode: ServiceMode): ServiceHealthCheck {
  // Only plain HTTP checks become `option httpchk`: HAProxy would send plain HTTP to an HTTPS
  // port, so HTTPS checks (and every check of a tcp port) become connect checks.
  const http = mode === 'http' && (hc.protocol === undefined || hc.protocol === 'HTTP' || hc.protocol === 'MESOS_HTTP');
  return {
    ...(http ? { httpPath: hc.path ?? '/' } : {}),
    intervalSeconds: wholeNumber(hc.intervalSeconds, 60, 1),
    timeoutSeconds: wholeNumber(hc.timeoutSeconds, 20, 1),
    fall: wholeNumber(hc.maxConsecutiveFailures, 3, 0) + 1,
    ...(hc.port !== undefined ? { port: hc.port } : {}),
  };
}

/** Marathon's default for an unset field; HAProxy wants whole numbers (`inter 0s` would be refused). */
function wholeNumber(value: number | undefined, fallback: number, min: number): number {
  return value !== undefined && Number.isFinite(value) ? Math.max(min, Math.round(value)) : fallback;
}

const LIVE_STATES = new Set(['TASK_RUNNING', 'TASK_KILLING']);

function passesHealth(app: AppDefinition, task: MarathonTaskJson): boolean {
  // A killing task drains whatever its health: its open sessions finish where they are.
  if (task.state === 'TASK_KILLING' || (app.healthChecks ?? []).length === 0) return true;
  const results = task.healthCheckResults ?? [];
  return results.length > 0 && results.every((r) => r.alive);
}

function endpointOf(app: AppDefinition, task: MarathonTaskJson, index: number, resolveIp: ResolveIp): Endpoint | undefined {
  const ipPerTask = isIpPerTask(app);
  const port = ipPerTask ? portMappingsOf(app)[index]?.containerPort : task.ports?.[index];
  if (port === undefined || port <= 0) return undefined;
  const ip = ipPerTask
    ? task.ipAddresses?.find((a) => IPV4.test(a.ipAddress))?.ipAddress
    : IPV4.test(task.host) ? task.host : resolveIp(task.host);
  if (ip === undefined || !IPV4.test(ip)) return undefined;
  return { taskId: task.id, host: task.host, ip, port, draining: task.state === 'TASK_KILLING' };
}

/** On a container network with no host ports, HAProxy reaches the task's own IP and container ports. */
function isIpPerTask(app: AppDefinition): boolean {
  const mappings = portMappingsOf(app);
  return (app.networks ?? []).some((n) => n.mode === 'container') && mappings.length > 0 && mappings.every((m) => m.hostPort === undefined);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function byHostThenPort(a: Endpoint, b: Endpoint): number {
  return compare(a.host, b.host) || a.port - b.port || compare(a.taskId, b.taskId);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
