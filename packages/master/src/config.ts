// The master's flags, declared once: name (as Mesos spells it), default, help. The loader merges
// defaults < environment (TEPUI_MASTER_<NAME>) < command-line flags and returns a frozen config
// whose durations are already milliseconds. Nothing below main.ts reads process.env or argv.
import { hostname as osHostname } from 'node:os';
import { FlagError, parseDuration, resolveFlags } from '@tepui/protocol';
import { parseZkFlag, redactZkUrl, type ZkUrl } from '@tepui/coordination';

export const DEFAULT_PORT = 5050;
export const DEFAULT_ALLOCATION_INTERVAL = '1secs';
export const DEFAULT_AGENT_PING_TIMEOUT = '15secs';
export const DEFAULT_MAX_AGENT_PING_TIMEOUTS = 5;
export const DEFAULT_HEARTBEAT_INTERVAL = '15secs';
export const DEFAULT_AGENT_REREGISTER_TIMEOUT = '10mins';
export const DEFAULT_MAX_COMPLETED_FRAMEWORKS = 50;
export const DEFAULT_MAX_COMPLETED_TASKS_PER_FRAMEWORK = 1000;
export const DEFAULT_MIN_ALLOCATABLE_RESOURCES = 'cpus:0.01|mem:32';
export const DEFAULT_ZK_SESSION_TIMEOUT = '10secs';

type FlagKind = 'string' | 'int' | 'duration' | 'optional-duration';

interface FlagSpec {
  readonly kind: FlagKind;
  readonly default?: string;
  readonly help: string;
}

export const MASTER_FLAGS = {
  ip: { kind: 'string', default: '127.0.0.1', help: 'IP address to listen on and advertise.' },
  port: { kind: 'int', default: String(DEFAULT_PORT), help: 'Port to listen on.' },
  hostname: { kind: 'string', help: 'Hostname to advertise (default: the machine hostname).' },
  cluster: { kind: 'string', help: 'Human readable name for the cluster, shown in /master/state.' },
  work_dir: { kind: 'string', help: 'Directory for the registry (unused by the in-memory registry).' },
  allocation_interval: { kind: 'duration', default: DEFAULT_ALLOCATION_INTERVAL, help: 'Upper bound between batch allocations.' },
  offer_timeout: { kind: 'optional-duration', help: 'Duration after which an unused offer is rescinded (default: never).' },
  agent_ping_timeout: { kind: 'duration', default: DEFAULT_AGENT_PING_TIMEOUT, help: 'Interval between pings; a ping without a pong counts as a miss.' },
  max_agent_ping_timeouts: { kind: 'int', default: String(DEFAULT_MAX_AGENT_PING_TIMEOUTS), help: 'Missed pings after which an agent is marked unreachable.' },
  agent_reregister_timeout: { kind: 'duration', default: DEFAULT_AGENT_REREGISTER_TIMEOUT, help: 'After a failover, how long agents of the previous leader have to re-register before they are marked unreachable (Mesos: at least 10mins; Tepui allows less).' },
  heartbeat_interval: { kind: 'duration', default: DEFAULT_HEARTBEAT_INTERVAL, help: 'Interval of HEARTBEAT events on scheduler and operator streams (fixed at 15secs in Mesos).' },
  role_sorter: { kind: 'string', default: 'drf', help: "Policy to order roles: 'drf' or 'random'." },
  framework_sorter: { kind: 'string', default: 'drf', help: "Policy to order frameworks within a role: 'drf' or 'random'." },
  weights: { kind: 'string', help: 'Role weights, e.g. "prod=2,dev=1".' },
  min_allocatable_resources: { kind: 'string', default: DEFAULT_MIN_ALLOCATABLE_RESOURCES, help: "Offers are made only with at least one of these '|'-separated quantity sets." },
  fair_sharing_excluded_resource_names: { kind: 'string', help: 'Comma-separated resource names DRF ignores (e.g. gpus).' },
  max_completed_frameworks: { kind: 'int', default: String(DEFAULT_MAX_COMPLETED_FRAMEWORKS), help: 'Completed frameworks kept for /master/state.' },
  max_completed_tasks_per_framework: { kind: 'int', default: String(DEFAULT_MAX_COMPLETED_TASKS_PER_FRAMEWORK), help: 'Completed tasks kept per framework.' },
  zk: { kind: 'string', help: "ZooKeeper URL for leader election and the registry: zk://[user:pass@]host:port[,host:port…]/path, or file:///path holding it. Without it the master runs standalone." },
  quorum: { kind: 'int', help: 'With --zk: the number of masters that make a majority; a newly elected leader waits until that many masters contend before it recovers and acts (Mesos: a quorum of registry replicas).' },
  zk_session_timeout: { kind: 'duration', default: DEFAULT_ZK_SESSION_TIMEOUT, help: 'ZooKeeper session timeout.' },
  log_level: { kind: 'string', default: 'info', help: 'pino log level: trace, debug, info, warn, error.' },
  allocator_seed: { kind: 'string', help: 'Seed for the allocator’s agent shuffle (default: random).' },
} as const satisfies Record<string, FlagSpec>;

export type MasterFlagName = keyof typeof MASTER_FLAGS;

export interface MasterConfig {
  readonly ip: string;
  readonly port: number;
  readonly hostname: string;
  readonly cluster?: string;
  readonly workDir?: string;
  readonly allocationIntervalMs: number;
  readonly offerTimeoutMs?: number;
  readonly agentPingTimeoutMs: number;
  readonly maxAgentPingTimeouts: number;
  readonly agentReregisterTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly roleSorter: 'drf' | 'random';
  readonly frameworkSorter: 'drf' | 'random';
  readonly weights: ReadonlyMap<string, number>;
  readonly minAllocatable: ReadonlyArray<ReadonlyMap<string, number>>;
  readonly fairnessExcludedResourceNames: readonly string[];
  readonly maxCompletedFrameworks: number;
  readonly maxCompletedTasksPerFramework: number;
  readonly logLevel: string;
  readonly allocatorSeed: number;
  /** Leader election and registry in ZooKeeper; standalone when absent. */
  readonly zk?: { readonly url: ZkUrl; readonly text: string; readonly quorum: number; readonly sessionTimeoutMs: number };
  /** The flags as given (after defaults), for GET_FLAGS and /master/state. */
  readonly flags: ReadonlyMap<string, string>;
}

export class ConfigError extends Error {}

function envName(flag: string): string {
  return `TEPUI_MASTER_${flag.toUpperCase()}`;
}

function parseWeights(text: string | undefined): Map<string, number> {
  const weights = new Map<string, number>();
  if (!text) return weights;
  for (const part of text.split(',')) {
    const [role, value] = part.split('=');
    const weight = Number(value);
    if (!role || !(weight > 0)) throw new ConfigError(`Invalid weight '${part}': expected role=positive-number`);
    weights.set(role.trim(), weight);
  }
  return weights;
}

function parseMinAllocatable(text: string): Map<string, number>[] {
  return text.split('|').map((set) => {
    const quantities = new Map<string, number>();
    for (const item of set.split(';')) {
      const [name, value] = item.split(':');
      const amount = Number(value);
      if (!name || !(amount >= 0)) throw new ConfigError(`Invalid --min_allocatable_resources entry '${item}'`);
      quantities.set(name.trim(), amount);
    }
    return quantities;
  });
}

function int(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`Flag '${name}' expects a non-negative integer, got '${text}'`);
  return value;
}

function duration(name: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new ConfigError(`Flag '${name}': ${(err as Error).message}`);
  }
}

function sorter(name: string, text: string): 'drf' | 'random' {
  if (text !== 'drf' && text !== 'random') throw new ConfigError(`Flag '${name}' expects 'drf' or 'random'`);
  return text;
}

export function loadMasterConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  overrides: Partial<Record<MasterFlagName, string>> = {},
): MasterConfig {
  let flags: Map<MasterFlagName, string>;
  try {
    flags = resolveFlags(MASTER_FLAGS, argv, env, (n) => [envName(n)], overrides);
  } catch (err) {
    if (err instanceof FlagError) throw new ConfigError(err.message);
    throw err;
  }
  const get = (n: MasterFlagName): string | undefined => flags.get(n);
  const offerTimeout = get('offer_timeout');
  const seed = get('allocator_seed');
  const zk = zkConfig(get('zk'), get('quorum'), get('zk_session_timeout')!);
  // /flags and GET_FLAGS show the URL, never its password.
  if (zk) flags.set('zk', redactZkUrl(zk.text));
  return Object.freeze({
    ip: get('ip')!,
    port: int('port', get('port')!),
    hostname: get('hostname') ?? osHostname(),
    cluster: get('cluster'),
    workDir: get('work_dir'),
    allocationIntervalMs: duration('allocation_interval', get('allocation_interval')!),
    offerTimeoutMs: offerTimeout === undefined ? undefined : duration('offer_timeout', offerTimeout),
    agentPingTimeoutMs: duration('agent_ping_timeout', get('agent_ping_timeout')!),
    maxAgentPingTimeouts: Math.max(1, int('max_agent_ping_timeouts', get('max_agent_ping_timeouts')!)),
    agentReregisterTimeoutMs: duration('agent_reregister_timeout', get('agent_reregister_timeout')!),
    heartbeatIntervalMs: duration('heartbeat_interval', get('heartbeat_interval')!),
    roleSorter: sorter('role_sorter', get('role_sorter')!),
    frameworkSorter: sorter('framework_sorter', get('framework_sorter')!),
    weights: parseWeights(get('weights')),
    minAllocatable: parseMinAllocatable(get('min_allocatable_resources')!),
    fairnessExcludedResourceNames: (get('fair_sharing_excluded_resource_names') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    maxCompletedFrameworks: int('max_completed_frameworks', get('max_completed_frameworks')!),
    maxCompletedTasksPerFramework: int('max_completed_tasks_per_framework', get('max_completed_tasks_per_framework')!),
    logLevel: get('log_level')!,
    allocatorSeed: seed === undefined ? Math.floor(Math.random() * 2 ** 31) : int('allocator_seed', seed),
    zk,
    flags,
  });
}

function zkConfig(text: string | undefined, quorum: string | undefined, sessionTimeout: string): MasterConfig['zk'] {
  if (text === undefined) {
    if (quorum !== undefined) throw new ConfigError("Flag 'quorum' is only meaningful with --zk");
    return undefined;
  }
  const url = parseZkFlag('zk', text, (message) => new ConfigError(message));
  // As Mesos: a master with --zk must be told the quorum size.
  if (quorum === undefined) throw new ConfigError("Flag 'quorum' is required when --zk is given (the number of masters that make a majority)");
  const size = int('quorum', quorum);
  if (size < 1) throw new ConfigError("Flag 'quorum' must be at least 1");
  const sessionTimeoutMs = duration('zk_session_timeout', sessionTimeout);
  if (sessionTimeoutMs < 1000) throw new ConfigError("Flag 'zk_session_timeout' must be at least 1secs");
  return { url, text, quorum: size, sessionTimeoutMs };
}

export function masterHelp(): string {
  const lines = ['Usage: tepui-master [flags]', ''];
  for (const [name, spec] of Object.entries(MASTER_FLAGS) as Array<[string, FlagSpec]>) {
    const def = spec.default === undefined ? '' : ` (default: ${spec.default})`;
    lines.push(`  --${name}=VALUE`.padEnd(46) + spec.help + def);
  }
  return lines.join('\n');
}
