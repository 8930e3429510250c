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
