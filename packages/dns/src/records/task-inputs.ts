// Which tasks get records, and everything a task's records are made from, gathered in one plain
// object. The records are a pure function of it, so the book keeps these inputs instead of the
// records: equal inputs mean nothing to redo, and the old inputs rebuild exactly the records to take
// back.
import type { Resource, Task, TaskStatus } from '@tepui/protocol';
import type { IpSource } from '../config/dns-config';
import type { AgentView, ClusterView, TaskView } from './cluster-view';
import { canonicalIp } from './ip-addresses';
import type { PublicationPolicy } from './record-naming';
import { agentIdTail, taskIdHash } from './task-hash';
import type { NameCache, TaskNames } from './task-names';

export interface DiscoveryPort {
  readonly number: number;
  /** Sanitised port name; '' when it has none. */
  readonly name: string;
  /** Sanitised protocol; '' stands for both tcp and udp. */
  readonly protocol: string;
}

export interface TaskRecordInputs {
  /** Names from `T`, the task name (or its DiscoveryInfo name) as one label, and `F`, the framework's labels. */
  readonly names: TaskNames;
  /**
   * Mesos-DNS also publishes a DiscoveryInfo name unsanitised (its "legacy" pass); kept when it
   * differs from the label and queries can reach it.
   */
  readonly legacyNames: TaskNames | undefined;
  /** `<hash>-<agent tail>`: what follows `T-` in the canonical name. */
  readonly canonicalSuffix: string;
  /** The first IP source that gave any address. */
  readonly taskIps: readonly string[];
  /** Whether `taskIps` are the task's own (a container's) rather than its agent's. */
  readonly ownIps: boolean;
  readonly agentIps: readonly string[];
  /** The task's `ports` resources, range by range. */
  readonly hostPorts: readonly number[];
  /** DiscoveryInfo ports; undefined when the task has no DiscoveryInfo name (Mesos-DNS' test). */
  readonly discoveryPorts: readonly DiscoveryPort[] | undefined;
}

/** Why a task has no records (returned, counted and logged by the shell, never thrown). */
export type TaskExclusion =
  | 'not-running' | 'killing' | 'unknown-agent' | 'unknown-framework' | 'unhealthy' | 'not-yet-healthy' | 'unnamed';

/** The Mesos containerizer's and Docker's status labels carrying the container IP (`mesos`, `docker`). */
const MESOS_IP_LABEL = 'MesosContainerizer.NetworkSettings.IPAddress';
const DOCKER_IP_LABEL = 'Docker.NetworkSettings.IPAddress';

/** The task's inputs, or why it gets no records. */
export function taskRecordInputs(
  task: TaskView, cluster: ClusterView, policy: PublicationPolicy, names: NameCache,
): TaskRecordInputs | TaskExclusion {
  if (task.state === 'TASK_KILLING') return 'killing';
  // Mesos-DNS publishes only running tasks (#308 asked for STAGING and was refused).
  if (task.state !== 'TASK_RUNNING') return 'not-running';
  const agent = cluster.agent(task.agentId);
  if (!agent) return 'unknown-agent';
  const frameworkView = cluster.framework(task.frameworkId);
  if (!frameworkView) return 'unknown-framework';
  // Tepui's health-aware DNS (mesos-dns #310): an unhealthy task stops being named.
  if (policy.healthAware && task.healthy === false) return 'unhealthy';
  if (policy.requireHealthy && task.task.health_check !== undefined && task.healthy !== true) return 'not-yet-healthy';
  const framework = names.fragmentOf(frameworkView.name);
  const discoveryName = task.task.discovery?.name ?? '';
  const label = names.labelOf(discoveryName !== '' ? discoveryName : task.name);
  // A name of nothing but dropped characters would make `.marathon.mesos`.
  if (framework === '' || label === '') return 'unnamed';
  const legacyLabel = discoveryName !== '' ? reachableLegacyName(discoveryName, label) : undefined;
  const { ips, own } = taskAddresses(task.statuses, policy.ipSources, agent);
  return {
    names: names.taskNamesOf(label, framework),
    legacyNames: legacyLabel === undefined ? undefined : names.taskNamesOf(legacyLabel, framework),
    canonicalSuffix: `${taskIdHash(task.id)}-${agentIdTail(task.agentId)}`,
    taskIps: ips,
    ownIps: own,
    agentIps: agent.ips,
    hostPorts: hostPorts(task.task.resources),
    discoveryPorts: discoveryName !== '' ? discoveryPorts(task.task, names) : undefined,
  };
}

const DNS_NAME = /^[a-z0-9_-]{1,63}(\.[a-z0-9_-]{1,63})*$/;

/**
 * Mesos-DNS publishes a DiscoveryInfo name raw as well. Kept only when queries can reach it: Mesos-DNS
 * lower-cases every query, so a name with capitals (or characters no label has) was never answered.
 */
function reachableLegacyName(raw: string, label: string): string | undefined {
  return raw !== label && DNS_NAME.test(raw) ? raw : undefined;
}

/** Mesos-DNS' IPSources: the first source (in configured order) with any address wins. */
export function taskAddresses(statuses: readonly TaskStatus[], sources: readonly IpSource[], agent: AgentView): { ips: readonly string[]; own: boolean } {
  for (const source of sources) {
    if (source === 'host') {
      if (agent.ips.length > 0) return { ips: agent.ips, own: false };
      continue;
    }
    const status = newestRunningStatus(statuses);
    const ips = status === undefined ? [] : canonicalIps(statusAddresses(status, source));
    if (ips.length > 0) return { ips, own: true };
  }
  return { ips: [], own: false };
}

/** The newest TASK_RUNNING status by timestamp: the master does not promise their order. */
function newestRunningStatus(statuses: readonly TaskStatus[]): TaskStatus | undefined {
  let newest: TaskStatus | undefined;
  let newestAt = -1;
  for (const status of statuses) {
    const at = status.timestamp ?? 0;
    if (status.state === 'TASK_RUNNING' && at > newestAt) {
      newest = status;
      newestAt = at;
    }
  }
  return newest;
}

function statusAddresses(status: TaskStatus, source: Exclude<IpSource, 'host'>): string[] {
  if (source === 'netinfo') {
    const found: string[] = [];
    for (const network of status.container_status?.network_infos ?? []) {
      for (const address of network.ip_addresses ?? []) if (address.ip_address !== undefined) found.push(address.ip_address);
    }
    return found;
  }
  const key = source === 'mesos' ? MESOS_IP_LABEL : DOCKER_IP_LABEL;
  return (status.labels?.labels ?? []).flatMap((label) => (label.key === key && label.value !== undefined ? [label.value] : []));
}

function canonicalIps(candidates: readonly string[]): string[] {
  const ips: string[] = [];
  for (const candidate of candidates) {
    const ip = canonicalIp(candidate);
    if (ip !== undefined && !ips.includes(ip)) ips.push(ip);
  }
  return ips;
}

/** Every port of the task's `ports` resources, range by range as Mesos lists them. */
export function hostPorts(resources: readonly Resource[] | undefined): number[] {
  const ports: number[] = [];
  for (const resource of resources ?? []) {
    if (resource.name !== 'ports') continue;
    for (const range of resource.ranges?.range ?? []) {
      for (let port = range.begin; port <= range.end; port++) ports.push(port);
    }
  }
  return ports;
}

function discoveryPorts(task: Task, names: NameCache): DiscoveryPort[] {
  return (task.discovery?.ports?.ports ?? []).map((port) => ({
    number: port.number,
    name: port.name === undefined ? '' : names.labelOf(port.name),
    protocol: port.protocol === undefined ? '' : names.labelOf(port.protocol),
  }));
}

export function sameTaskRecordInputs(a: TaskRecordInputs, b: TaskRecordInputs): boolean {
  return sameNames(a.names, b.names) && sameNames(a.legacyNames, b.legacyNames)
    && a.canonicalSuffix === b.canonicalSuffix && a.ownIps === b.ownIps && sameList(a.taskIps, b.taskIps)
    && sameList(a.agentIps, b.agentIps) && sameList(a.hostPorts, b.hostPorts) && sameDiscovery(a.discoveryPorts, b.discoveryPorts);
}

function sameNames(a: TaskNames | undefined, b: TaskNames | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.label === b.label && a.framework === b.framework);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((value, i) => value === b[i]));
}

function sameDiscovery(a: readonly DiscoveryPort[] | undefined, b: readonly DiscoveryPort[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length
    && a.every((port, i) => port.number === b[i]!.number && port.name === b[i]!.name && port.protocol === b[i]!.protocol);
}
