// Tepui-DNS' command line, as Mesos-DNS' (Go flags: `-config`, `-version`, `-v=N`, one dash or two)
// plus an override flag for every config key (`--port=8053`, `--masters=a:5050,b:5050`).
import { existsSync, readFileSync } from 'node:fs';
import { FlagError, parseFlagArgv } from '@tepui/protocol';
import type { DnsConfig } from './dns-config';
import { CONFIG_FLAG_NAMES, DnsConfigError, loadDnsConfig } from './load-config';

export type CommandLine =
  | { readonly printVersion: true }
  | {
    readonly printVersion: false;
    readonly config: DnsConfig;
    /** Where the configuration came from (for the startup log). */
    readonly configFile?: string;
    readonly logLevel: string;
  };

const OWN_FLAGS = ['config', 'version', 'v', 'log_level'];
const VERBOSITY = ['info', 'debug', 'trace'];

/** Parses argv; throws DnsConfigError naming the flag, the file or the key that is wrong. */
export function parseCommandLine(argv: readonly string[], cwd: string = process.cwd()): CommandLine {
  // Go's flag package takes `-name` and `--name` alike.
  const normalised = argv.map((a) => (/^-[^-]/.test(a) ? `-${a}` : a));
  let flags: Map<string, string>;
  try {
    flags = parseFlagArgv(normalised, new Set([...OWN_FLAGS, ...CONFIG_FLAG_NAMES]));
  } catch (err) {
    throw new DnsConfigError(err instanceof FlagError ? err.message : String(err));
  }
  if (flags.get('version') === 'true') return { printVersion: true };
  const explicit = flags.get('config');
  const configFile = explicit ?? (existsSync(`${cwd}/config.json`) ? `${cwd}/config.json` : undefined);
  let file: unknown;
  if (configFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(configFile, 'utf8');
    } catch (err) {
      throw new DnsConfigError(`cannot read the config file ${configFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    try {
      file = JSON.parse(text);
    } catch (err) {
      throw new DnsConfigError(`the config file ${configFile} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const overrides = new Map([...flags].filter(([name]) => !OWN_FLAGS.includes(name)));
  const verbosity = flags.get('v');
  if (verbosity !== undefined && !/^[0-2]$/.test(verbosity)) throw new DnsConfigError(`-v: expected 0, 1 or 2, got "${verbosity}"`);
  const logLevel = flags.get('log_level') ?? VERBOSITY[Number(verbosity ?? 0)]!;
  return { printVersion: false, config: loadDnsConfig(file, overrides), ...(configFile ? { configFile } : {}), logLevel };
}
