import type { AgentState } from './agent-state';
import type { AllocationResult, MinAllocatable, OfferDraft, SkipSummary } from './allocator-types';
import { emptySkipSummary } from './allocator-types';
import type { AllocatorState } from './allocator-state';
import type { FrameworkState } from './framework-state';
import { isAllocatable } from './min-allocatable';
import type { Sorter } from './sorter';

// One allocation cycle (Mesos' HierarchicalAllocatorProcess::__allocate, stage 2; Tepui has no
// quota guarantees, so there is no stage 1). Agents are visited in random order; per agent, roles
// in role-sorter order, then the role's frameworks in framework-sorter order. A framework-role
// gets everything on the agent it may use, unless a capability hides the agent, a decline filter
// covers it, or it is below min_allocatable. Offered resources count as allocated at once, so
// the sorters see them when the next agent is visited.
//
// Two shortcuts keep untouched agents O(1), where Mesos walks every role and framework again:
// - fully filtered: every framework-role offered to has declined all the agent has free
//   (RefusedOfferFilters.coversAll), the steady state of a cluster that declines everything;
// - idle memo: the last walk over the agent offered nothing, and neither its free resources, nor
//   the allocator epoch (a new taker), nor its filter-removal count changed since; only those can
//   change the walk's outcome.

export interface CycleSettings {
  readonly minAllocatable: MinAllocatable;
  readonly random: () => number;
}

export function runAllocationCycle(
  state: AllocatorState,
  settings: CycleSettings,
  now: number,
  agentIds: Iterable<string> | undefined,
): AllocationResult {
  state.filters.expire(now);
  const skipped = emptySkipSummary();
  countExcludedFrameworks(state, skipped);
  const offers: OfferDraft[] = [];
  for (const agent of agentsInRandomOrder(state, settings.random, agentIds)) {
    if (!agent.active) {
      skipped.inactiveAgents++;
      continue;
    }
    if (agent.available.isEmpty()) {
      skipped.exhaustedAgents++;
      continue;
    }
    const removals = state.filters.removals(agent.id);
    if (agent.idleAvailable === agent.available && agent.idleEpoch === state.epoch && agent.idleFilterRemovals === removals) {
      skipped.unchangedIdleAgents++;
      continue;
    }
    if (state.filters.coversAll(agent.id, agent.available)) {
      skipped.fullyFilteredAgents++;
      continue;
    }
    const before = offers.length;
    allocateAgent(state, settings, agent, now, offers, skipped);
    agent.idleAvailable = offers.length === before ? agent.available : undefined;
    agent.idleEpoch = state.epoch;
    agent.idleFilterRemovals = removals;
  }
  return { offers, skipped };
}

function allocateAgent(
  state: AllocatorState,
  settings: CycleSettings,
  agent: AgentState,
  now: number,
  offers: OfferDraft[],
  skipped: SkipSummary,
): void {
  const filters = state.filters.forAgent(agent.id);
  for (const role of state.roleSorter.order()) {
    const sorter = state.frameworkSorters.get(role) as Sorter;
    for (const frameworkId of sorter.order()) {
      const framework = state.frameworks.get(frameworkId) as FrameworkState;
      if (framework.multiRole && !agent.multiRole) {
        skipped.incapable++;
        continue;
      }
      const candidate = agent.candidateFor(role, framework.revocable);
      if (candidate.isEmpty()) continue;
      if (filters !== undefined && filters.applies(framework.keyFor(role), candidate, now)) {
        skipped.filtered++;
        continue;
      }
      if (!isAllocatable(candidate, framework.minAllocatableFor(role, settings.minAllocatable))) {
        skipped.belowMinAllocatable++;
        continue;
      }
      state.hold(agent, frameworkId, role, candidate);
      state.track(framework, role, agent.id, candidate);
      offers.push(state.forms.offerDraft(frameworkId, agent.id, role, candidate));
      if (agent.available.isEmpty()) return;
    }
  }
}

/** The agents to visit, shuffled with the injected RNG (Fisher–Yates). */
function agentsInRandomOrder(state: AllocatorState, random: () => number, agentIds: Iterable<string> | undefined): AgentState[] {
  let agents: AgentState[];
  if (agentIds === undefined) agents = state.agentList.slice();
  else {
    agents = [];
    for (const id of new Set(agentIds)) {
      const agent = state.agents.get(id);
      if (agent !== undefined) agents.push(agent);
    }
  }
  for (let i = agents.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = agents[i];
    agents[i] = agents[j];
    agents[j] = swap;
  }
  return agents;
}

/** Inactive frameworks and suppressed framework-roles are left out of the sorters' order; count them once. */
function countExcludedFrameworks(state: AllocatorState, skipped: SkipSummary): void {
  for (const framework of state.frameworks.values()) {
    if (!framework.active) {
      skipped.inactiveFrameworks++;
      continue;
    }
    for (const role of framework.suppressed) if (framework.roles.has(role)) skipped.suppressedFrameworkRoles++;
  }
}
