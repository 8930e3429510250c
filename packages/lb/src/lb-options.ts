// The generator's command line: marathon-lb's flags where they mean the same thing
// (`--marathon`, `--group`, `--strict-mode`, `--ssl-certs`, `--sse`, `--health-check`), Tepui's
// own for where HAProxy runs and which ports its shared frontends take. An unknown flag or a bad
// value stops startup with a message naming it.
import { parseArgs } from 'node:util';
import type { LbSettings } from './model/service';

export interface LbOptions {
  readonly marathon: readonly string[];
  readonly settings: LbSettings;
  /** Where haproxy.cfg, the sockets and the pid file live. */
  readonly haproxyDir: string;
  readonly haproxyBin: string;
  readonly apiAddress: string;
  readonly apiPort: number;
  readonly resyncSeconds: number;
  readonly stallTimeoutSeconds: number;
  readonly logLevel: string;
}

export class LbOptionsError extends Error {}

const FLAGS = {
  marathon: { type: 'string', multiple: true },
  group: { type: 'string', multiple: true },
  'strict-mode': { type: 'boolean' },
  'ssl-certs': { type: 'string' },
  // marathon-lb's modes: Tepui always follows the event stream and always gates on health.
  sse: { type: 'boolean' },
  'health-check': { type: 'boolean' },
  'haproxy-dir': { type: 'string' },
  'haproxy-bin': { type: 'string' },
  'bind-address': { type: 'string' },
  'http-port': { type: 'string' },
  'https-port': { type: 'string' },
  'app-id-port': { type: 'string' },
  'stats-port': { type: 'string' },
  'max-conn': { type: 'string' },
  nbthread: { type: 'string' },
  'hard-stop-after': { type: 'string' },
  'haproxy-log': { type: 'string' },
  'api-address': { type: 'string' },
  'api-port': { type: 'string' },
  'resync-seconds': { type: 'string' },
  'stall-timeout-seconds': { type: 'string' },
  'log-level': { type: 'string' },
} as const;

function threads(raw: string | undefined): number {
  const n = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 256) throw new LbOptionsError(`--nbthread: "${String(raw)}" is not a thread count`);
  return n;
}

export function parseLbOptions(argv: readonly string[]): LbOptions {
  let values;
  try {
    values = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new LbOptionsError(err instanceof Error ? err.message : String(err));
  }
  const marathon = (values.marathon ?? []).flatMap((m) => m.split(',')).map((m) => m.trim()).filter((m) => m !== '');
  if (marathon.length === 0) throw new LbOptionsError('--marathon: at least one Marathon URL is required');
  for (const url of marathon) {
    if (!/^https?:\/\/[^/]+/.test(url)) throw new LbOptionsError(`--marathon: "${url}" is not an http(s) URL`);
  }
  const groups = (values.group ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter((g) => g !== '');
  if (groups.length === 0) throw new LbOptionsError("--group: at least one HAPROXY_GROUP is required ('*' for every app)");
  const port = (flag: keyof typeof FLAGS, fallback: number, allowZero = false) => {
    const raw = values[flag];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) throw new LbOptionsError(`--${flag}: "${String(raw)}" is not a port`);
    return n;
  };
  const positive = (flag: keyof typeof FLAGS, fallback: number) => {
    const raw = values[flag];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new LbOptionsError(`--${flag}: "${String(raw)}" is not a positive number`);
    return n;
  };
  const bindAddress = values['bind-address'] ?? '*';
  if (!/^(\*|[0-9.]+|\[?[0-9a-fA-F:]+\]?)$/.test(bindAddress)) throw new LbOptionsError(`--bind-address: "${bindAddress}" is not an address`);
  const haproxyDir = values['haproxy-dir'] ?? '/var/run/tepui-lb';
  const logLevel = values['log-level'] ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new LbOptionsError(`--log-level: unknown level "${logLevel}"`);
  return {
    marathon,
    settings: {
      groups,
      strictMode: values['strict-mode'] ?? false,
      httpPort: port('http-port', 80),
      httpsPort: port('https-port', 443),
      appIdPort: port('app-id-port', 9091),
      statsPort: port('stats-port', 9090, true),
      bindAddress,
      sslCerts: (values['ssl-certs'] ?? '').split(',').map((c) => c.trim()).filter((c) => c !== ''),
      adminSocket: `${haproxyDir}/admin.sock`,
      maxconn: values['max-conn'] === undefined || values['max-conn'] === '0' ? 0 : positive('max-conn', 0),
      nbthread: threads(values.nbthread),
      hardStopAfterSeconds: positive('hard-stop-after', 30),
      logTarget: values['haproxy-log'] ?? '',
    },
    haproxyDir,
    haproxyBin: values['haproxy-bin'] ?? 'haproxy',
    apiAddress: values['api-address'] ?? '0.0.0.0',
    apiPort: port('api-port', 9095),
    resyncSeconds: positive('resync-seconds', 300),
    stallTimeoutSeconds: positive('stall-timeout-seconds', 30),
    logLevel,
  };
}
