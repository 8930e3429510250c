import { Resources } from '@tepui/protocol';
import type { Resource } from '@tepui/protocol';
import { splitFrameworkRoleKey } from './framework-state';

// What the allocator knows about one agent. `available` is what is free; `allocations` holds what
// each (framework, role) has on the agent. Both in unallocated form (see allocated-forms.ts).
//
// A framework-role may be offered the agent's unreserved resources plus those reserved to its role
// or an ancestor role (refined reservations), and revocable ones only with the REVOCABLE_RESOURCES
// capability. Those candidate sets are cached per value of `available` (Resources are immutable),
// so an untouched agent costs no resource arithmetic from one cycle to the next, and the
// candidates keep their identity, which the offer filters use to cache their `contains` answers.

interface AvailableParts {
  readonly of: Resources;
  readonly unreserved: Resources;
  readonly unreservedNonRevocable: Resources;
  /** Reserved resources by reservation role; empty on most agents. */
  readonly reservedByRole: ReadonlyMap<string, Resources>;
  readonly candidates: Map<string, Resources>;
}

export class AgentState {
  available: Resources;
  readonly allocations = new Map<string, Resources>();
  active = true;
  // Idle memo: the last cycle offered nothing here with this `available`, at this allocator epoch
  // and this count of filter removals (see HierarchicalAllocator.allocate).
  idleAvailable: Resources | undefined;
  idleEpoch = -1;
  idleFilterRemovals = -1;
  private parts: AvailableParts | undefined;
  private currentTotal: Resources;
  /** The total has no reserved and no revocable resources: every candidate is all of `available`. */
  private plain: boolean;

  constructor(
    readonly id: string,
    readonly hostname: string,
    total: Resources,
    readonly multiRole: boolean,
  ) {
    this.currentTotal = total;
    this.plain = isPlain(total);
    this.available = total;
  }

  get total(): Resources {
    return this.currentTotal;
  }

  set total(total: Resources) {
    this.currentTotal = total;
    this.plain = isPlain(total);
  }

  /** What a framework-role may be offered here now (unallocated form). */
  candidateFor(role: string, revocable: boolean): Resources {
    if (this.plain) return this.available;
    const parts = this.currentParts();
    const base = revocable ? parts.unreserved : parts.unreservedNonRevocable;
    if (parts.reservedByRole.size === 0) return base;
    const key = revocable ? `r:${role}` : `n:${role}`;
    let candidate = parts.candidates.get(key);
    if (candidate === undefined) {
      candidate = base;
      for (let r: string | undefined = role; r !== undefined; r = parentRole(r)) {
        const reserved = parts.reservedByRole.get(r);
        if (reserved !== undefined) candidate = candidate.plus(revocable ? reserved : reserved.nonRevocable());
      }
      parts.candidates.set(key, candidate);
    }
    return candidate;
  }

  /** Everything allocated here, in allocated form (introspection; converts every holding). */
  allocated(): Resources {
    let sum = Resources.EMPTY;
    for (const [key, held] of this.allocations) sum = sum.plus(held.allocate(splitFrameworkRoleKey(key)[1]));
    return sum;
  }

  /** Everything allocated here, unallocated form. */
  allocatedQuantities(): Resources {
    let sum = Resources.EMPTY;
    for (const held of this.allocations.values()) sum = sum.plus(held);
    return sum;
  }

  private currentParts(): AvailableParts {
    if (this.parts !== undefined && this.parts.of === this.available) return this.parts;
    const available = this.available;
    const unreservedList: Resource[] = [];
    const reservedLists = new Map<string, Resource[]>();
    let revocableSeen = false;
    for (const resource of available.toArray()) {
      if (resource.revocable !== undefined) revocableSeen = true;
      const role = Resources.reservationRole(resource);
      if (role === '*') {
        unreservedList.push(resource);
        continue;
      }
      let list = reservedLists.get(role);
      if (list === undefined) reservedLists.set(role, (list = []));
      list.push(resource);
    }
    const unreserved = reservedLists.size === 0 ? available : Resources.of(unreservedList);
    const reservedByRole = new Map<string, Resources>();
    for (const [role, list] of reservedLists) reservedByRole.set(role, Resources.of(list));
    this.parts = {
      of: available,
      unreserved,
      unreservedNonRevocable: revocableSeen ? unreserved.nonRevocable() : unreserved,
      reservedByRole,
      candidates: new Map(),
    };
    return this.parts;
  }
}

function isPlain(total: Resources): boolean {
  return total.toArray().every((r) => r.revocable === undefined && Resources.reservationRole(r) === '*');
}

/** `eng/frontend` → `eng`; a top-level role has no parent. */
export function parentRole(role: string): string | undefined {
  const slash = role.lastIndexOf('/');
  return slash < 0 ? undefined : role.slice(0, slash);
}
