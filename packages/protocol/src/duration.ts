// Mesos duration strings (`5secs`, `100ms`, `2mins`, `1.5hrs`, `15ns`…) as used by flags and
// executor environment variables. Parsed once at the edge into milliseconds.

const UNITS_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  secs: 1000,
  mins: 60_000,
  hrs: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

export class InvalidDurationError extends Error {
  constructor(readonly text: string) {
    super(`Invalid duration '${text}': expected a number followed by one of ${Object.keys(UNITS_MS).join(', ')}`);
    this.name = 'InvalidDurationError';
  }
}

export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/.exec(text);
  const unit = match?.[2];
  const scale = unit === undefined ? undefined : UNITS_MS[unit];
  if (!match || scale === undefined) throw new InvalidDurationError(text);
  return Number(match[1]) * scale;
}

/** The shortest exact Mesos spelling of a duration, e.g. 5000 → `5secs`, 1500 → `1500ms`. */
export function formatDuration(ms: number): string {
  for (const unit of ['weeks', 'days', 'hrs', 'mins', 'secs'] as const) {
    const scale = UNITS_MS[unit]!;
    if (ms >= scale && ms % scale === 0) return `${ms / scale}${unit}`;
  }
  return `${ms}ms`;
}
