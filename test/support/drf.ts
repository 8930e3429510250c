// The dominant shares a test expects, computed here from the master's own answers the way the
// master's DRF sorter computes them (largest allocated / cluster total over scalar resources,
// totals ≤ 0 and --fair_sharing_excluded_resource_names skipped), independently of the UI's code.

/** The numeric (scalar) fields of a state-JSON resources object. */
export function numbersOf(resources: Record<string, unknown> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(resources ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

interface StateJson {
  flags?: Record<string, string>;
  slaves: Array<{ resources: Record<string, unknown> }>;
}
interface RolesJson { roles: Array<{ name: string; weight: number; allocated: Record<string, number> }> }
interface FrameworksJson { frameworks: Array<{ id: string; used_resources: Record<string, unknown> }> }

export function expectedShares(state: unknown, roles: unknown, frameworks: unknown): { roles: Record<string, { share: number; weight: number }>; frameworks: Record<string, number> } {
  const s = state as StateJson;
  const excluded = (s.flags?.fair_sharing_excluded_resource_names ?? '').split(',').filter(Boolean);
  const totals: Record<string, number> = {};
  for (const agent of s.slaves) for (const [name, v] of Object.entries(numbersOf(agent.resources))) if (!excluded.includes(name)) totals[name] = (totals[name] ?? 0) + v;
  const share = (held: Record<string, number>): number =>
    Math.max(0, ...Object.entries(held).filter(([n]) => (totals[n] ?? 0) > 0).map(([n, v]) => v / totals[n]!));
  return {
    roles: Object.fromEntries((roles as RolesJson).roles.map((r) => [r.name, { share: share(r.allocated), weight: r.weight }])),
    frameworks: Object.fromEntries((frameworks as FrameworksJson).frameworks.map((f) => [f.id, share(numbersOf(f.used_resources))])),
  };
}
