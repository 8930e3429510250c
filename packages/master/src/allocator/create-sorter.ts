import type { ClusterTotals } from './cluster-totals';
import { DrfSorter } from './drf-sorter';
import { RandomSorter } from './random-sorter';
import type { Sorter, SorterKind, SorterOptions } from './sorter';

/** --role_sorter / --framework_sorter: `drf` (default) or `random`. */
export function createSorter(
  kind: SorterKind,
  totals: ClusterTotals,
  random: () => number,
  options: SorterOptions,
): Sorter {
  return kind === 'random' ? new RandomSorter(totals, random, options) : new DrfSorter(totals, options);
}
