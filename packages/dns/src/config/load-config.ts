// Reads Mesos-DNS' config.json (keys are case-insensitive, as Mesos-DNS reads them) and command-line
// overrides of the same keys. Anything it cannot act on stops startup with the key named: an unknown
// key, a bad value, or a Mesos-DNS feature Tepui does not implement yet (TLS or authentication to the
// master, zone resolvers).
import { parseZkUrl } from '@tepui/coordination';
import { splitHostPort } from '../records/ip-addresses';
import { DEFAULT_DNS_CONFIG, type DnsConfig, type IpSource } from './dns-config';
import { parseResolverAddress } from './resolver-address';

export class DnsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DnsConfigError';
  }
}

type Kind = 'string' | 'integer' | 'port' | 'boolean' | 'strings';

interface KeySpec {
  /** The spelling Mesos-DNS documents (matching is case-insensitive). */
  readonly key: string;
  readonly field: keyof DnsConfig;
  readonly kind: Kind;
  /** The smallest allowed integer. */
  readonly min?: number;
}

const KEYS: readonly KeySpec[] = [
  { key: 'zk', field: 'zk', kind: 'string' },
  { key: 'zkDetectionTimeout', field: 'zkDetectionTimeout', kind: 'integer', min: 0 },
  { key: 'masters', field: 'masters', kind: 'strings' },
  { key: 'refreshSeconds', field: 'refreshSeconds', kind: 'integer', min: 1 },
  { key: 'stateTimeoutSeconds', field: 'stateTimeoutSeconds', kind: 'integer', min: 1 },
  { key: 'ttl', field: 'ttl', kind: 'integer', min: 0 },
  { key: 'srvRecordDefaultWeight', field: 'srvRecordDefaultWeight', kind: 'integer', min: 0 },
  { key: 'domain', field: 'domain', kind: 'string' },
  { key: 'port', field: 'port', kind: 'port' },
  { key: 'listener', field: 'listener', kind: 'string' },
  { key: 'httpListener', field: 'httpListener', kind: 'string' },
  { key: 'httpport', field: 'httpPort', kind: 'port' },
  { key: 'dnson', field: 'dnsOn', kind: 'boolean' },
  { key: 'httpon', field: 'httpOn', kind: 'boolean' },
  { key: 'externalon', field: 'externalOn', kind: 'boolean' },
  { key: 'resolvers', field: 'resolvers', kind: 'strings' },
  { key: 'timeout', field: 'timeout', kind: 'integer', min: 1 },
  { key: 'recurseon', field: 'recurseOn', kind: 'boolean' },
  { key: 'enforceRFC952', field: 'enforceRFC952', kind: 'boolean' },
  { key: 'SetTruncateBit', field: 'setTruncateBit', kind: 'boolean' },
  { key: 'EnumerationOn', field: 'enumerationOn', kind: 'boolean' },
  { key: 'IPSources', field: 'ipSources', kind: 'strings' },
  { key: 'SOAMname', field: 'soaMname', kind: 'string' },
  { key: 'SOARname', field: 'soaRname', kind: 'string' },
  { key: 'SOARefresh', field: 'soaRefresh', kind: 'integer', min: 0 },
  { key: 'SOARetry', field: 'soaRetry', kind: 'integer', min: 0 },
  { key: 'SOAExpire', field: 'soaExpire', kind: 'integer', min: 0 },
  { key: 'SOAMinttl', field: 'soaMinttl', kind: 'integer', min: 0 },
  { key: 'healthAware', field: 'healthAware', kind: 'boolean' },
  { key: 'requireHealthy', field: 'requireHealthy', kind: 'boolean' },
  { key: 'perPortSRV', field: 'perPortSrv', kind: 'boolean' },
  { key: 'PTROn', field: 'ptrOn', kind: 'boolean' },
];

/** Mesos-DNS keys Tepui-DNS knows but cannot act on yet: accepted only at their "off" value. */
const NOT_YET: ReadonlyArray<{ key: string; off: (v: unknown) => boolean; why: string }> = [
  { key: 'mesosHTTPSOn', off: (v) => v === false, why: 'TLS to the master is not supported yet' },
  { key: 'CACertFile', off: (v) => v === '', why: 'TLS to the master is not supported yet' },
  { key: 'CertFile', off: (v) => v === '', why: 'TLS to the master is not supported yet' },
  { key: 'KeyFile', off: (v) => v === '', why: 'TLS to the master is not supported yet' },
  { key: 'mesosAuthentication', off: (v) => v === '', why: 'authentication to the master is not supported yet' },
  { key: 'mesosCredentials', off: (v) => isEmptyCredentials(v), why: 'authentication to the master is not supported yet' },
  { key: 'IAMConfigFile', off: (v) => v === '', why: 'IAM authentication is not supported yet' },
  { key: 'zoneResolvers', off: (v) => isPlainObject(v) && Object.keys(v).length === 0, why: 'per-zone resolvers are not supported yet' },
];

const SPEC_BY_NAME = new Map(KEYS.map((k) => [k.key.toLowerCase(), k]));
const NOT_YET_BY_NAME = new Map(NOT_YET.map((k) => [k.key.toLowerCase(), k]));
const IP_SOURCES: readonly IpSource[] = ['host', 'mesos', 'docker', 'netinfo'];
const DOMAIN = /^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*$/;

/** The key names flags may override (`--domain=…`), lower case. */
export const CONFIG_FLAG_NAMES: readonly string[] = KEYS.map((k) => k.key.toLowerCase());

/**
 * The configuration from a parsed config.json (`file`, may be undefined) and flag overrides (lower-case
 * key → text, as the command line gives them). Throws DnsConfigError naming the offending key.
 */
export function loadDnsConfig(file: unknown, flags: ReadonlyMap<string, string> = new Map()): DnsConfig {
  if (file !== undefined && !isPlainObject(file)) throw new DnsConfigError('the config file must hold a JSON object');
  const values: Record<string, unknown> = { ...DEFAULT_DNS_CONFIG };
  const seen = new Map<string, string>();
  for (const [rawKey, value] of Object.entries(file ?? {})) {
    const name = rawKey.toLowerCase();
    const earlier = seen.get(name);
    if (earlier !== undefined) throw new DnsConfigError(`config keys "${earlier}" and "${rawKey}" are the same key (keys are case-insensitive)`);
    seen.set(name, rawKey);
    const notYet = NOT_YET_BY_NAME.get(name);
    if (notYet) {
      if (!notYet.off(value)) throw new DnsConfigError(`config key "${rawKey}": ${notYet.why}`);
      continue;
    }
    const spec = SPEC_BY_NAME.get(name);
    if (!spec) throw new DnsConfigError(`unknown config key "${rawKey}"`);
    values[spec.field] = fromJson(spec, rawKey, value);
  }
  for (const [name, text] of flags) {
    const spec = SPEC_BY_NAME.get(name.toLowerCase());
    if (!spec) throw new DnsConfigError(`unknown flag "--${name}"`);
    values[spec.field] = fromText(spec, `--${name}`, text);
  }
  return validate(values as unknown as DnsConfig);
}

function fromJson(spec: KeySpec, key: string, value: unknown): unknown {
  const bad = (expected: string) => new DnsConfigError(`config key "${key}": expected ${expected}, got ${JSON.stringify(value)}`);
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') throw bad('a string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad('true or false');
      return value;
    case 'strings':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw bad('a list of strings');
      return value;
    case 'integer':
    case 'port':
      return integer(spec, key, value);
  }
}

function fromText(spec: KeySpec, flag: string, text: string): unknown {
  switch (spec.kind) {
    case 'string':
      return text;
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new DnsConfigError(`${flag}: expected true or false, got "${text}"`);
      return text === 'true';
    case 'strings':
      return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    case 'integer':
    case 'port':
      return integer(spec, flag, /^-?\d+$/.test(text) ? Number(text) : text);
  }
}

function integer(spec: KeySpec, key: string, value: unknown): number {
  const max = spec.kind === 'port' ? 65535 : Number.MAX_SAFE_INTEGER;
  const min = spec.kind === 'port' ? 0 : (spec.min ?? 0);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = spec.kind === 'port' ? 'a port number (0-65535)' : `an integer ≥ ${min}`;
    throw new DnsConfigError(`${key.startsWith('--') ? key : `config key "${key}"`}: expected ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function validate(c: DnsConfig): DnsConfig {
  if (!DOMAIN.test(c.domain)) throw new DnsConfigError(`config key "domain": "${c.domain}" is not a domain name`);
  if (c.zk === '' && c.masters.length === 0) throw new DnsConfigError('config: "zk" or "masters" is required (where the masters are)');
  if (c.zk !== '') {
    try {
      parseZkUrl(c.zk);
    } catch (err) {
      throw new DnsConfigError(`config key "zk": ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  unique('masters', c.masters, (m) => masterProblem(m));
  unique('resolvers', c.resolvers, resolverProblem);
  if (!c.dnsOn && !c.httpOn) throw new DnsConfigError('config: "dnson" and "httpon" are both false; nothing would be served');
  if (c.ipSources.length === 0) throw new DnsConfigError('config key "IPSources": must name at least one source');
  unique('IPSources', c.ipSources, (s) => IP_SOURCES.includes(s) || `unknown source "${s}" (one of ${IP_SOURCES.join(', ')})`);
  for (const key of ['SOAMname', 'SOARname'] as const) {
    const value = key === 'SOAMname' ? c.soaMname : c.soaRname;
    const name = fqdn(value);
    if (!DOMAIN.test(name)) throw new DnsConfigError(`config key "${key}": "${value}" is not a domain name`);
  }
  return {
    ...c,
    domain: c.domain.toLowerCase(),
    soaMname: fqdn(c.soaMname),
    soaRname: fqdn(c.soaRname),
  };
}

/** Lower case, no trailing dot; Mesos-DNS lets the SOA RNAME be written as a mail address. */
function fqdn(name: string): string {
  return name.replace('@', '.').replace(/\.$/, '').toLowerCase();
}

/** The forwarder parses resolvers the same way, so what is accepted here is what it can use. */
function resolverProblem(entry: string): true | string {
  try {
    parseResolverAddress(entry);
    return true;
  } catch {
    return `"${entry}" is not an IP address, ip:port or [ipv6]:port`;
  }
}

function masterProblem(entry: string): true | string {
  const hostPort = splitHostPort(entry);
  return hostPort && hostPort.host !== '' && hostPort.port <= 65535 ? true : `"${entry}" is not host:port`;
}

function unique<T extends string>(key: string, list: readonly T[], check: (v: T) => true | string): void {
  const seen = new Set<string>();
  for (const v of list) {
    const ok = check(v);
    if (ok !== true) throw new DnsConfigError(`config key "${key}": ${ok}`);
    if (seen.has(v)) throw new DnsConfigError(`config key "${key}": "${v}" is listed twice`);
    seen.add(v);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyCredentials(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  return Object.values(v).every((x) => x === '' || x === undefined);
}
