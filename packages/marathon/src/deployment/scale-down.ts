// Which instances go when an app shrinks (ScaleApplication, reference §4.2): the ones the caller
// named, then whatever evens out GROUP_BY spreads, then by state (unreachable, staging, starting,
// running, other), ties broken by killSelection.

export interface ScaleInstance {
  readonly id: string;
  readonly state: string;
  readonly stagedAt: number;
  /** hostname and attribute values as constraints compare them. */
  readonly fields: Readonly<Record<string, string>>;
}

const STATE_RANK: Readonly<Record<string, number>> = {
  TASK_UNREACHABLE: 0, TASK_LOST: 0, TASK_STAGING: 1, TASK_STARTING: 2, TASK_RUNNING: 3,
};

export function selectScaleDownVictims(
  instances: readonly ScaleInstance[],
  count: number,
  opts: { killSelection: 'YOUNGEST_FIRST' | 'OLDEST_FIRST'; constraints: ReadonlyArray<readonly string[]>; requested?: readonly string[] },
): string[] {
  const requested = new Set(opts.requested ?? []);
  const groupBy = opts.constraints.filter((c) => c[1] === 'GROUP_BY').map((c) => c[0]!);
  const left = [...instances];
  const victims: string[] = [];
  const order = (a: ScaleInstance, b: ScaleInstance): number =>
    (STATE_RANK[a.state] ?? 4) - (STATE_RANK[b.state] ?? 4) ||
    (opts.killSelection === 'YOUNGEST_FIRST' ? b.stagedAt - a.stagedAt : a.stagedAt - b.stagedAt) ||
    (a.id < b.id ? -1 : 1);
  while (victims.length < count && left.length > 0) {
    let pool = left.filter((i) => requested.has(i.id));
    if (pool.length === 0 && groupBy.length > 0) {
      // The value holding the most instances gives one up first.
      const field = groupBy[0]!;
      const sizes = new Map<string, number>();
      for (const i of left) sizes.set(i.fields[field] ?? '', (sizes.get(i.fields[field] ?? '') ?? 0) + 1);
      const most = Math.max(...sizes.values());
      pool = left.filter((i) => sizes.get(i.fields[field] ?? '') === most);
    }
    if (pool.length === 0) pool = left;
    const victim = [...pool].sort(order)[0]!;
    victims.push(victim.id);
    left.splice(left.indexOf(victim), 1);
  }
  return victims;
}
