import { Resources } from '@tepui/protocol';
import type { AgentState } from './agent-state';
import { AllocatedForms } from './allocated-forms';
import { ClusterTotals } from './cluster-totals';
import { createSorter } from './create-sorter';
import { FrameworkState, frameworkRoleKey } from './framework-state';
import { RefusedOfferFilters } from './offer-filter';
import type { Sorter, SorterKind } from './sorter';

// Everything the allocator knows, and the bookkeeping that keeps its views in step: what each
// agent has free and who holds what there (AgentState), the DRF sorters (one role sorter, one
// framework sorter per role, all sharing the cluster totals) and the decline filters.
//
// Holdings are kept in unallocated form; the role is part of the key (see allocated-forms.ts).
// Two views of an allocation are kept: on the agent (`hold` / `release`: available and per
// framework-role holdings) and in the sorters (`track` / `untrack`: shares). They differ only
// for frameworks the master has not added yet, as in Mesos (their resources are held on the
// agent but tracked when the framework is added).

export class AllocatorState {
  readonly agents = new Map<string, AgentState>();
  /** The agents again, as an array to shuffle each cycle. */
  readonly agentList: AgentState[] = [];
  readonly frameworks = new Map<string, FrameworkState>();
  readonly totals: ClusterTotals;
  readonly roleSorter: Sorter;
  readonly frameworkSorters = new Map<string, Sorter>();
  readonly filters = new RefusedOfferFilters();
  readonly forms = new AllocatedForms();
  /**
   * Grows whenever someone new may take resources (a framework-role becomes active, a framework's
   * capabilities or minimums change); it invalidates the agents' idle memos (see allocation-cycle).
   */
  epoch = 0;

  constructor(
    roleSorterKind: SorterKind,
    private readonly frameworkSorterKind: SorterKind,
    excludedResourceNames: readonly string[],
    private readonly random: () => number,
  ) {
    this.totals = new ClusterTotals(excludedResourceNames);
    this.roleSorter = createSorter(roleSorterKind, this.totals, random, { hierarchical: true });
  }

  /** Records `resources` (unallocated form) as held by the framework-role on the agent. */
  hold(agent: AgentState, frameworkId: string, role: string, resources: Resources): void {
    const key = frameworkRoleKey(frameworkId, role);
    const held = agent.allocations.get(key);
    agent.allocations.set(key, held === undefined ? resources : held.plus(resources));
    agent.available = resources === agent.available ? Resources.EMPTY : agent.available.minus(resources);
    this.frameworks.get(frameworkId)?.noteHolding(role, agent.id);
  }

  /** Inverse of `hold`; `resources` (unallocated) must be part of what the framework-role holds there. */
  release(agent: AgentState, frameworkId: string, role: string, resources: Resources): void {
    const key = frameworkRoleKey(frameworkId, role);
    const held = agent.allocations.get(key);
    if (held === undefined) return;
    const rest = resources === held ? Resources.EMPTY : held.minus(resources);
    agent.available = agent.available.plus(resources);
    if (!rest.isEmpty()) {
      agent.allocations.set(key, rest);
      return;
    }
    agent.allocations.delete(key);
    this.frameworks.get(frameworkId)?.dropHolding(role, agent.id);
  }

  /** Counts an allocation (either form: sorters read quantities only) in the role sorter and the role's framework sorter. */
  track(framework: FrameworkState, role: string, agentId: string, resources: Resources): void {
    framework.noteHolding(role, agentId);
    this.refresh(framework, role);
    this.roleSorter.allocated(role, agentId, resources);
    (this.frameworkSorters.get(role) as Sorter).allocated(framework.id, agentId, resources);
  }

  /** Inverse of `track`. */
  untrack(framework: FrameworkState, role: string, agentId: string, resources: Resources): void {
    const sorter = this.frameworkSorters.get(role);
    if (sorter?.contains(framework.id)) {
      this.roleSorter.unallocated(role, agentId, resources);
      sorter.unallocated(framework.id, agentId, resources);
    }
    this.refresh(framework, role);
  }

  /**
   * Puts the framework-role into the right state in the sorters: tracked while subscribed or
   * holding resources; active while the framework is active and the role is not suppressed. A
   * role is active in the role sorter while any of its frameworks is, and disappears with its
   * last framework.
   */
  refresh(framework: FrameworkState, role: string): void {
    let sorter = this.frameworkSorters.get(role);
    if (!framework.roles.has(role) && !framework.holdsIn(role)) {
      this.filters.setClientActive(framework.keyFor(role), false);
      if (sorter === undefined || !sorter.contains(framework.id)) return;
      sorter.remove(framework.id);
      if (sorter.clients().length === 0) {
        this.frameworkSorters.delete(role);
        this.roleSorter.remove(role);
        return;
      }
    } else {
      if (sorter === undefined) {
        sorter = createSorter(this.frameworkSorterKind, this.totals, this.random, { hierarchical: false });
        this.frameworkSorters.set(role, sorter);
        this.roleSorter.add(role);
      }
      if (!sorter.contains(framework.id)) sorter.add(framework.id);
      const wants = framework.wantsOffers(role);
      if (!wants) sorter.deactivate(framework.id);
      else if (!sorter.isActive(framework.id)) {
        sorter.activate(framework.id);
        this.epoch++;
      }
      this.filters.setClientActive(framework.keyFor(role), wants);
    }
    if (sorter.activeCount > 0) this.roleSorter.activate(role);
    else this.roleSorter.deactivate(role);
  }

  /** What the framework holds under `role` on all agents (unallocated form). */
  heldUnder(framework: FrameworkState, role: string): Resources {
    const key = frameworkRoleKey(framework.id, role);
    let sum = Resources.EMPTY;
    for (const agentId of framework.agentsHolding(role)) {
      const held = this.agents.get(agentId)?.allocations.get(key);
      if (held !== undefined) sum = sum.plus(held);
    }
    return sum;
  }
}

/** Splits allocated-form resources by allocation role, each part in unallocated form. */
export function byRole(resources: Resources): Array<[string, Resources]> {
  const roles = Array.from(resources.allocationRoles());
  if (roles.length === 1) return [[roles[0], resources.unallocate()]];
  return roles.map((role) => [role, resources.filter((r) => r.allocation_info?.role === role).unallocate()]);
}
