import { Resources } from '@tepui/protocol';
import { AgentState } from './agent-state';
import { runAllocationCycle } from './allocation-cycle';
import type { CycleSettings } from './allocation-cycle';
import { AllocatorState, byRole } from './allocator-state';
import type { AgentInfo, AllocationResult, AllocatorOptions, FrameworkInfo, FrameworkUpdate, RoleSummary } from './allocator-types';
import { FrameworkState, frameworkRoleKey, splitFrameworkRoleKey } from './framework-state';
import { DEFAULT_MIN_ALLOCATABLE } from './min-allocatable';
import { refuseFilterDurationMs } from './offer-filter';

export type { AgentInfo, AllocationResult, AllocatorOptions, FrameworkInfo, FrameworkUpdate, OfferDraft, RoleSummary, SkipSummary } from './allocator-types';

// The hierarchical DRF allocator (Mesos' HierarchicalAllocatorProcess) as a pure state machine.
// The master *tells* it what happened (agents and frameworks come and go, resources come back,
// SUPPRESS / REVIVE) and asks it to `allocate(now)`, which returns offer drafts plus the reasons
// things were skipped. No sockets, timers or logs; time arrives as `now`, randomness through the
// injected RNG. The cycle itself is in allocation-cycle.ts, the bookkeeping in allocator-state.ts.

export class HierarchicalAllocator {
  private readonly state: AllocatorState;
  private readonly settings: CycleSettings;
  private readonly allocationIntervalMs: number;
  private weights: ReadonlyMap<string, number>;

  constructor(options: AllocatorOptions) {
    this.allocationIntervalMs = options.allocationIntervalMs;
    this.settings = { minAllocatable: options.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE, random: options.random };
    this.state = new AllocatorState(
      options.roleSorter ?? 'drf',
      options.frameworkSorter ?? 'drf',
      options.fairnessExcludedResourceNames ?? [],
      options.random,
    );
    this.weights = new Map(options.weights ?? []);
    this.state.roleSorter.setWeights(this.weights);
  }

  // ---- agents -------------------------------------------------------------------------------

  /** `used`: what frameworks already run there (allocated form), e.g. on re-registration. */
  addAgent(agentId: string, info: AgentInfo, used: ReadonlyMap<string, Resources> = new Map()): void {
    const { agents, agentList, frameworks, totals } = this.state;
    if (agents.has(agentId)) throw new Error(`agent '${agentId}' already added to the allocator`);
    const agent = new AgentState(agentId, info.hostname, info.total, info.multiRole ?? false);
    agents.set(agentId, agent);
    agentList.push(agent);
    totals.add(info.total);
    for (const [frameworkId, resources] of used) {
      for (const [role, part] of byRole(resources)) {
        this.state.hold(agent, frameworkId, role, part);
        const framework = frameworks.get(frameworkId);
        // As in Mesos, a framework the master has not added yet is tracked when it is added.
        if (framework !== undefined) this.state.track(framework, role, agentId, part);
      }
    }
  }

  /** Forgets the agent; whatever frameworks held there leaves their allocations. */
  removeAgent(agentId: string): void {
    const { agents, agentList, frameworks, totals, filters } = this.state;
    const agent = agents.get(agentId);
    if (agent === undefined) return;
    for (const [key, held] of agent.allocations) {
      const [frameworkId, role] = splitFrameworkRoleKey(key);
      const framework = frameworks.get(frameworkId);
      if (framework === undefined) continue;
      framework.dropHolding(role, agentId);
      this.state.untrack(framework, role, agentId, held);
    }
    totals.remove(agent.total);
    filters.removeAgent(agentId);
    agents.delete(agentId);
    agentList.splice(agentList.indexOf(agent), 1);
  }

  updateAgentTotal(agentId: string, total: Resources): void {
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) return;
    this.state.totals.remove(agent.total);
    this.state.totals.add(total);
    agent.total = total;
    agent.available = total.minus(agent.allocatedQuantities());
  }

  activateAgent(agentId: string): void {
    const agent = this.state.agents.get(agentId);
    if (agent !== undefined) agent.active = true;
  }

  deactivateAgent(agentId: string): void {
    const agent = this.state.agents.get(agentId);
    if (agent !== undefined) agent.active = false;
  }

  // ---- frameworks ---------------------------------------------------------------------------

  /** `used`: what the framework already holds, by agent (allocated form). */
  addFramework(frameworkId: string, info: FrameworkInfo, used: ReadonlyMap<string, Resources> = new Map()): void {
    if (this.state.frameworks.has(frameworkId)) throw new Error(`framework '${frameworkId}' already added to the allocator`);
    const framework = new FrameworkState(frameworkId, info);
    this.state.frameworks.set(frameworkId, framework);
    for (const role of framework.roles) this.state.refresh(framework, role);
    for (const [agentId, resources] of used) {
      const agent = this.state.agents.get(agentId);
      if (agent === undefined) continue;
      for (const [role, part] of byRole(resources)) {
        // addAgent may already have put it on the agent; then only the sorters need it.
        const held = agent.allocations.get(frameworkRoleKey(frameworkId, role));
        if (held === undefined) this.state.hold(agent, frameworkId, role, part);
        this.state.track(framework, role, agentId, held ?? part);
      }
    }
  }

  /** UPDATE_FRAMEWORK: roles and suppressed roles change; roles removed or unsuppressed lose their filters. */
  updateFramework(frameworkId: string, update: FrameworkUpdate): void {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return;
    const before = { roles: new Set(framework.roles), suppressed: new Set(framework.suppressed) };
    framework.update(update);
    for (const role of before.roles) {
      const removed = !framework.roles.has(role);
      const unsuppressed = before.suppressed.has(role) && !framework.suppressed.has(role);
      if (removed || unsuppressed) this.state.filters.removeClient(frameworkRoleKey(frameworkId, role));
    }
    this.state.epoch++; // capabilities and minimums may have changed
    for (const role of new Set([...before.roles, ...framework.trackedRoles()])) this.state.refresh(framework, role);
  }

  activateFramework(frameworkId: string): void {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return;
    framework.active = true;
    for (const role of framework.trackedRoles()) this.state.refresh(framework, role);
  }

  /** As in Mesos, deactivation also drops the framework's decline filters. */
  deactivateFramework(frameworkId: string): void {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return;
    framework.active = false;
    for (const role of framework.trackedRoles()) {
      this.state.filters.removeClient(frameworkRoleKey(frameworkId, role));
      this.state.refresh(framework, role);
    }
  }

  /** Forgets the framework and releases everything it holds. */
  removeFramework(frameworkId: string): void {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return;
    const tracked = framework.trackedRoles();
    for (const role of tracked) {
      const key = frameworkRoleKey(frameworkId, role);
      for (const agentId of Array.from(framework.agentsHolding(role))) {
        const agent = this.state.agents.get(agentId);
        const held = agent?.allocations.get(key);
        if (agent === undefined || held === undefined) continue;
        this.state.release(agent, frameworkId, role, held);
        this.state.untrack(framework, role, agentId, held);
      }
      this.state.filters.removeClient(key);
    }
    framework.roles = new Set();
    for (const role of tracked) this.state.refresh(framework, role);
    this.state.frameworks.delete(frameworkId);
  }

  /** SUPPRESS: no offers for these roles (all of the framework's roles when none are given). */
  suppressOffers(frameworkId: string, roles?: readonly string[]): void {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return;
    for (const role of rolesOrAll(framework, roles)) {
      framework.suppressed.add(role);
      this.state.refresh(framework, role);
    }
  }

  /** REVIVE: un-suppresses the roles and clears their decline filters. */
  reviveOffers(frameworkId: string, roles?: readonly string[]): void {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return;
    for (const role of rolesOrAll(framework, roles)) {
      framework.suppressed.delete(role);
      this.state.filters.removeClient(frameworkRoleKey(frameworkId, role));
      this.state.refresh(framework, role);
    }
  }

  // ---- resources and weights ----------------------------------------------------------------

  /**
   * Resources (allocated form) come back from a framework: declined or unused offer resources,
   * finished tasks, rescinded offers. With `refuseSeconds` (DECLINE / ACCEPT filters) they are
   * not re-offered to that framework-role on that agent for max(refuse_seconds, interval).
   */
  recoverResources(frameworkId: string, agentId: string, resources: Resources, refuseSeconds: number | undefined, now: number): void {
    if (resources.isEmpty()) return;
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) return;
    const framework = this.state.frameworks.get(frameworkId);
    const filterMs = refuseFilterDurationMs(refuseSeconds, this.allocationIntervalMs);
    // A whole offer handed back is recognised, sparing the conversion (see allocated-forms.ts).
    const origin = this.state.forms.originOf(resources);
    const parts: Array<[string, Resources]> = origin !== undefined ? [[origin.role, origin.unallocated]] : byRole(resources);
    for (const [role, part] of parts) {
      const held = agent.allocations.get(frameworkRoleKey(frameworkId, role));
      if (held === undefined) continue;
      // Never release more than is held: held − (held − part) is the part actually held.
      const returned = part === held || held.contains(part) ? part : held.minus(held.minus(part));
      this.state.release(agent, frameworkId, role, returned);
      if (framework === undefined) continue;
      this.state.untrack(framework, role, agentId, returned);
      if (filterMs > 0) this.state.filters.add(framework.keyFor(role), agentId, returned, now + filterMs);
    }
  }

  setWeights(weights: ReadonlyMap<string, number>): void {
    this.weights = new Map(weights);
    this.state.roleSorter.setWeights(this.weights);
  }

  weight(role: string): number {
    return this.state.roleSorter.weight(role);
  }

  // ---- allocation ---------------------------------------------------------------------------

  /** One allocation cycle over all agents, or just `agentIds` (event-triggered runs). */
  allocate(now: number, agentIds?: Iterable<string>): AllocationResult {
    return runAllocationCycle(this.state, this.settings, now, agentIds);
  }

  // ---- introspection (/master/state, GET_ROLES, metrics) ------------------------------------

  /** Everything the framework holds (offered or in use), allocated form. */
  frameworkAllocation(frameworkId: string): Resources {
    const framework = this.state.frameworks.get(frameworkId);
    let sum = Resources.EMPTY;
    if (framework === undefined) return sum;
    for (const role of framework.trackedRoles()) sum = sum.plus(this.state.heldUnder(framework, role).allocate(role));
    return sum;
  }

  agentAvailable(agentId: string): Resources {
    return this.state.agents.get(agentId)?.available ?? Resources.EMPTY;
  }

  /** Everything allocated on the agent, allocated form. */
  agentAllocated(agentId: string): Resources {
    return this.state.agents.get(agentId)?.allocated() ?? Resources.EMPTY;
  }

  /** What each framework-role holds on the agent, unallocated form (metrics sum their scalars: no Resources built). */
  agentHoldings(agentId: string): Iterable<Resources> {
    return this.state.agents.get(agentId)?.allocations.values() ?? [];
  }

  /** Roles with frameworks, allocations or a configured weight, sorted by name. */
  roles(): RoleSummary[] {
    const names = new Set([...this.state.frameworkSorters.keys(), ...this.weights.keys()]);
    return Array.from(names)
      .sort()
      .map((role) => {
        const frameworkIds: string[] = [];
        let allocated = Resources.EMPTY;
        for (const framework of this.state.frameworks.values()) {
          if (framework.roles.has(role)) frameworkIds.push(framework.id);
          if (framework.holdsIn(role)) allocated = allocated.plus(this.state.heldUnder(framework, role));
        }
        return { role, weight: this.weight(role), frameworkIds: frameworkIds.sort(), allocated: allocated.allocate(role) };
      });
  }

  /** Unweighted dominant share of the framework: within one role, or over all its roles. */
  dominantShare(frameworkId: string, role?: string): number {
    const { totals, frameworkSorters } = this.state;
    if (role !== undefined) return totals.shareOf(frameworkSorters.get(role)?.allocation(frameworkId) ?? new Map());
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return 0;
    let sum = Resources.EMPTY;
    for (const held of framework.trackedRoles()) sum = sum.plus(this.state.heldUnder(framework, held));
    return totals.shareOf(sum.scalars());
  }

  /** Live decline filters. */
  filterCount(): number {
    return this.state.filters.size;
  }
}

function rolesOrAll(framework: FrameworkState, roles: readonly string[] | undefined): readonly string[] {
  return roles !== undefined && roles.length > 0 ? roles : Array.from(framework.roles);
}
