import type { Resources } from '@tepui/protocol';

// The denominator of every dominant share: the scalar quantities of all agents' totals, by name.
// One instance is shared by the role sorter and every per-role framework sorter (as in Mesos, each
// framework sorter's total is the whole cluster), so adding an agent is one update, not one per role.
// Sorters compare `version` with the one they last saw and recompute shares lazily.

export class ClusterTotals {
  private readonly totals = new Map<string, number>();
  private readonly excluded: ReadonlySet<string>;
  private changes = 0;

  /** `excludedNames` mirrors Mesos' --fair_sharing_excluded_resource_names (e.g. gpus). */
  constructor(excludedNames: Iterable<string> = []) {
    this.excluded = new Set(excludedNames);
  }

  /** Bumped whenever any total changes; sorters use it to notice that shares are stale. */
  get version(): number {
    return this.changes;
  }

  add(resources: Resources): void {
    this.apply(resources, 1);
  }

  remove(resources: Resources): void {
    this.apply(resources, -1);
  }

  /** The total of `name`, or 0 when unknown or excluded from fair sharing. */
  get(name: string): number {
    return this.totals.get(name) ?? 0;
  }

  /** Dominant share of an allocation: max over counted names of allocated / total. */
  shareOf(allocated: ReadonlyMap<string, number>): number {
    let share = 0;
    for (const [name, quantity] of allocated) {
      const total = this.totals.get(name);
      // Totals ≤ 0 are skipped, as in Mesos' DRFSorter::calculateShare.
      if (total === undefined || total <= 0) continue;
      const ratio = quantity / total;
      if (ratio > share) share = ratio;
    }
    return share;
  }

  private apply(resources: Resources, sign: 1 | -1): void {
    let touched = false;
    for (const [name, quantity] of resources.scalars()) {
      if (this.excluded.has(name)) continue;
      const next = (this.totals.get(name) ?? 0) + sign * quantity;
      if (Math.abs(next) < 1e-9) this.totals.delete(name);
      else this.totals.set(name, next);
      touched = true;
    }
    if (touched) this.changes++;
  }
}
