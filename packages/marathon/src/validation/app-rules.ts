// Marathon's semantic app validation (AppValidation, SchedulingValidation), on the normalised
// definition. Every broken rule is reported, one entry per path, in Marathon's wording.
import type { AppDefinition } from '@tepui/protocol';

export type Details = Array<{ path: string; errors: string[] }>;

const SEGMENT = /^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$/;
const RESERVED = ['restart', 'tasks', 'versions', '.', '..'];
const OPERATORS = ['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'MAX_PER', 'UNLIKE', 'IS'];
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MESOS_SIDE = new Set(['COMMAND', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP']);

export function idErrors(id: string): string[] {
  if (id === '/') return ['must not be root'];
  const errors: string[] = [];
  const segments = id.split('/').filter(Boolean);
  if (segments.some((s) => !SEGMENT.test(s))) errors.push(`must fully match regular expression '${SEGMENT.source.slice(1, -1)}'`);
  if (RESERVED.includes(segments[segments.length - 1] ?? '')) errors.push(`must not end with any of the following reserved keywords: ${RESERVED.join(', ')}`);
  return errors;
}

/** Marathon's regexes are Java's; full-match semantics, checked with the JS engine. */
export function regexError(value: string): string | undefined {
  try {
    new RegExp(`^(?:${value})$`);
    return undefined;
  } catch {
    return `'${value}' is not a valid regular expression`;
  }
}

export function constraintErrors(c: readonly string[]): string[] {
  if (c.length < 2 || c.length > 3) return ['Each constraint must have either 2 or 3 fields'];
  const [, op, value] = c;
  if (!OPERATORS.includes(op!)) return ['operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, UNLIKE or IS'];
  switch (op) {
    case 'UNIQUE':
      return value === undefined ? [] : ['UNIQUE does not accept a value'];
    case 'MAX_PER':
      return value !== undefined && /^\d+$/.test(value) ? [] : ['MAX_PER requires an integer value'];
    case 'GROUP_BY':
      return value === undefined || /^\d+$/.test(value) ? [] : ['GROUP BY must define an integer value or else no value at all'];
    case 'LIKE':
    case 'UNLIKE': {
      if (!value) return ['LIKE and UNLIKE require a non-empty, regular expression value'];
      const bad = regexError(value);
      return bad ? [bad] : [];
    }
    case 'IS':
      return value !== undefined && /^[A-Za-z0-9_.\-/:]+$/.test(value) ? [] : ['IS only supports Mesos text and float values (see http://mesos.apache.org/documentation/latest/attributes-resources/)'];
    default:
      return [];
  }
}

/** Adds `error` under `path`: one entry per distinct path, as Marathon reports them. */
export function addDetail(details: Details, path: string, error: string): void {
  const entry = details.find((d) => d.path === path);
  if (entry) entry.errors.push(error);
  else details.push({ path, errors: [error] });
}

export function appRuleErrors(app: AppDefinition, features: ReadonlySet<string>): Details {
  const details: Details = [];
  const add = (path: string, error: string): void => addDetail(details, path, error);
  for (const e of idErrors(app.id)) add(app.id === '/' ? '/id' : '/id', e);
  const hasContainer = app.container !== undefined && (app.container.type === 'MESOS' || app.container.docker !== undefined);
  const commands = (app.cmd !== undefined ? 1 : 0) + (app.args !== undefined ? 1 : 0);
  if (commands > 1 || (commands === 0 && !hasContainer)) add('/', "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
  if (app.container?.type === 'DOCKER' && !app.container.docker) add('/container/docker', 'must not be empty');
  if (app.container?.docker && app.container.docker.image.trim() === '') add('/container/docker/image', 'must not be empty');
  app.constraints.forEach((c, n) => constraintErrors(c).forEach((e) => add(`/constraints(${n})`, e)));

  const host = app.networks.every((n) => n.mode === 'host');
  app.networks.forEach((n, i) => {
    // Without --default_network_name, Marathon cannot choose a network for the container.
    if (n.mode === 'container' && !n.name) add(`/networks(${i})/name`, 'container networks must have a name (there is no --default_network_name)');
  });
  if (app.networks.filter((n) => n.mode === 'container').length > 1 && app.container?.type === 'DOCKER') add('/networks', 'Docker containers can only join one container network');
  if (app.networks.some((n) => n.mode === 'host') && app.networks.length > 1) add('/networks', 'host networking may not be combined with other networks');
  const ports = host ? app.portDefinitions : (app.container?.portMappings ?? []);
  const names = ports.map((p) => p.name).filter((n): n is string => n !== undefined);
  if (new Set(names).size !== names.length) add(host ? '/portDefinitions' : '/container/portMappings', 'Port names must be unique.');
  names.forEach((name) => {
    if (!PORT_NAME.test(name)) add(host ? '/portDefinitions' : '/container/portMappings', `Port name '${name}' must fully match regular expression '${PORT_NAME.source.slice(1, -1)}'`);
  });
  if (host) {
    const numbers = app.portDefinitions.map((p) => p.port).filter((p) => p !== 0);
    if (new Set(numbers).size !== numbers.length) add('/portDefinitions', 'Ports must be unique.');
  }

  const mesosChecks = app.healthChecks.filter((h) => MESOS_SIDE.has(h.protocol ?? 'HTTP'));
  if (mesosChecks.length > 1) add('/healthChecks', 'AppDefinition can contain at most one Mesos health check');
  app.healthChecks.forEach((h, n) => {
    const path = `/healthChecks(${n})`;
    if (h.protocol === 'COMMAND' && !h.command) add(path, 'command must not be empty for a COMMAND health check');
    if (h.protocol !== 'COMMAND' && h.portIndex !== undefined && h.portIndex >= ports.length) {
      add(path, 'Health check port indices must address an element of the ports array or container port mappings.');
    }
    if (h.protocol !== 'COMMAND' && h.portIndex === undefined && h.port === undefined) add(path, 'Health check must specify a port or a portIndex: the app has no ports');
  });
  if (app.readinessChecks.length > 1) add('/readinessChecks', 'Only one readiness check is supported at the moment');
  app.readinessChecks.forEach((r, n) => {
    if (!names.includes(r.portName)) add(`/readinessChecks(${n})/portName`, `Port name '${r.portName}' is not defined in the app's ports`);
    if ((r.timeoutSeconds ?? 10) >= (r.intervalSeconds ?? 30)) add(`/readinessChecks(${n})`, 'timeoutSeconds must be less than intervalSeconds');
  });
  const unreachable = app.unreachableStrategy;
  if (unreachable !== 'disabled' && unreachable.inactiveAfterSeconds > unreachable.expungeAfterSeconds) {
    add('/unreachableStrategy', 'inactiveAfterSeconds must be less or equal to expungeAfterSeconds');
  }
  if (app.labels.MARATHON_SINGLE_INSTANCE_APP === 'true' && app.instances > 1) add('/instances', 'Single instance app may only have one instance');
  if (app.gpus > 0 && !features.has('gpu_resources')) add('/gpus', 'Feature gpu_resources is not enabled. Enable with --enable_features gpu_resources)');
  for (const [name, value] of Object.entries(app.env ?? {})) {
    if (typeof value === 'object') {
      if (!features.has('secrets')) add(`/env/${name}`, 'Feature secrets is not enabled. Enable with --enable_features secrets)');
      else if (!(value.secret in (app.secrets ?? {}))) add(`/env/${name}`, `references an undefined secret named '${value.secret}'`);
    }
  }
  app.dependencies.forEach((d, n) => idErrors(d).forEach((e) => add(`/dependencies(${n})`, e)));
  if (app.dependencies.includes(app.id)) add('/dependencies', 'an app may not depend on itself');
  return details;
}
