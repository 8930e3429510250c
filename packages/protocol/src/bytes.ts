// Mesos byte sizes (`2GB`, `512MB`, `100B`…) as flags spell them. Parsed once at the edge.

const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
};

export class InvalidBytesError extends Error {
  constructor(readonly text: string) {
    super(`Invalid bytes '${text}': expected a whole number followed by one of ${Object.keys(UNITS).join(', ')}`);
    this.name = 'InvalidBytesError';
  }
}

export function parseBytes(text: string): number {
  const match = /^\s*(\d+)\s*([KMGT]?B)\s*$/.exec(text);
  const scale = match ? UNITS[match[2]!] : undefined;
  if (!match || scale === undefined) throw new InvalidBytesError(text);
  return Number(match[1]) * scale;
}

/** The largest exact Mesos spelling, e.g. 2147483648 → `2GB`, 1536 → `1536B`. */
export function formatBytes(bytes: number): string {
  for (const unit of ['TB', 'GB', 'MB', 'KB'] as const) {
    const scale = UNITS[unit]!;
    if (bytes >= scale && bytes % scale === 0) return `${bytes / scale}${unit}`;
  }
  return `${bytes}B`;
}
