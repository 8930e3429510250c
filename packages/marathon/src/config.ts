// Marathon's flags as Marathon spells them (MarathonConf.scala), merged defaults < environment
// (TEPUI_MARATHON_<NAME>, and MARATHON_<NAME> as Marathon's packaging reads them) < command line.
// Durations Marathon gives in milliseconds or seconds keep those units on the command line.
import { hostname as osHostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { isZkLocation, parseMasterLocation, parseZkFlag, redactZkUrl, type ZkUrl } from '@tepui/coordination';
import { FlagError, resolveFlags } from '@tepui/protocol';

export const DEFAULT_HTTP_PORT = 8080;

interface FlagSpec {
  readonly default?: string;
  readonly help: string;
}

export const MARATHON_FLAGS = {
  master: { default: 'http://127.0.0.1:5050', help: 'Mesos master URL(s), comma-separated (http://host:5050), or zk://[user:pass@]host:port[,…]/path to follow the leader elected there.' },
  zk: { help: 'ZooKeeper URL for Marathon’s state and leader election: zk://[user:pass@]host:port[,host:port…]/path (state under <path>/state, the leader latch under <path>/leader). Without it Marathon runs alone on the file store.' },
  ha: { help: 'Contend for leadership with the other Marathons of --zk (default: on when --zk is given).' },
  disable_ha: { help: 'Run without the election (needs no --zk).' },
  zk_session_timeout: { default: '10000', help: 'Milliseconds of ZooKeeper session timeout: a leader cut off this long loses its leadership.' },
  zk_max_node_size: { default: '1024000', help: 'Bytes a znode (and a state transaction) may hold; larger documents are chunked.' },
  http_address: { default: '127.0.0.1', help: 'Address to listen on.' },
  http_port: { default: String(DEFAULT_HTTP_PORT), help: 'Port of the REST API.' },
  hostname: { help: 'Hostname advertised to Mesos and in /v2/leader (default: the machine hostname).' },
  framework_name: { default: 'marathon', help: 'Framework name registered with Mesos.' },
  failover_timeout: { default: '604800', help: 'Seconds Mesos keeps Marathon’s tasks while it is away.' },
  mesos_role: { default: '*', help: 'Mesos role Marathon registers with.' },
  mesos_user: { help: 'User tasks run as (default: the user running Marathon).' },
  checkpoint: { default: 'true', help: 'Ask agents to checkpoint Marathon’s tasks.' },
  webui_url: { help: 'URL of this Marathon shown in Mesos.' },
  state_dir: { help: 'Directory of the embedded state store (default: $TMPDIR/tepui-marathon).' },
  decline_offer_duration: { default: '120000', help: 'Milliseconds Mesos withholds a declined offer.' },
  max_instances_per_offer: { default: '10', help: 'Instances launched from one offer at most (Marathon: 5).' },
  min_revive_offers_interval: { default: '5000', help: 'Milliseconds between REVIVE calls at least.' },
  task_launch_confirm_timeout: { default: '300000', help: 'Milliseconds a launch may go without a status before it is retried.' },
  kill_retry_timeout: { default: '10000', help: 'Milliseconds a kill may go unanswered before it is sent again (with a reconciliation of the task).' },
  reconciliation_initial_delay: { default: '15000', help: 'Milliseconds after subscribing before the first reconciliation.' },
  reconciliation_interval: { default: '600000', help: 'Milliseconds between reconciliations.' },
  local_port_min: { default: '10000', help: 'Lowest service port.' },
  local_port_max: { default: '20000', help: 'Highest service port.' },
  max_running_deployments: { default: '100', help: 'Deployments running at once at most.' },
  event_stream_max_outstanding_messages: { default: '1024', help: 'Events a slow /v2/events client may lag before it is dropped.' },
  enable_features: { default: '', help: 'Comma-separated feature flags (gpu_resources, secrets).' },
  log_level: { default: 'info', help: 'pino log level.' },
} as const satisfies Record<string, FlagSpec>;

export type MarathonFlagName = keyof typeof MARATHON_FLAGS;

export interface MarathonConfig {
  readonly masters: string[];
  /** Marathon's own ZooKeeper (state and election), when --zk is given. */
  readonly zk?: MarathonZkConfig;
  readonly httpAddress: string;
  readonly httpPort: number;
  readonly hostname: string;
  readonly frameworkName: string;
  readonly failoverTimeoutSeconds: number;
  readonly role: string;
  readonly user: string;
  readonly checkpoint: boolean;
  readonly webuiUrl?: string;
  readonly stateDir: string;
  readonly declineOfferSeconds: number;
  readonly maxInstancesPerOffer: number;
  readonly minReviveIntervalMs: number;
  readonly launchConfirmTimeoutMs: number;
  readonly killRetryMs: number;
  readonly reconciliationInitialDelayMs: number;
  readonly reconciliationIntervalMs: number;
  readonly servicePorts: { min: number; max: number };
  readonly maxRunningDeployments: number;
  readonly maxOutstandingEvents: number;
  readonly features: ReadonlySet<string>;
  readonly logLevel: string;
  /** Flag values after defaults, for /v2/info's marathon_config. */
  readonly flags: ReadonlyMap<string, string>;
}

export interface MarathonZkConfig {
  readonly url: ZkUrl;
  readonly sessionTimeoutMs: number;
  readonly maxNodeBytes: number;
}

export class ConfigError extends Error {}

function number(name: string, text: string, min = 0): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new ConfigError(`Flag '--${name}' expects a number ≥ ${min}, got '${text}'`);
  return value;
}

export function loadMarathonConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  overrides: Partial<Record<MarathonFlagName, string>> = {},
): MarathonConfig {
  let flags: Map<MarathonFlagName, string>;
  try {
    flags = resolveFlags(MARATHON_FLAGS, argv, env, (n) => [`TEPUI_MARATHON_${n.toUpperCase()}`, `MARATHON_${n.toUpperCase()}`], overrides);
  } catch (err) {
    if (err instanceof FlagError) throw new ConfigError(err.message);
    throw err;
  }
  const get = (n: MarathonFlagName): string => flags.get(n) ?? '';
  const num = (n: MarathonFlagName, min = 0): number => number(n, get(n), min);
  const masters = mastersOf(get('master'));
  const zk = zkOf(flags, num);
  if (zk) flags.set('zk', redactZkUrl(get('zk')));
  const portMin = num('local_port_min', 1);
  const portMax = num('local_port_max', portMin);
  return Object.freeze({
    masters,
    ...(zk ? { zk } : {}),
    httpAddress: get('http_address'),
    httpPort: num('http_port'),
    hostname: flags.get('hostname') ?? osHostname(),
    frameworkName: get('framework_name'),
    failoverTimeoutSeconds: num('failover_timeout'),
    role: get('mesos_role'),
    user: flags.get('mesos_user') ?? userInfo().username,
    checkpoint: get('checkpoint') !== 'false',
    ...(flags.has('webui_url') ? { webuiUrl: get('webui_url') } : {}),
    stateDir: flags.get('state_dir') ?? join(tmpdir(), 'tepui-marathon'),
    declineOfferSeconds: num('decline_offer_duration') / 1000,
    maxInstancesPerOffer: num('max_instances_per_offer', 1),
    minReviveIntervalMs: num('min_revive_offers_interval'),
    launchConfirmTimeoutMs: num('task_launch_confirm_timeout', 1),
    killRetryMs: num('kill_retry_timeout', 1),
    reconciliationInitialDelayMs: num('reconciliation_initial_delay'),
    reconciliationIntervalMs: num('reconciliation_interval', 1000),
    servicePorts: { min: portMin, max: portMax },
    maxRunningDeployments: num('max_running_deployments', 1),
    maxOutstandingEvents: num('event_stream_max_outstanding_messages', 1),
    features: new Set(get('enable_features').split(',').map((f) => f.trim()).filter(Boolean)),
    logLevel: get('log_level'),
    flags,
  });
}

/** http(s) masters as a list; a zk:// (or file://) one alone, checked here so a typo stops startup. */
function mastersOf(text: string): string[] {
  if (isZkLocation(text.trim())) {
    try {
      parseMasterLocation(text.trim());
    } catch (err) {
      throw new ConfigError(`Flag 'master': ${err instanceof Error ? err.message : String(err)}`);
    }
    return [text.trim()];
  }
  const list = text.split(',').map((m) => m.trim()).filter(Boolean);
  return list.map((m) => (m.includes('://') ? m : `http://${m}`));
}

function zkOf(flags: ReadonlyMap<MarathonFlagName, string>, num: (n: MarathonFlagName, min?: number) => number): MarathonZkConfig | undefined {
  const text = flags.get('zk');
  const ha = flags.get('disable_ha') === 'true' ? false : flags.has('ha') ? flags.get('ha') !== 'false' : text !== undefined;
  if (text === undefined) {
    if (ha) throw new ConfigError("Flag 'ha' needs --zk: the Marathons of one cluster elect their leader through ZooKeeper");
    return undefined;
  }
  // Marathon also keeps its state in ZooKeeper without HA; Tepui fences every state write on the
  // writer's leader latch, so a Marathon that stays out of the election cannot write there.
  if (!ha) throw new ConfigError("Flag 'disable_ha' (or --ha=false) cannot go with --zk: Tepui keeps Marathon's state in ZooKeeper only for Marathons in the election; drop --zk to run one Marathon on the file store");
  const url = parseZkFlag('zk', text, (message) => new ConfigError(message));
  if (url.path === '/') throw new ConfigError("Flag 'zk' needs a path for Marathon's nodes (zk://host:2181/marathon)");
  return { url, sessionTimeoutMs: num('zk_session_timeout', 1000), maxNodeBytes: num('zk_max_node_size', 1024) };
}

export function marathonHelp(): string {
  const lines = ['Usage: tepui-marathon [flags]', ''];
  for (const [name, spec] of Object.entries(MARATHON_FLAGS) as Array<[string, FlagSpec]>) {
    const def = spec.default === undefined || spec.default === '' ? '' : ` (default: ${spec.default})`;
    lines.push(`  --${name}=VALUE`.padEnd(48) + spec.help + def);
  }
  return lines.join('\n');
}
