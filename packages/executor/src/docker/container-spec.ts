// A Mesos TaskInfo with a DOCKER ContainerInfo as the Docker Engine's container-create request
// (what Mesos' docker containerizer passes to `docker run`): image, command, environment,
// networking and port mappings, limits from the task's resources, volumes (relative paths in the
// sandbox, as Mesos resolves them), the supported `parameters`, and labels that tie the container
// to its agent, framework and task. Pure.
import { posix } from 'node:path';
import type { ContainerCreateOptions } from 'dockerode';
import { Resources, SUPPORTED_DOCKER_PARAMETERS, isSupportedDockerParameter, type DockerParameterKey, type TaskInfo, type Volume } from '@tepui/protocol';

/** Labels on every container Tepui starts; recovery finds containers by them. */
export const LABEL_AGENT = 'tepui.agent_id';
export const LABEL_FRAMEWORK = 'tepui.framework_id';
export const LABEL_TASK = 'tepui.task_id';
export const LABEL_EXECUTOR = 'tepui.executor_id';

/** Docker's CPU shares per CPU, as Mesos uses it. */
const CPU_SHARES_PER_CPU = 1024;
const CFS_PERIOD_US = 100_000;

/** Where the task's sandbox is mounted in its container (Mesos' `mappedDirectory`). */
const SANDBOX_IN_CONTAINER = '/mnt/mesos/sandbox';

export class ContainerSpecError extends Error {}

export interface ContainerContext {
  readonly agentId: string;
  readonly frameworkId: string;
  readonly executorId: string;
  readonly sandbox: string;
  /** Environment the agent gives every task (MESOS_*), before the task's own. */
  readonly env: Readonly<Record<string, string>>;
}

/** The create-request field each supported `docker run` flag fills (the keys: SUPPORTED_DOCKER_PARAMETERS). */
const PARAMETERS: Record<DockerParameterKey, (value: string, spec: Mutable) => void> = {
  env: (v, s) => s.Env.push(v),
  label: (v, s) => {
    const cut = v.indexOf('=');
    s.Labels[cut < 0 ? v : v.slice(0, cut)] = cut < 0 ? '' : v.slice(cut + 1);
  },
  volume: (v, s) => s.HostConfig.Binds.push(v),
  user: (v, s) => (s.User = v),
  workdir: (v, s) => (s.WorkingDir = v),
  'add-host': (v, s) => s.HostConfig.ExtraHosts.push(v),
  hostname: (v, s) => (s.Hostname = v),
  'cap-add': (v, s) => s.HostConfig.CapAdd.push(v),
  'cap-drop': (v, s) => s.HostConfig.CapDrop.push(v),
  entrypoint: (v, s) => (s.Entrypoint = [v]),
};

interface Mutable {
  Env: string[];
  Labels: Record<string, string>;
  User?: string;
  WorkingDir?: string;
  Hostname?: string;
  Entrypoint?: string[];
  HostConfig: { Binds: string[]; ExtraHosts: string[]; CapAdd: string[]; CapDrop: string[] };
}

/**
 * A volume as a bind, by the rules of Mesos' docker containerizer (src/docker/docker.cpp): a
 * relative container path is inside the mounted sandbox; a relative host path is in the task's
 * sandbox on the host (without it, Docker would take the name for a named volume); both relative
 * is an error, the volume being in the sandbox already.
 */
function volumeBind(volume: Volume, sandbox: string): string {
  const { host_path: host, container_path: target } = volume;
  if (host === undefined || host === '') {
    if (volume.source !== undefined) throw new ContainerSpecError(`volume sources are not supported by Tepui's Docker executor yet (container_path '${target}')`);
    throw new ContainerSpecError('Host path or volume source is required');
  }
  if (!posix.isAbsolute(host) && !posix.isAbsolute(target)) {
    throw new ContainerSpecError(`Both host_path '${host}' and container_path '${target}' of a volume are relative`);
  }
  const source = posix.isAbsolute(host) ? host : posix.join(sandbox, host);
  const destination = posix.isAbsolute(target) ? target : posix.join(SANDBOX_IN_CONTAINER, target);
  return `${source}:${destination}:${volume.mode === 'RO' ? 'ro' : 'rw'}`;
}

export function containerName(ctx: Pick<ContainerContext, 'agentId'>, taskId: string): string {
  // Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]; Mesos names containers mesos-<uuid>.
  return `tepui-${ctx.agentId}-${taskId}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

export function containerSpec(task: TaskInfo, ctx: ContainerContext): ContainerCreateOptions {
  const docker = task.container?.docker;
  if (task.container?.type !== 'DOCKER' || !docker) throw new ContainerSpecError('the task has no DOCKER ContainerInfo');
  if (!docker.image) throw new ContainerSpecError('ContainerInfo.docker.image is empty');
  const command = task.command ?? {};
  const resources = Resources.of(task.resources ?? []);
  const cpus = resources.scalar('cpus');
  const memMb = resources.scalar('mem');
  const network = docker.network ?? 'HOST';
  const userNetwork = task.container.network_infos?.find((n) => n.name)?.name;
  if (network === 'USER' && !userNetwork) throw new ContainerSpecError("network USER needs a network name in ContainerInfo.network_infos[].name");

  const spec: Mutable = { Env: [], Labels: {}, HostConfig: { Binds: [], ExtraHosts: [], CapAdd: [], CapDrop: [] } };
  for (const [k, v] of Object.entries(ctx.env)) spec.Env.push(`${k}=${v}`);
  spec.Env.push(`MESOS_SANDBOX=${SANDBOX_IN_CONTAINER}`, `MESOS_TASK_ID=${task.task_id.value}`);
  for (const v of command.environment?.variables ?? []) if (v.value !== undefined) spec.Env.push(`${v.name}=${v.value}`);
  for (const l of task.labels?.labels ?? []) spec.Labels[l.key] = l.value ?? '';
  for (const p of docker.parameters ?? []) {
    // Marathon refuses these up front; a framework of its own can still send any key.
    if (!isSupportedDockerParameter(p.key)) throw new ContainerSpecError(`unsupported docker parameter '${p.key}' (supported: ${SUPPORTED_DOCKER_PARAMETERS.join(', ')})`);
    PARAMETERS[p.key](p.value, spec);
  }
  Object.assign(spec.Labels, {
    [LABEL_AGENT]: ctx.agentId, [LABEL_FRAMEWORK]: ctx.frameworkId, [LABEL_TASK]: task.task_id.value, [LABEL_EXECUTOR]: ctx.executorId,
  });
  for (const v of task.container.volumes ?? []) spec.HostConfig.Binds.push(volumeBind(v, ctx.sandbox));
  spec.HostConfig.Binds.push(`${ctx.sandbox}:${SANDBOX_IN_CONTAINER}:rw`);

  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostPort: string }>> = {};
  for (const m of docker.port_mappings ?? []) {
    for (const proto of (m.protocol ?? 'tcp').split(',')) {
      const key = `${m.container_port}/${proto.trim()}`;
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostPort: String(m.host_port) });
    }
  }
  if (Object.keys(bindings).length > 0 && network !== 'BRIDGE' && network !== 'USER') {
    throw new ContainerSpecError(`port mappings need BRIDGE or USER networking, not ${network}`);
  }

  // Mesos' docker executor: a shell command runs under `sh -c`; otherwise value and arguments
  // replace the image's command (value, when set, as the entrypoint).
  let cmd: string[] | undefined;
  if (command.shell !== false && command.value) {
    spec.Entrypoint ??= ['/bin/sh', '-c'];
    cmd = [command.value];
  } else if (command.shell === false) {
    if (command.value) spec.Entrypoint ??= [command.value];
    cmd = command.arguments && command.arguments.length > 0 ? [...command.arguments] : undefined;
  }

  return {
    name: containerName(ctx, task.task_id.value),
    Image: docker.image,
    ...(cmd ? { Cmd: cmd } : {}),
    ...(spec.Entrypoint ? { Entrypoint: spec.Entrypoint } : {}),
    Env: spec.Env,
    Labels: spec.Labels,
    ...(spec.User !== undefined ? { User: spec.User } : {}),
    ...(spec.WorkingDir !== undefined ? { WorkingDir: spec.WorkingDir } : {}),
    ...(spec.Hostname !== undefined ? { Hostname: spec.Hostname } : {}),
    ...(Object.keys(exposed).length > 0 ? { ExposedPorts: exposed } : {}),
    HostConfig: {
      NetworkMode: network === 'BRIDGE' ? 'bridge' : network === 'USER' ? userNetwork! : network === 'NONE' ? 'none' : 'host',
      ...(Object.keys(bindings).length > 0 ? { PortBindings: bindings } : {}),
      Privileged: docker.privileged ?? false,
      Binds: spec.HostConfig.Binds,
      ...(spec.HostConfig.ExtraHosts.length > 0 ? { ExtraHosts: spec.HostConfig.ExtraHosts } : {}),
      ...(spec.HostConfig.CapAdd.length > 0 ? { CapAdd: spec.HostConfig.CapAdd } : {}),
      ...(spec.HostConfig.CapDrop.length > 0 ? { CapDrop: spec.HostConfig.CapDrop } : {}),
      ...(cpus > 0 ? { CpuShares: Math.max(2, Math.round(cpus * CPU_SHARES_PER_CPU)), CpuPeriod: CFS_PERIOD_US, CpuQuota: Math.max(1000, Math.round(cpus * CFS_PERIOD_US)) } : {}),
      ...(memMb > 0 ? { Memory: Math.round(memMb * 1024 * 1024), MemorySwap: Math.round(memMb * 1024 * 1024) } : {}),
    },
  };
}
