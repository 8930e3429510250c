// App fields Marathon acts on and Tepui cannot act on yet (issue 10). Each is refused with a 422
// naming the field, instead of being accepted, echoed back by GET and quietly ignored. Defaults that
// GET returns (`secrets: {}`, `role`, `gpus: 0`, `ipProtocol: "IPv4"`) stay accepted,
// so a GET → PUT round trip keeps working. docs/compatibility.md lists every refusal.
import { SUPPORTED_DOCKER_PARAMETERS, isSupportedDockerParameter, type AppDefinition } from '@tepui/protocol';
import { addDetail, type Details } from './app-rules';
import type { AppInput } from './normalize-app';

export interface SupportOptions {
  /** `--mesos_role`: the only role Tepui's Marathon subscribes with, so the only one it gets offers for. */
  readonly role: string;
  readonly features: ReadonlySet<string>;
}

/** `Tepui does not support <what> yet[: <why>]`, the refusal every unsupported field carries. */
export const notYet = (what: string, why?: string): string => `Tepui does not support ${what} yet${why ? `: ${why}` : ''}`;

const present = (value: unknown): boolean => value !== undefined && value !== null;
const nonEmptyObject = (value: unknown): boolean => typeof value !== 'object' || value === null ? present(value) : Object.keys(value).length > 0;

/** Fields normalisation drops, so only the body shows them. */
function bodyOnlyFields(input: AppInput): Details {
  const details: Details = [];
  const refuse = (path: string, what: string, why?: string): void => void details.push({ path, errors: [notYet(what, why)] });
  if (present(input.residency)) refuse('/residency', 'resident apps (residency)');
  if (nonEmptyObject(input.resourceLimits)) refuse('/resourceLimits', 'resource limits beyond the requested resources (resourceLimits)');
  if (present(input.executorResources)) refuse('/executorResources', 'executor resources (executorResources)');
  if (present(input.check)) refuse('/check', 'Mesos checks (check)', 'use healthChecks or readinessChecks');
  if (input.tty === true) refuse('/tty', 'TTYs for tasks (tty)');
  const ip = input.ipAddress as { discovery?: unknown; groups?: unknown[] } | null | undefined;
  if (present(ip?.discovery)) refuse('/ipAddress/discovery', 'discovery ports on ipAddress');
  if ((ip?.groups?.length ?? 0) > 0) refuse('/ipAddress/groups', 'network security groups (ipAddress.groups)');
  const container = input.container as (Record<string, unknown> & { docker?: Record<string, unknown> }) | undefined;
  if (present(container?.appc)) refuse('/container/appc', 'AppC images');
  if (present(container?.linuxInfo)) refuse('/container/linuxInfo', 'Linux container settings (linuxInfo: seccomp, IPC, shared memory)');
  if (present(container?.docker?.credential)) refuse('/container/docker/credential', 'registry credentials (docker.credential)');
  if (present(container?.docker?.pullConfig)) refuse('/container/docker/pullConfig', 'registry pull configuration from secrets (docker.pullConfig)');
  return details;
}

function volumeErrors(app: AppDefinition, add: (path: string, error: string) => void): void {
  const type = app.container?.type;
  (app.container?.volumes ?? []).forEach((v, n) => {
    const path = `/container/volumes(${n})`;
    const extra = v as typeof v & { secret?: unknown };
    if (present(v.persistent)) add(`${path}/persistent`, notYet('persistent volumes'));
    else if (present(v.external)) add(`${path}/external`, notYet('external volumes'));
    else if (present(extra.secret)) add(`${path}/secret`, notYet('secret volumes'));
    else if (v.hostPath === undefined) add(`${path}/hostPath`, notYet('volumes other than host volumes (hostPath and containerPath)'));
    else if (type !== 'DOCKER') add(`${path}/hostPath`, notYet('host volumes in MESOS containers', 'the command runs on the agent host, outside any container'));
  });
}

/** Per-app roles: Marathon 1.9+ takes the app's role (or the group's); Tepui subscribes with `--mesos_role` only. */
function roleErrors(app: AppDefinition, role: string, add: (path: string, error: string) => void): void {
  if (app.role !== undefined && app.role !== role) {
    add('/role', `got ${app.role}, expected one of: [${role}] (${notYet('roles other than --mesos_role', 'offers are matched under --mesos_role only')})`);
  }
  // ResourceRole.validForRole: only unreserved resources and the app's role's can be offered.
  const allowed = [...new Set(['*', app.role ?? role])].sort();
  const accepted = app.acceptedResourceRoles ?? [];
  if (accepted.length > 0 && (accepted.length > 2 || accepted.some((r) => !allowed.includes(r)))) {
    add('/acceptedResourceRoles', `acceptedResourceRoles can only contain ${allowed.join(' and ')}`);
  }
}

/** Mesos passes every key to `docker run`; Tepui's Docker executor acts on SUPPORTED_DOCKER_PARAMETERS only. */
function dockerParameterErrors(app: AppDefinition, add: (path: string, error: string) => void): void {
  if (app.container?.type !== 'DOCKER') return;
  (app.container.docker?.parameters ?? []).forEach((p, n) => {
    if (!isSupportedDockerParameter(p.key)) {
      add(`/container/docker/parameters(${n})/key`, notYet(`the docker parameter '${p.key}'`, `supported: ${SUPPORTED_DOCKER_PARAMETERS.join(', ')}`));
    }
  });
}

/**
 * Docker's predefined network that gives a container no address. Mesos' docker executor probes
 * MESOS_* checks from inside the container's network namespace; Tepui's probes the container's
 * address from the host, and here there is none. (The 1.4 form `docker.network: NONE` never gets
 * this far: Marathon 1.5+ refuses it while normalising, Tepui's schema before that.)
 */
const DOCKER_NONE_NETWORK = 'none';

/**
 * Marathon's own checker (HTTP, HTTPS, TCP) probes the agent's IPv4 address. The executors run the
 * MESOS_* checks over IPv6 at the loopback of the task's network: the host's for process tasks and
 * host-network containers; a container on its own network is reached at its IPv4 address only.
 * A container without an address cannot have MESOS_* checks (above).
 */
function healthCheckErrors(app: AppDefinition, add: (path: string, error: string) => void): void {
  const ownNetwork = app.networks.some((n) => n.mode !== 'host');
  const noAddress = app.container?.type === 'DOCKER' && app.networks.some((n) => n.mode === 'container' && n.name === DOCKER_NONE_NETWORK);
  app.healthChecks.forEach((h, n) => {
    const mesosSide = h.protocol === 'MESOS_HTTP' || h.protocol === 'MESOS_HTTPS' || h.protocol === 'MESOS_TCP';
    if (mesosSide && noAddress) {
      add(`/healthChecks(${n})/protocol`, notYet(`${h.protocol} health checks of containers on Docker's '${DOCKER_NONE_NETWORK}' network`, 'the container has no address to probe; use COMMAND'));
      return;
    }
    if (h.ipProtocol !== 'IPv6') return;
    if (!mesosSide && h.protocol !== 'COMMAND') add(`/healthChecks(${n})/ipProtocol`, notYet(`IPv6 ${h.protocol ?? 'HTTP'} health checks`, 'use MESOS_HTTP, MESOS_HTTPS or MESOS_TCP'));
    else if (mesosSide && ownNetwork) add(`/healthChecks(${n})/ipProtocol`, notYet('IPv6 health checks of containers on their own network'));
  });
}

/** Every field of the app (and of its body) that Tepui would accept and not act on, as 422 details. */
export function unsupportedFieldErrors(input: AppInput, app: AppDefinition, opts: SupportOptions): Details {
  const details = bodyOnlyFields(input);
  const add = (path: string, error: string): void => addDetail(details, path, error);
  const type = app.container?.type;
  if (type === 'MESOS' && app.container?.docker !== undefined) {
    add('/container/docker', notYet('images in MESOS containers', 'the command would run on the agent host; use a DOCKER container'));
  }
  if (app.networks.some((n) => n.mode !== 'host') && type !== 'DOCKER') {
    add('/networks', notYet('container networks without a DOCKER container', 'the command would run in the host network'));
  }
  if (app.executor !== '' && app.executor !== '//cmd' && app.container !== undefined) {
    add('/executor', notYet('custom executors in containers', 'the executor would run on the agent host'));
  }
  volumeErrors(app, add);
  if (Object.keys(app.secrets ?? {}).length > 0) add('/secrets', notYet('secrets', 'there is no secret store'));
  for (const [name, value] of Object.entries(app.env ?? {})) {
    if (typeof value === 'object' && opts.features.has('secrets')) add(`/env/${name}`, notYet('secret-valued environment variables', 'there is no secret store'));
  }
  if (app.gpus > 0 && opts.features.has('gpu_resources')) add('/gpus', notYet('GPU resources (gpus)'));
  dockerParameterErrors(app, add);
  roleErrors(app, opts.role, add);
  healthCheckErrors(app, add);
  return details;
}
