// Command-line flags in Mesos' syntax (`--name=value`, `--name value`, `--no-name`), shared by
// every Tepui binary so each accepts the same spellings the real components do.

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

/** Parses argv against the known flag names; unknown flags are an error, as in Mesos. */
export function parseFlagArgv(argv: readonly string[], known: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new FlagError(`Unexpected argument '${arg}'`);
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    let name = eq >= 0 ? body.slice(0, eq) : body;
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (value === undefined && name.startsWith('no-') && known.has(name.slice(3))) {
      name = name.slice(3);
      value = 'false';
    }
    if (!known.has(name)) throw new FlagError(`Failed to load unknown flag '${name}'`);
    if (value === undefined) {
      const next = argv[i + 1];
      value = next === undefined || next.startsWith('--') ? 'true' : argv[++i]!;
    }
    out.set(name, value);
  }
  return out;
}

export interface FlagDefault {
  readonly default?: string;
  readonly help: string;
}

/**
 * Every flag's value, in the precedence all Tepui daemons share: `overrides` (tests) over the
 * command line over the environment (the first of `envNames(flag)` that is set) over the default.
 * Flags with no value anywhere are absent. Throws FlagError for a malformed command line.
 */
export function resolveFlags<N extends string>(
  specs: Readonly<Record<N, FlagDefault>>,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  envNames: (flag: N) => readonly string[],
  overrides: Partial<Record<N, string>> = {},
): Map<N, string> {
  const names = Object.keys(specs) as N[];
  const given = parseFlagArgv(argv, new Set<string>(names));
  const flags = new Map<N, string>();
  for (const name of names) {
    const fromEnv = envNames(name).map((e) => env[e]).find((v) => v !== undefined);
    const value = overrides[name] ?? given.get(name) ?? fromEnv ?? specs[name].default;
    if (value !== undefined) flags.set(name, value);
  }
  return flags;
}
