// An app's HAPROXY_* labels for one service port (marathon-lb's labels, discovery.md B.3). Every
// value that reaches haproxy.cfg is checked here, so a label can never add a line or a keyword of
// its own. Tepui's rule: what it accepts it does. A label it does not implement (AUTH, REDIR,
// template overrides, zdd's DEPLOYMENT_*) excludes the port or app instead of being ignored.
import type { ServiceMode } from '../model/service';

/** What the labels of service port `n` ask for; unset labels stay undefined (the caller defaults). */
export interface PortLabels {
  readonly enabled: boolean;
  readonly vhosts: readonly string[];
  readonly mode?: ServiceMode;
  readonly balance?: string;
  readonly path?: string;
  readonly backendWeight?: number;
  readonly port?: number;
  readonly bindAddress?: string;
  readonly bindOptions?: string;
  readonly sslCert?: string;
  readonly sticky: boolean;
  readonly redirectToHttps: boolean;
  readonly useHsts: boolean;
  readonly proxyPassPath?: string;
}

export type LabelResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly string[] };

type Labels = Readonly<Record<string, string>>;

/** HAPROXY_{n}_GROUP if set, else the app's HAPROXY_GROUP; both are comma lists. */
export function groupsForPort(labels: Labels, n: number): string[] {
  const raw = labels[`HAPROXY_${n}_GROUP`] ?? labels.HAPROXY_GROUP ?? '';
  return raw.split(',').map((g) => g.trim()).filter((g) => g !== '');
}

/** HAPROXY_{n}_ENABLED is set at all (strict mode selects only ports that carry it). */
export function hasEnabledLabel(labels: Labels, n: number): boolean {
  return labels[`HAPROXY_${n}_ENABLED`] !== undefined;
}

/** Parses every HAPROXY_{n}_* label of port `n`; refuses the ones Tepui does not implement. */
export function parsePortLabels(labels: Labels, n: number): LabelResult<PortLabels> {
  const errors: string[] = [];
  const read = <T>(suffix: PortLabelSuffix, parse: (raw: string) => T | Problem): T | undefined => {
    const label = `HAPROXY_${n}_${suffix}`;
    const raw = labels[label];
    if (raw === undefined) return undefined;
    const value = CONTROL_CHARACTER.test(raw) ? new Problem('contains a line break or control character') : parse(raw);
    if (value instanceof Problem) {
      errors.push(`${label}: ${value.message}`);
      return undefined;
    }
    return value;
  };
  const parsed: PortLabels = {
    enabled: read('ENABLED', parseBool) ?? false,
    vhosts: read('VHOST', parseVhosts) ?? [],
    mode: read('MODE', parseMode),
    balance: read('BALANCE', parseBalance),
    path: read('PATH', parsePath),
    backendWeight: read('BACKEND_WEIGHT', parseWeight),
    port: read('PORT', parsePort),
    bindAddress: read('BIND_ADDR', parseBindAddress),
    bindOptions: read('BIND_OPTIONS', parseBindOptions),
    sslCert: read('SSL_CERT', parseFileName),
    sticky: read('STICKY', parseBool) ?? false,
    redirectToHttps: read('REDIRECT_TO_HTTPS', parseBool) ?? false,
    useHsts: read('USE_HSTS', parseBool) ?? false,
    proxyPassPath: read('HTTP_BACKEND_PROXYPASS_PATH', parseProxyPassPath),
  };
  for (const label of Object.keys(labels).sort()) {
    const match = PORT_LABEL.exec(label);
    if (match && Number(match[1]) === n && !(PORT_LABEL_SUFFIXES as readonly string[]).includes(match[2])) errors.push(unsupported(label));
  }
  // marathon-lb emits these only inside vhost rules; without a vhost they would do nothing.
  const needVhost: Array<[PortLabelSuffix, boolean]> = [
    ['PATH', parsed.path !== undefined], ['REDIRECT_TO_HTTPS', parsed.redirectToHttps],
    ['HTTP_BACKEND_PROXYPASS_PATH', parsed.proxyPassPath !== undefined],
  ];
  for (const [suffix, used] of needVhost) {
    if (used && parsed.vhosts.length === 0) errors.push(`HAPROXY_${n}_${suffix} needs HAPROXY_${n}_VHOST`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: parsed };
}

/**
 * What port `n` asks for that HAProxy does only in http mode. HAProxy accepts these in a tcp
 * proxy with a warning and then ignores them (cookie, L7 hashing) or refuses the file (a tcp
 * backend behind the http vhost frontends); Tepui refuses the port instead.
 */
export function httpOnlyLabelErrors(parsed: PortLabels, mode: ServiceMode, n: number): string[] {
  if (mode === 'http') return [];
  const uses: Array<[PortLabelSuffix, boolean]> = [
    ['VHOST', parsed.vhosts.length > 0], ['STICKY', parsed.sticky], ['USE_HSTS', parsed.useHsts],
    ['HTTP_BACKEND_PROXYPASS_PATH', parsed.proxyPassPath !== undefined],
    ['BALANCE', parsed.balance !== undefined && HTTP_ONLY_BALANCE.test(parsed.balance)],
  ];
  const why = parsed.mode === 'tcp' ? `HAPROXY_${n}_MODE is tcp` : `set HAPROXY_${n}_MODE=http`;
  return uses.filter(([, used]) => used).map(([suffix]) => `HAPROXY_${n}_${suffix} needs http mode (${why})`);
}

/**
 * App-level HAPROXY_* labels Tepui does not implement, and port labels naming a port index the
 * app does not have (a label that can apply to nothing is a mistake worth reporting).
 */
export function appLabelErrors(labels: Labels, servicePortCount: number): string[] {
  const errors: string[] = [];
  for (const label of Object.keys(labels).sort()) {
    if (!label.startsWith('HAPROXY_') || label === 'HAPROXY_GROUP') continue;
    const match = PORT_LABEL.exec(label);
    if (!match) errors.push(unsupported(label));
    else if (Number(match[1]) >= servicePortCount) {
      errors.push(`${label} names port index ${match[1]}, but the app has ${servicePortCount} service port(s)`);
    }
  }
  return errors;
}

const PORT_LABEL_SUFFIXES = [
  'GROUP', 'ENABLED', 'VHOST', 'MODE', 'BALANCE', 'PATH', 'BACKEND_WEIGHT', 'PORT', 'BIND_ADDR', 'BIND_OPTIONS',
  'SSL_CERT', 'STICKY', 'REDIRECT_TO_HTTPS', 'USE_HSTS', 'HTTP_BACKEND_PROXYPASS_PATH',
] as const;
type PortLabelSuffix = (typeof PORT_LABEL_SUFFIXES)[number];

const PORT_LABEL = /^HAPROXY_(\d+)_(.+)$/;
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;
/** A single config word: no whitespace, comment, quote or escape that HAProxy's parser would act on. */
const WORD = /^[^\s#'"\\]+$/;

const unsupported = (label: string): string => `${label} is not supported by Tepui's load balancer`;

class Problem {
  constructor(readonly message: string) {}
}

function parseBool(raw: string): boolean | Problem {
  const value = raw.trim().toLowerCase();
  if (['true', 't', 'yes', 'y'].includes(value)) return true;
  if (['false', 'f', 'no', 'n'].includes(value)) return false;
  return new Problem(`expected true/t/yes/y or false/f/no/n, got "${raw}"`);
}

const HOST_NAME = /^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?(:\d{1,5})?$/;

function parseVhosts(raw: string): string[] | Problem {
  const vhosts = raw.split(',').map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  const bad = vhosts.find((v) => !HOST_NAME.test(v));
  return bad === undefined ? vhosts : new Problem(`"${bad}" is not a host name`);
}

function parseMode(raw: string): ServiceMode | Problem {
  const mode = raw.trim().toLowerCase();
  return mode === 'tcp' || mode === 'http' ? mode : new Problem(`mode must be tcp or http, got "${raw}"`);
}

// HAProxy 2.6's algorithms, with the argument forms its manual documents (a conservative subset).
const NAME_ARG = '[A-Za-z0-9_.-]+';
const BALANCE = new RegExp(
  '^(roundrobin|static-rr|leastconn|first|source|random(\\(\\d+\\))?|rdp-cookie(\\(' + NAME_ARG + '\\))?' +
    '|uri( (whole|path-only|len \\d+|depth \\d+))*' +
    '|url_param ' + NAME_ARG + '( check_post( \\d+)?)?( max_wait \\d+)?' +
    '|hdr\\(' + NAME_ARG + '\\)( use_domain_only)?)$',
);
const HTTP_ONLY_BALANCE = /^(uri|url_param|hdr\()/;

function parseBalance(raw: string): string | Problem {
  const balance = raw.trim().replace(/\s+/g, ' ');
  return BALANCE.test(balance) ? balance : new Problem(`unknown balance algorithm "${raw}"`);
}

const PATH_PREFIX = /^\/[A-Za-z0-9._~!&*+,;=:@%/-]*$/;

/** A `path_beg` argument: one or more prefixes, optionally led by `-i` (case-insensitive). */
function parsePath(raw: string): string | Problem {
  const words = raw.trim().split(/\s+/);
  const ok = words.every((w, i) => PATH_PREFIX.test(w) || (w === '-i' && i === 0 && words.length > 1));
  return ok ? words.join(' ') : new Problem(`"${raw}" is not a path prefix list (/prefix ..., optionally led by -i)`);
}

function parseWeight(raw: string): number | Problem {
  const value = raw.trim();
  return /^-?\d{1,6}$/.test(value) ? Number(value) : new Problem(`"${raw}" is not an integer`);
}

function parsePort(raw: string): number | Problem {
  const value = raw.trim();
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  return port >= 1 && port <= 65535 ? port : new Problem(`"${raw}" is not a port (an integer 1..65535)`);
}

function parseBindAddress(raw: string): string | Problem {
  const value = raw.trim();
  return /^(\*|[0-9A-Za-z.:_-]+)$/.test(value) ? value : new Problem(`"${raw}" is not a bind address`);
}

function parseBindOptions(raw: string): string | Problem {
  const value = raw.trim().replace(/\s+/g, ' ');
  return /^[^#'"\\]*$/.test(value) ? value : new Problem(`"${raw}" contains a comment, quote or backslash`);
}

function parseFileName(raw: string): string | Problem {
  const value = raw.trim();
  return WORD.test(value) ? value : new Problem(`"${raw}" is not a single file name (no spaces, #, quotes or backslashes)`);
}

function parseProxyPassPath(raw: string): string | Problem {
  const value = raw.trim();
  // It becomes part of a regular expression; only plain path characters are let in.
  return /^\/[A-Za-z0-9._~%/-]*$/.test(value) ? value : new Problem(`"${raw}" is not a plain path (/a/b)`);
}
