// Which instances go when an app shrinks (ScaleApplication, reference §4.2): the ones the caller
// named, then whatever evens out GROUP_BY spreads, then by state (unreachable, staging, starting,
// running, other), ties broken by killSelection.

export interface ScaleInstance {
  readonly id: string;
  /** Mesos task state of the instance, e.g. TASK_RUNNING. */
  readonly state: string;
  readonly stagedAt: number;
  /** hostname and attribute values as constraints compare them. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface ScaleDownOptions {
  readonly killSelection: 'YOUNGEST_FIRST' | 'OLDEST_FIRST';
  readonly constraints: ReadonlyArray<readonly string[]>;
  /** Instance ids the caller asked to kill; they go first. */
  readonly requested?: readonly string[];
}

// Marathon reads TASK_LOST as the Unreachable condition: both go before anything that may serve.
const STATE_RANK: Readonly<Record<string, number>> = {
  TASK_UNREACHABLE: 0, TASK_LOST: 0, TASK_STAGING: 1, TASK_STARTING: 2, TASK_RUNNING: 3,
};
const OTHER_RANK = 4;

/** The instances in a largest group of each GROUP_BY field in turn: removing one evens out the spread. */
function evenOut(left: readonly ScaleInstance[], fields: readonly string[]): ScaleInstance[] {
  let candidates = [...left];
  for (const field of fields) {
    const sizes = new Map<string, number>();
    for (const i of left) sizes.set(i.fields[field] ?? '', (sizes.get(i.fields[field] ?? '') ?? 0) + 1);
    const sizeOf = (i: ScaleInstance): number => sizes.get(i.fields[field] ?? '') ?? 0;
    const largest = Math.max(...candidates.map(sizeOf));
    candidates = candidates.filter((i) => sizeOf(i) === largest);
  }
  return candidates;
}

export function selectScaleDownVictims(instances: readonly ScaleInstance[], count: number, opts: ScaleDownOptions): string[] {
  const requested = new Set(opts.requested ?? []);
  const groupBy = opts.constraints.filter((c) => c[1] === 'GROUP_BY' && c[0] !== undefined).map((c) => c[0] ?? '');
  const youngestFirst = opts.killSelection === 'YOUNGEST_FIRST';
  const order = (a: ScaleInstance, b: ScaleInstance): number =>
    (STATE_RANK[a.state] ?? OTHER_RANK) - (STATE_RANK[b.state] ?? OTHER_RANK) ||
    (youngestFirst ? b.stagedAt - a.stagedAt : a.stagedAt - b.stagedAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // Sorted once: every pool below is a filter of `left` and keeps this order, so its head is the pick.
  const left = [...instances].sort(order);
  const victims: string[] = [];
  while (victims.length < count && left.length > 0) {
    const named = left.filter((i) => requested.has(i.id));
    const pool = named.length > 0 ? named : groupBy.length > 0 ? evenOut(left, groupBy) : left;
    const victim = pool[0] ?? left[0];
    if (!victim) break;
    victims.push(victim.id);
    left.splice(left.indexOf(victim), 1);
  }
  return victims;
}
