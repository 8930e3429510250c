// The agent's flags, declared once with Mesos' names, defaults and help. The loader merges
// defaults < environment (TEPUI_AGENT_<NAME>) < command-line flags into a frozen config whose
// durations are milliseconds. Nothing below main.ts reads process.env or argv.
import { statfsSync } from 'node:fs';
import { cpus, hostname as osHostname, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { FlagError, Resources, parseAttributes, parseBytes, parseDuration, resolveFlags, type Attribute } from '@tepui/protocol';
import { parseMasterLocation, type MasterLocation } from '@tepui/coordination';

export const DEFAULT_PORT = 5051;
export const DEFAULT_PORTS_RANGE = '[31000-32000]';

interface FlagSpec {
  readonly default?: string;
  readonly help: string;
}

export const AGENT_FLAGS = {
  master: { default: '127.0.0.1:5050', help: 'The master: host:port, or zk://[user:pass@]host:port[,…]/path (or file:///path holding it) to follow the elected leader.' },
  zk_session_timeout: { default: '10secs', help: 'ZooKeeper session timeout, with --master=zk://…' },
  ip: { default: '127.0.0.1', help: 'IP address to listen on and advertise.' },
  port: { default: String(DEFAULT_PORT), help: 'Port to listen on (0 picks a free one).' },
  hostname: { help: 'Hostname to advertise (default: the machine hostname).' },
  work_dir: { help: 'Directory for checkpoints and sandboxes (required for real agents).' },
  resources: { help: "Resources to advertise, e.g. 'cpus:4;mem:4096;ports:[31000-32000]' or a JSON array; the rest is detected." },
  attributes: { help: "Attributes, e.g. 'rack:r1;zone:a'." },
  launcher_dir: { help: 'Directory holding the command and default executors (default: the @tepui/executor build).' },
  executor_registration_timeout: { default: '1mins', help: 'How long an executor has to subscribe after launch.' },
  executor_reregistration_timeout: { default: '5secs', help: 'How long recovered executors have to re-subscribe after an agent restart.' },
  executor_shutdown_grace_period: { default: '5secs', help: 'Default time an executor has to shut down before it is destroyed.' },
  recover: { default: 'reconnect', help: "'reconnect' re-attaches to live executors after a restart; 'cleanup' kills them." },
  recovery_timeout: { default: '15mins', help: 'How long executors wait for a restarted agent (MESOS_RECOVERY_TIMEOUT).' },
  registration_backoff_factor: { default: '1secs', help: 'Initial (random) delay before (re)registering; doubles up to 1mins.' },
  status_update_retry_interval_min: { default: '10secs', help: 'First retry interval of unacknowledged status updates (doubles up to 10mins).' },
  gc_delay: { default: '1weeks', help: 'How long after an executor finishes its sandbox and run meta directory are removed (sooner as the disk fills).' },
  gc_disk_headroom: { default: '0.1', help: 'Disk space kept free: sandboxes are removed sooner, gc_delay × max(0, 1 − headroom − disk usage) after they finish (0.0 to 1.0).' },
  disk_watch_interval: { default: '1mins', help: 'How often the disk usage of the work_dir is checked for garbage collection.' },
  fetcher_cache_dir: { help: "Directory of the fetcher cache, emptied when the agent starts (default: '<work_dir>/fetch')." },
  fetcher_cache_size: { default: '2GB', help: 'Size of the fetcher cache: least recently used files are removed beyond it.' },
  fetcher_stall_timeout: { default: '1mins', help: 'A download that receives nothing for this long fails.' },
  frameworks_home: { help: 'Directory relative URI paths are resolved against.' },
  log_level: { default: 'info', help: 'pino log level.' },
} as const satisfies Record<string, FlagSpec>;

export type AgentFlagName = keyof typeof AGENT_FLAGS;

export interface AgentConfig {
  /** Where the master is: one host:port, or an election in ZooKeeper. */
  readonly master: MasterLocation;
  readonly zkSessionTimeoutMs: number;
  readonly ip: string;
  readonly port: number;
  readonly hostname: string;
  readonly workDir: string;
  readonly resources: Resources;
  readonly attributes: Attribute[];
  readonly launcherDir: string;
  readonly executorRegistrationTimeoutMs: number;
  readonly executorReregistrationTimeoutMs: number;
  readonly executorShutdownGracePeriodMs: number;
  readonly recover: 'reconnect' | 'cleanup';
  readonly recoveryTimeoutMs: number;
  readonly registrationBackoffFactorMs: number;
  readonly statusUpdateRetryIntervalMinMs: number;
  readonly gcDelayMs: number;
  readonly gcDiskHeadroom: number;
  readonly diskWatchIntervalMs: number;
  readonly fetcherCacheDir: string;
  readonly fetcherCacheSizeBytes: number;
  readonly fetcherStallTimeoutMs: number;
  readonly frameworksHome?: string;
  readonly logLevel: string;
  readonly flags: ReadonlyMap<string, string>;
}

export class AgentConfigError extends Error {}

function bytes(name: string, text: string): number {
  try {
    return parseBytes(text);
  } catch (err) {
    throw new AgentConfigError(`Flag '${name}': ${(err as Error).message}`);
  }
}

function duration(name: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new AgentConfigError(`Flag '${name}': ${(err as Error).message}`);
  }
}

/** Mesos' detection: cpus from the host, memory minus min(1 GiB, half), disk likewise, ports 31000-32000. */
export function detectResources(workDir: string, given: Resources): Resources {
  const names = new Set(given.names());
  const extra: string[] = [];
  if (!names.has('cpus')) extra.push(`cpus:${cpus().length}`);
  const gib = 1024;
  if (!names.has('mem')) {
    const totalMb = Math.floor(totalmem() / 1048576);
    extra.push(`mem:${Math.max(totalMb - Math.min(gib, Math.floor(totalMb / 2)), 0)}`);
  }
  if (!names.has('disk')) {
    let diskMb = 10240;
    try {
      const fs = statfsSync(workDir);
      const totalMb = Math.floor((fs.blocks * fs.bsize) / 1048576);
      diskMb = Math.max(totalMb - Math.min(5 * gib, Math.floor(totalMb / 2)), 0);
    } catch {
      // work_dir does not exist yet: Mesos' fallback of 10 GB
    }
    extra.push(`disk:${diskMb}`);
  }
  if (!names.has('ports')) extra.push(`ports:${DEFAULT_PORTS_RANGE}`);
  return extra.length === 0 ? given : given.plus(Resources.parse(extra.join(';')));
}

/** The built @tepui/executor package: `command/main.js` and `default/main.js` live below it. */
export function defaultLauncherDir(): string {
  return resolve(__dirname, '..', '..', 'executor', 'dist');
}

export function loadAgentConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  overrides: Partial<Record<AgentFlagName, string>> = {},
): AgentConfig {
  let flags: Map<AgentFlagName, string>;
  try {
    flags = resolveFlags(AGENT_FLAGS, argv, env, (n) => [`TEPUI_AGENT_${n.toUpperCase()}`], overrides);
  } catch (err) {
    if (err instanceof FlagError) throw new AgentConfigError(err.message);
    throw err;
  }
  const get = (n: AgentFlagName) => flags.get(n);
  const workDir = resolve(get('work_dir') ?? join(tmpdir(), 'tepui-agent'));
  let resources: Resources;
  let attributes: Attribute[];
  try {
    resources = detectResources(workDir, get('resources') ? Resources.parse(get('resources')!) : Resources.EMPTY);
    attributes = get('attributes') ? parseAttributes(get('attributes')!) : [];
  } catch (err) {
    throw new AgentConfigError((err as Error).message);
  }
  const recover = get('recover');
  if (recover !== 'reconnect' && recover !== 'cleanup') throw new AgentConfigError("Flag 'recover' expects 'reconnect' or 'cleanup'");
  const headroom = Number(get('gc_disk_headroom'));
  if (get('gc_disk_headroom')!.trim() === '' || !Number.isFinite(headroom) || headroom < 0 || headroom > 1) {
    throw new AgentConfigError(`Flag 'gc_disk_headroom' must be between 0.0 and 1.0, got '${get('gc_disk_headroom')}'`);
  }
  const port = Number(get('port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AgentConfigError(`Flag 'port' expects a port number, got '${get('port')}'`);
  return Object.freeze({
    master: masterLocation(get('master')!),
    zkSessionTimeoutMs: duration('zk_session_timeout', get('zk_session_timeout')!),
    ip: get('ip')!,
    port,
    hostname: get('hostname') ?? osHostname(),
    workDir,
    resources,
    attributes,
    launcherDir: resolve(get('launcher_dir') ?? defaultLauncherDir()),
    executorRegistrationTimeoutMs: duration('executor_registration_timeout', get('executor_registration_timeout')!),
    executorReregistrationTimeoutMs: duration('executor_reregistration_timeout', get('executor_reregistration_timeout')!),
    executorShutdownGracePeriodMs: duration('executor_shutdown_grace_period', get('executor_shutdown_grace_period')!),
    recover,
    recoveryTimeoutMs: duration('recovery_timeout', get('recovery_timeout')!),
    registrationBackoffFactorMs: duration('registration_backoff_factor', get('registration_backoff_factor')!),
    statusUpdateRetryIntervalMinMs: duration('status_update_retry_interval_min', get('status_update_retry_interval_min')!),
    gcDelayMs: duration('gc_delay', get('gc_delay')!),
    gcDiskHeadroom: headroom,
    diskWatchIntervalMs: duration('disk_watch_interval', get('disk_watch_interval')!),
    fetcherCacheDir: resolve(get('fetcher_cache_dir') ?? join(workDir, 'fetch')),
    fetcherCacheSizeBytes: bytes('fetcher_cache_size', get('fetcher_cache_size')!),
    fetcherStallTimeoutMs: duration('fetcher_stall_timeout', get('fetcher_stall_timeout')!),
    ...(get('frameworks_home') ? { frameworksHome: resolve(get('frameworks_home')!) } : {}),
    logLevel: get('log_level')!,
    flags,
  });
}

export function agentHelp(): string {
  const lines = ['Usage: tepui-agent [flags]', ''];
  for (const [name, spec] of Object.entries(AGENT_FLAGS) as Array<[string, FlagSpec]>) {
    lines.push(`  --${name}=VALUE`.padEnd(48) + spec.help + (spec.default === undefined ? '' : ` (default: ${spec.default})`));
  }
  return lines.join('\n');
}

function masterLocation(text: string): MasterLocation {
  try {
    return parseMasterLocation(text);
  } catch (err) {
    throw new AgentConfigError(`Flag 'master': ${(err as Error).message}`);
  }
}
