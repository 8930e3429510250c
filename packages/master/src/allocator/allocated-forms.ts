import type { Resources } from '@tepui/protocol';
import type { OfferDraft } from './allocator-types';

// The allocator keeps every holding in unallocated form, keyed by (framework, role): the role is
// in the key, so `allocation_info.role` adds nothing to its bookkeeping. The allocated form is a
// representation for the outside world, and turning resources into it (Resources.allocate) costs
// more than all the rest of an offer decision. So offers carry it lazily: a draft materializes it
// the first time `resources` is read (when the master builds the offer), and remembers which
// unallocated value it came from, so the common DECLINE of a whole offer, which hands the same
// object back, is recovered without converting it again.

interface Origin {
  readonly role: string;
  readonly unallocated: Resources;
}

export class AllocatedForms {
  private readonly origins = new WeakMap<Resources, Origin>();

  /** `unallocated` in allocated form for `role`, remembered for `originOf`. */
  allocate(unallocated: Resources, role: string): Resources {
    const allocated = unallocated.allocate(role);
    this.origins.set(allocated, { role, unallocated });
    return allocated;
  }

  /** Where an allocated value produced here came from, if it is one of ours. */
  originOf(allocated: Resources): Origin | undefined {
    return this.origins.get(allocated);
  }

  /** An offer draft whose `resources` are produced on first read (and then kept). */
  offerDraft(frameworkId: string, agentId: string, role: string, unallocated: Resources): OfferDraft {
    return new LazyOfferDraft(frameworkId, agentId, role, unallocated, this);
  }
}

class LazyOfferDraft implements OfferDraft {
  declare readonly resources: Resources;

  constructor(
    readonly frameworkId: string,
    readonly agentId: string,
    readonly role: string,
    unallocated: Resources,
    forms: AllocatedForms,
  ) {
    let materialized: Resources | undefined;
    // An own enumerable accessor, so spreading or comparing a draft sees `resources` like a field.
    Object.defineProperty(this, 'resources', {
      enumerable: true,
      get: () => (materialized ??= forms.allocate(unallocated, role)),
    });
  }
}
