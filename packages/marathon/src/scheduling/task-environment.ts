// The environment Marathon gives a task (mesos/EnvironmentHelper.scala, TaskBuilder): task context
// (MESOS_TASK_ID, MARATHON_APP_*), labels, ports (PORT0..n, PORT_<n>, PORT_<NAME>, PORT, PORTS), HOST,
// then the app's `env`, which overrides everything before it.
import type { AppDefinition } from '@tepui/protocol';
import { isHostNetworking, portMappingsOf } from './offer-matcher';

/** Marathon (and Linux tooling) cap an environment variable at 512 characters. */
const MAX_ENV_LENGTH = 512;
const LABEL_PREFIX = 'MARATHON_APP_LABEL_';

/** Java's Double.toString, because Marathon writes resources with it (`1` → `1.0`, `128` → `128.0`). */
export function javaDoubleString(n: number): string {
  const abs = Math.abs(n);
  if (n === 0 || (abs >= 1e-3 && abs < 1e7)) return Number.isInteger(n) ? `${n}.0` : String(n);
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** MESOS_TASK_ID, MARATHON_APP_ID/VERSION/DOCKER_IMAGE and MARATHON_APP_RESOURCE_* (EnvironmentHelper.taskContextEnv). */
export function taskContextEnv(app: AppDefinition, taskId: string): Array<[string, string]> {
  const env: Array<[string, string]> = [
    ['MESOS_TASK_ID', taskId],
    ['MARATHON_APP_ID', app.id],
  ];
  if (app.version !== undefined) env.push(['MARATHON_APP_VERSION', app.version]);
  const image = app.container?.docker?.image;
  if (image !== undefined) env.push(['MARATHON_APP_DOCKER_IMAGE', image]);
  env.push(
    ['MARATHON_APP_RESOURCE_CPUS', javaDoubleString(app.cpus)],
    ['MARATHON_APP_RESOURCE_MEM', javaDoubleString(app.mem)],
    ['MARATHON_APP_RESOURCE_DISK', javaDoubleString(app.disk)],
    // gpus is an Int in Marathon, so no ".0".
    ['MARATHON_APP_RESOURCE_GPUS', String(app.gpus)],
  );
  return env;
}

/**
 * MARATHON_APP_LABELS (space-separated escaped keys) and one MARATHON_APP_LABEL_<KEY> per label.
 * Keys are escaped (runs of characters outside [A-Za-z0-9_] → `_`, upper-cased); labels whose key
 * or value would make the variable too long are left out, as Marathon does.
 */
export function labelsEnv(labels: Readonly<Record<string, string>>): Array<[string, string]> {
  const valid = Object.entries(labels)
    .filter(([k, v]) => k.length < MAX_ENV_LENGTH - LABEL_PREFIX.length && v.length < MAX_ENV_LENGTH)
    .map(([k, v]): [string, string] => [k.replace(/[^a-zA-Z0-9_]+/g, '_').toUpperCase(), v]);
  return [['MARATHON_APP_LABELS', valid.map(([k]) => k).join(' ')], ...valid.map(([k, v]): [string, string] => [`${LABEL_PREFIX}${k}`, v])];
}

/**
 * PORT<i>, PORT_<n>, PORT_<NAME>, PORT and PORTS (EnvironmentHelper.portsEnv).
 * `requested`: declared ports (port definitions, or container ports of mappings); `effective`: the
 * host port per entry, undefined for a container-only mapping, which exports its container port
 * (or, for container port 0, a random container port ≥ 1025 that collides with nothing else).
 */
export function portsEnv(
  requested: readonly number[],
  effective: ReadonlyArray<number | undefined>,
  names: ReadonlyArray<string | undefined>,
  random: () => number,
): Array<[string, string]> {
  if (effective.length === 0) return [];
  const consumed = new Set<number>([...requested, ...effective.filter((p): p is number => p !== undefined)]);
  const generated = new Map<number, number>();
  const generate = (): number => {
    let p = 1025 + Math.min(64510, Math.max(0, Math.floor(random() * 64511)));
    // A few random draws, then the next free port upwards: never loops forever on a poor source.
    for (let tries = 0; consumed.has(p) && tries < 16; tries++) p = 1025 + Math.min(64510, Math.max(0, Math.floor(random() * 64511)));
    while (consumed.has(p)) p = p >= 65535 ? 1025 : p + 1;
    consumed.add(p);
    return p;
  };
  const env: Array<[string, string]> = [];
  effective.forEach((port, i) => {
    if (port !== undefined) env.push([`PORT${i}`, String(port)]);
    else if ((requested[i] ?? 0) !== 0) env.push([`PORT${i}`, String(requested[i])]);
    else {
      const p = generate();
      generated.set(i, p);
      env.push([`PORT${i}`, String(p)]);
    }
  });
  effective.forEach((port, i) => {
    const asked = requested[i] ?? 0;
    const value = port ?? (asked !== 0 ? asked : generated.get(i)!);
    env.push([`PORT_${asked !== 0 ? asked : value}`, String(value)]);
  });
  effective.forEach((port, i) => {
    const name = names[i];
    if (name !== undefined && port !== undefined) env.push([`PORT_${name.toUpperCase()}`, String(port)]);
  });
  const all = [...effective.filter((p): p is number => p !== undefined), ...generated.values()];
  if (all.length > 0) env.push(['PORT', String(all[0])]);
  env.push(['PORTS', all.join(',')]);
  return env;
}

export interface TaskEnvOptions {
  readonly taskId: string;
  readonly hostname: string;
  /** Host port per port definition / mapping, as the matcher planned them. */
  readonly hostPorts: ReadonlyArray<number | undefined>;
  /** Marathon's `--env_vars_prefix`, put before HOST and the PORT variables. */
  readonly envVarsPrefix?: string;
  readonly random?: () => number;
}

export type EnvVariable = { name: string; type: 'VALUE'; value: string } | { name: string; type: 'SECRET'; secret: { type: 'REFERENCE'; reference: { name: string } } };

/** The whole task environment in Marathon's precedence: context < labels < ports/HOST < app `env`. */
export function buildTaskEnvironment(app: AppDefinition, opts: TaskEnvOptions): EnvVariable[] {
  const hostMode = isHostNetworking(app);
  const mappings = portMappingsOf(app);
  const requested = hostMode ? app.portDefinitions.map((d) => d.port) : mappings.map((m) => m.containerPort);
  const names = hostMode ? app.portDefinitions.map((d) => d.name) : mappings.map((m) => m.name);
  const prefix = opts.envVarsPrefix ?? '';
  // Without an injected source, container-only port 0 gets the lowest free port ≥ 1025: still pure.
  const random = opts.random ?? ((): number => 0);
  const vars = new Map<string, EnvVariable>();
  const put = (name: string, value: string): void => {
    vars.delete(name);
    vars.set(name, { name, type: 'VALUE', value });
  };
  for (const [k, v] of taskContextEnv(app, opts.taskId)) put(k, v);
  for (const [k, v] of labelsEnv(app.labels)) put(k, v);
  for (const [k, v] of portsEnv(requested, opts.hostPorts, names, random)) put(`${prefix}${k}`, v);
  put(`${prefix}HOST`, opts.hostname);
  for (const [name, value] of Object.entries(app.env ?? {})) {
    if (typeof value === 'string') put(name, value);
    else {
      const source = app.secrets?.[value.secret]?.source ?? value.secret;
      vars.delete(name);
      vars.set(name, { name, type: 'SECRET', secret: { type: 'REFERENCE', reference: { name: source } } });
    }
  }
  return [...vars.values()];
}
