import { Resources } from '@tepui/protocol';
import type { Resource } from '@tepui/protocol';

// Builds Resources from Mesos' --resources text for tests and the benchmark:
// `cpus:4;mem:1024;ports:[31000-32000]`, with `name(role)` for a static reservation
// (`cpus(eng):2`) and a `~` prefix for revocable (`~cpus:1`). Not a full parser: no sets, no JSON.

export function resources(text: string): Resources {
  return Resources.of(text.split(';').filter((part) => part.trim() !== '').map(parseEntry));
}

/** Allocated form of `resources(text)` for `role`. */
export function allocatedResources(text: string, role: string): Resources {
  return resources(text).allocate(role);
}

function parseEntry(part: string): Resource {
  const match = /^\s*(~?)([a-z_]+)(?:\(([^)]+)\))?:(.+)$/.exec(part);
  if (match === null) throw new Error(`cannot parse resource '${part}'`);
  const [, revocableMark, name, role, value] = match;
  const reservation = role !== undefined && role !== '*' ? { reservations: [{ type: 'STATIC' as const, role }] } : {};
  const revocable = revocableMark === '~' ? { revocable: {} } : {};
  if (value.startsWith('[')) {
    const range = value
      .slice(1, -1)
      .split(',')
      .map((span) => {
        const [begin, end] = span.split('-').map((n) => Number(n.trim()));
        return { begin, end };
      });
    return { name, type: 'RANGES', ranges: { range }, ...reservation, ...revocable };
  }
  return { name, type: 'SCALAR', scalar: { value: Number(value) }, ...reservation, ...revocable };
}
