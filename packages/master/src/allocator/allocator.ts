import { Resources } from '@tepui/protocol';
import { AgentState } from './agent-state';
import type {
  AgentInfo,
  AllocationResult,
  AllocatorOptions,
  FrameworkInfo,
  FrameworkUpdate,
  MinAllocatable,
  OfferDraft,
  RoleSummary,
  SkipSummary,
} from './allocator-types';
import { emptySkipSummary } from './allocator-types';
import { ClusterTotals } from './cluster-totals';
import { createSorter } from './create-sorter';
import { FrameworkState, frameworkRoleKey } from './framework-state';
import { DEFAULT_MIN_ALLOCATABLE, isAllocatable } from './min-allocatable';
import { RefusedOfferFilters, refuseFilterDurationMs } from './offer-filter';
import type { Sorter, SorterKind } from './sorter';

// The hierarchical DRF allocator (Mesos' HierarchicalAllocatorProcess) as a pure state machine:
// the master tells it what happened and asks it to `allocate(now)`; it returns offer drafts and
// the reasons things were skipped. No sockets, timers or logs; time arrives as `now`.
//
// Each cycle visits agents in random order; per agent, roles in role-sorter order, then each
// role's frameworks in framework-sorter order. A framework-role gets everything on the agent it
// may use (unreserved plus its role's reservations), unless filtered or below min_allocatable.
// Offered resources count as allocated until recovered.

export class HierarchicalAllocator {
  private readonly agents = new Map<string, AgentState>();
  private readonly agentList: AgentState[] = [];
  private readonly frameworks = new Map<string, FrameworkState>();
  private readonly totals: ClusterTotals;
  private readonly roleSorter: Sorter;
  private readonly frameworkSorters = new Map<string, Sorter>();
  private readonly filters = new RefusedOfferFilters();
  private readonly minAllocatable: MinAllocatable;
  private readonly frameworkSorterKind: SorterKind;
  private readonly random: () => number;
  private readonly allocationIntervalMs: number;
  private weights: ReadonlyMap<string, number>;
  /** Grows whenever someone new may take resources; invalidates agents' idle memos. */
  private epoch = 0;

  constructor(options: AllocatorOptions) {
    this.allocationIntervalMs = options.allocationIntervalMs;
    this.random = options.random;
    this.minAllocatable = options.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE;
    this.frameworkSorterKind = options.frameworkSorter ?? 'drf';
    this.totals = new ClusterTotals(options.fairnessExcludedResourceNames ?? []);
    this.roleSorter = createSorter(options.roleSorter ?? 'drf', this.totals, this.random, { hierarchical: true });
    this.weights = new Map(options.weights ?? []);
    this.roleSorter.setWeights(this.weights);
  }

  // ---- agents -------------------------------------------------------------------------------

  /** `used`: what frameworks already run there (allocated form), e.g. on re-registration. */
  addAgent(agentId: string, info: AgentInfo, used: ReadonlyMap<string, Resources> = new Map()): void {
    if (this.agents.has(agentId)) throw new Error(`agent '${agentId}' already added to the allocator`);
    const agent = new AgentState(agentId, info.hostname, info.total, info.multiRole ?? false);
    this.agents.set(agentId, agent);
    this.agentList.push(agent);
    this.totals.add(info.total);
    for (const [frameworkId, resources] of used) {
      for (const [role, part] of byRole(resources)) {
        this.hold(agent, frameworkId, role, part);
        const framework = this.frameworks.get(frameworkId);
        // As in Mesos, a framework the master has not added yet is tracked when it is added.
        if (framework !== undefined) this.track(framework, role, agentId, part);
      }
    }
  }

  /** Forgets the agent; whatever frameworks held there is released from their allocations. */
  removeAgent(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return;
    for (const [key, held] of agent.allocations) {
      const [frameworkId, role] = splitKey(key);
      const framework = this.frameworks.get(frameworkId);
      if (framework !== undefined) this.untrack(framework, role, agentId, held);
    }
    this.totals.remove(agent.total);
    this.filters.removeAgent(agentId);
    this.agents.delete(agentId);
    this.agentList.splice(this.agentList.indexOf(agent), 1);
  }

  updateAgentTotal(agentId: string, total: Resources): void {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return;
    this.totals.remove(agent.total);
    this.totals.add(total);
    agent.total = total;
    agent.available = total.minus(agent.allocated().unallocate());
  }

  activateAgent(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (agent !== undefined) agent.active = true;
  }

  deactivateAgent(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (agent !== undefined) agent.active = false;
  }

  // ---- frameworks ---------------------------------------------------------------------------

  /** `used`: what the framework already holds, by agent (allocated form). */
  addFramework(frameworkId: string, info: FrameworkInfo, used: ReadonlyMap<string, Resources> = new Map()): void {
    if (this.frameworks.has(frameworkId)) throw new Error(`framework '${frameworkId}' already added to the allocator`);
    const framework = new FrameworkState(frameworkId, info);
    this.frameworks.set(frameworkId, framework);
    for (const role of framework.roles) this.refresh(framework, role);
    for (const [agentId, resources] of used) {
      const agent = this.agents.get(agentId);
      if (agent === undefined) continue;
      for (const [role, part] of byRole(resources)) {
        // addAgent may already have recorded it on the agent; then only the sorters need it.
        const held = agent.allocations.get(frameworkRoleKey(frameworkId, role));
        if (held === undefined) this.hold(agent, frameworkId, role, part);
        this.track(framework, role, agentId, held ?? part);
      }
    }
  }

  /** UPDATE_FRAMEWORK: roles and suppressed roles change; roles removed or unsuppressed lose their filters. */
  updateFramework(frameworkId: string, update: FrameworkUpdate): void {
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return;
    const before = { roles: new Set(framework.roles), suppressed: new Set(framework.suppressed) };
    framework.update(update);
    for (const role of before.roles) {
      const removed = !framework.roles.has(role);
      const unsuppressed = before.suppressed.has(role) && !framework.suppressed.has(role);
      if (removed || unsuppressed) this.filters.removeClient(frameworkRoleKey(frameworkId, role));
    }
    this.epoch++; // capabilities and minimums may have changed
    for (const role of new Set([...before.roles, ...framework.trackedRoles()])) this.refresh(framework, role);
  }

  activateFramework(frameworkId: string): void {
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return;
    framework.active = true;
    for (const role of framework.trackedRoles()) this.refresh(framework, role);
  }

  /** As in Mesos, deactivation also drops the framework's decline filters. */
  deactivateFramework(frameworkId: string): void {
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return;
    framework.active = false;
    for (const role of framework.trackedRoles()) {
      this.filters.removeClient(frameworkRoleKey(frameworkId, role));
      this.refresh(framework, role);
    }
  }

  /** Forgets the framework and releases everything it holds. */
  removeFramework(frameworkId: string): void {
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return;
    const tracked = framework.trackedRoles();
    for (const role of tracked) {
      const key = frameworkRoleKey(frameworkId, role);
      for (const agentId of Array.from(framework.agentsHolding(role))) {
        const agent = this.agents.get(agentId);
        const held = agent?.allocations.get(key);
        if (agent === undefined || held === undefined) continue;
        this.release(agent, key, held);
        this.untrack(framework, role, agentId, held);
      }
      this.filters.removeClient(key);
    }
    framework.roles = new Set();
    for (const role of tracked) this.refresh(framework, role);
    this.frameworks.delete(frameworkId);
  }

  /** SUPPRESS: no offers for these roles (all of the framework's roles when none are given). */
  suppressOffers(frameworkId: string, roles?: readonly string[]): void {
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return;
    for (const role of rolesOrAll(framework, roles)) {
      framework.suppressed.add(role);
      this.refresh(framework, role);
    }
  }

  /** REVIVE: un-suppresses the roles and clears their decline filters. */
  reviveOffers(frameworkId: string, roles?: readonly string[]): void {
    const framework = this.frameworks.get(frameworkId);
    if (framework === undefined) return;
    for (const role of rolesOrAll(framework, roles)) {
      framework.suppressed.delete(role);
      this.filters.removeClient(frameworkRoleKey(frameworkId, role));
      this.refresh(framework, role);
    }
  }

  // ---- resources ----------------------------------------------------------------------------

  /**
   * Resources (allocated form) come back from a framework: declined or unused offer resources,
   * finished tasks, rescinded offers. With `refuseSeconds` (DECLINE / ACCEPT filters) they are
   * not re-offered to that framework-role on that agent for max(refuse_seconds, interval).
   */
  recoverResources(frameworkId: string, agentId: string, resources: Resources, refuseSeconds: number | undefined, now: number): void {
    if (resources.isEmpty()) return;
    const agent = this.agents.get(agentId);
    const framework = this.frameworks.get(frameworkId);
    const filterMs = refuseFilterDurationMs(refuseSeconds, this.allocationIntervalMs);
    for (const [role, part] of byRole(resources)) {
      const key = frameworkRoleKey(frameworkId, role);
      const held = agent?.allocations.get(key);
      if (agent === undefined || held === undefined) continue;
      // Never release more than is held: held − (held − part) is the part actually held.
      const returned = held.contains(part) ? part : held.minus(held.minus(part));
      this.release(agent, key, returned);
      if (framework === undefined) continue;
      this.untrack(framework, role, agentId, returned);
      if (filterMs > 0) this.filters.add(key, agentId, returned.unallocate(), now + filterMs);
    }
  }

  setWeights(weights: ReadonlyMap<string, number>): void {
    this.weights = new Map(weights);
    this.roleSorter.setWeights(weights);
  }

  weight(role: string): number {
    return this.roleSorter.weight(role);
  }

  // ---- allocation ---------------------------------------------------------------------------

  /** One allocation cycle over all agents, or just `agentIds` (event-triggered runs). */
  allocate(now: number, agentIds?: Iterable<string>): AllocationResult {
    this.filters.expire(now);
    const skipped = emptySkipSummary();
    this.countExcludedFrameworks(skipped);
    const agents = this.agentsToVisit(agentIds);
    const offers: OfferDraft[] = [];
    for (const agent of agents) {
      if (!agent.active) {
        skipped.inactiveAgents++;
        continue;
      }
      if (agent.available.isEmpty()) {
        skipped.exhaustedAgents++;
        continue;
      }
      // Nothing was offerable here last time; only new free resources, a new taker (epoch) or a
      // removed filter can change that, so skip the walk (a fully declined agent costs O(1)).
      const removals = this.filters.removals(agent.id);
      if (agent.idleAvailable === agent.available && agent.idleEpoch === this.epoch && agent.idleFilterRemovals === removals) {
        skipped.unchangedIdleAgents++;
        continue;
      }
      const before = offers.length;
      this.allocateAgent(agent, now, offers, skipped);
      const idle = offers.length === before;
      agent.idleAvailable = idle ? agent.available : undefined;
      agent.idleEpoch = this.epoch;
      agent.idleFilterRemovals = removals;
    }
    return { offers, skipped };
  }

  private allocateAgent(agent: AgentState, now: number, offers: OfferDraft[], skipped: SkipSummary): void {
    for (const role of this.roleSorter.order()) {
      const sorter = this.frameworkSorters.get(role) as Sorter;
      for (const frameworkId of sorter.order()) {
        const framework = this.frameworks.get(frameworkId) as FrameworkState;
        if (framework.multiRole && !agent.multiRole) {
          skipped.incapable++;
          continue;
        }
        const candidate = agent.candidateFor(role, framework.revocable);
        if (candidate.isEmpty()) continue;
        const key = frameworkRoleKey(frameworkId, role);
        if (this.filters.applies(key, agent.id, candidate, now)) {
          skipped.filtered++;
          continue;
        }
        if (!isAllocatable(candidate, framework.minAllocatableFor(role, this.minAllocatable))) {
          skipped.belowMinAllocatable++;
          continue;
        }
        offers.push(this.offer(agent, framework, role, candidate));
        if (agent.available.isEmpty()) return;
      }
    }
  }

  private offer(agent: AgentState, framework: FrameworkState, role: string, candidate: Resources): OfferDraft {
    const resources = candidate.allocate(role);
    this.hold(agent, framework.id, role, resources, candidate);
    this.track(framework, role, agent.id, resources);
    return { frameworkId: framework.id, agentId: agent.id, role, resources };
  }

  private agentsToVisit(agentIds: Iterable<string> | undefined): AgentState[] {
    let agents: AgentState[];
    if (agentIds === undefined) agents = this.agentList.slice();
    else {
      agents = [];
      for (const id of new Set(agentIds)) {
        const agent = this.agents.get(id);
        if (agent !== undefined) agents.push(agent);
      }
    }
    // Fisher–Yates with the injected RNG: agents are visited in random order, as in Mesos.
    for (let i = agents.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const swap = agents[i];
      agents[i] = agents[j];
      agents[j] = swap;
    }
    return agents;
  }

  private countExcludedFrameworks(skipped: SkipSummary): void {
    for (const framework of this.frameworks.values()) {
      if (!framework.active) {
        skipped.inactiveFrameworks++;
        continue;
      }
      for (const role of framework.suppressed) if (framework.roles.has(role)) skipped.suppressedFrameworkRoles++;
    }
  }

  // ---- introspection (/master/state, GET_ROLES, metrics) ----------------------------------------

  /** Everything the framework holds (offered or in use), allocated form. */
  frameworkAllocation(frameworkId: string): Resources {
    const framework = this.frameworks.get(frameworkId);
    let sum = Resources.EMPTY;
    if (framework === undefined) return sum;
    for (const role of framework.trackedRoles()) sum = sum.plus(this.heldUnder(framework, role));
    return sum;
  }

  agentAvailable(agentId: string): Resources {
    return this.agents.get(agentId)?.available ?? Resources.EMPTY;
  }

  /** Everything allocated on the agent, allocated form. */
  agentAllocated(agentId: string): Resources {
    return this.agents.get(agentId)?.allocated() ?? Resources.EMPTY;
  }

  /** Roles with frameworks, allocations or a configured weight, sorted by name. */
  roles(): RoleSummary[] {
    const names = new Set([...this.frameworkSorters.keys(), ...this.weights.keys()]);
    return Array.from(names)
      .sort()
      .map((role) => {
        const frameworkIds: string[] = [];
        let allocated = Resources.EMPTY;
        for (const framework of this.frameworks.values()) {
          if (framework.roles.has(role)) frameworkIds.push(framework.id);
          if (framework.holdsIn(role)) allocated = allocated.plus(this.heldUnder(framework, role));
        }
        return { role, weight: this.weight(role), frameworkIds: frameworkIds.sort(), allocated };
      });
  }

  /** Unweighted dominant share of the framework: within one role, or over all its roles. */
  dominantShare(frameworkId: string, role?: string): number {
    if (role !== undefined) return this.totals.shareOf(this.frameworkSorters.get(role)?.allocation(frameworkId) ?? new Map());
    return this.totals.shareOf(this.frameworkAllocation(frameworkId).scalars());
  }

  /** Live decline filters. */
  filterCount(): number {
    return this.filters.size;
  }

  private heldUnder(framework: FrameworkState, role: string): Resources {
    const key = frameworkRoleKey(framework.id, role);
    let sum = Resources.EMPTY;
    for (const agentId of framework.agentsHolding(role)) {
      const held = this.agents.get(agentId)?.allocations.get(key);
      if (held !== undefined) sum = sum.plus(held);
    }
    return sum;
  }

  // ---- bookkeeping --------------------------------------------------------------------------

  /** Records `resources` (allocated form) as held by the framework-role on the agent. */
  private hold(agent: AgentState, frameworkId: string, role: string, resources: Resources, unallocated?: Resources): void {
    const key = frameworkRoleKey(frameworkId, role);
    const held = agent.allocations.get(key);
    agent.allocations.set(key, held === undefined ? resources : held.plus(resources));
    const taken = unallocated ?? resources.unallocate();
    agent.available = taken === agent.available ? Resources.EMPTY : agent.available.minus(taken);
    this.frameworks.get(frameworkId)?.noteHolding(role, agent.id);
  }

  /** Inverse of `hold`. */
  private release(agent: AgentState, key: string, resources: Resources): void {
    const held = agent.allocations.get(key) as Resources;
    const rest = held.minus(resources);
    if (rest.isEmpty()) agent.allocations.delete(key);
    else agent.allocations.set(key, rest);
    agent.available = agent.available.plus(resources.unallocate());
    if (rest.isEmpty()) {
      const [frameworkId, role] = splitKey(key);
      this.frameworks.get(frameworkId)?.dropHolding(role, agent.id);
    }
  }

  /** Counts an allocation in the role sorter and the role's framework sorter. */
  private track(framework: FrameworkState, role: string, agentId: string, resources: Resources): void {
    framework.noteHolding(role, agentId);
    this.refresh(framework, role);
    this.roleSorter.allocated(role, agentId, resources);
    (this.frameworkSorters.get(role) as Sorter).allocated(framework.id, agentId, resources);
  }

  private untrack(framework: FrameworkState, role: string, agentId: string, resources: Resources): void {
    const sorter = this.frameworkSorters.get(role);
    if (sorter?.contains(framework.id)) {
      this.roleSorter.unallocated(role, agentId, resources);
      sorter.unallocated(framework.id, agentId, resources);
    }
    this.refresh(framework, role);
  }

  /**
   * Puts the framework-role into the right state in the sorters: tracked while subscribed or
   * holding resources; active while the framework is active and the role is not suppressed. The
   * role itself is active in the role sorter while any of its frameworks is.
   */
  private refresh(framework: FrameworkState, role: string): void {
    let sorter = this.frameworkSorters.get(role);
    if (!framework.roles.has(role) && !framework.holdsIn(role)) {
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
      if (!framework.wantsOffers(role)) sorter.deactivate(framework.id);
      else if (!sorter.isActive(framework.id)) {
        sorter.activate(framework.id);
        this.epoch++;
      }
    }
    if (sorter.activeCount > 0) this.roleSorter.activate(role);
    else this.roleSorter.deactivate(role);
  }
}

/** Splits allocated-form resources by allocation role. */
function byRole(resources: Resources): Array<[string, Resources]> {
  const roles = Array.from(resources.allocationRoles());
  if (roles.length === 1) return [[roles[0], resources]];
  return roles.map((role) => [role, resources.filter((r) => r.allocation_info?.role === role)]);
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf('\n');
  return [key.slice(0, at), key.slice(at + 1)];
}

function rolesOrAll(framework: FrameworkState, roles: readonly string[] | undefined): readonly string[] {
  return roles !== undefined && roles.length > 0 ? roles : Array.from(framework.roles);
}
