import type { Resources } from '@tepui/protocol';
import type { MinAllocatable } from './allocator-types';

/** Mesos' --min_allocatable_resources default, `cpus:0.01|mem:32`. */
export const DEFAULT_MIN_ALLOCATABLE: MinAllocatable = [new Map([['cpus', 0.01]]), new Map([['mem', 32]])];

// Scalars are sums of floats; a candidate of exactly the minimum must still count.
const EPSILON = 1e-9;

/** Whether `candidate` is worth offering: it holds at least one of the quantity sets in full. */
export function isAllocatable(candidate: Resources, minimums: MinAllocatable): boolean {
  if (candidate.isEmpty()) return false;
  if (minimums.length === 0) return true;
  const scalars = candidate.scalars();
  for (const quantities of minimums) {
    let satisfied = true;
    for (const [name, minimum] of quantities) {
      if ((scalars.get(name) ?? 0) + EPSILON < minimum) {
        satisfied = false;
        break;
      }
    }
    if (satisfied) return true;
  }
  return false;
}
