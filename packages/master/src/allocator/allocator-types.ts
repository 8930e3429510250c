import type { Resources } from '@tepui/protocol';
import type { SorterKind } from './sorter';

/** Scalar quantities by resource name, e.g. `{ cpus: 0.01 }`. */
export type ResourceQuantities = ReadonlyMap<string, number>;

/**
 * Mesos' min_allocatable_resources: an offer is made only if it contains at least one of these
 * quantity sets (`|` between sets, `;` inside one). An empty list means any non-empty offer.
 */
export type MinAllocatable = ReadonlyArray<ResourceQuantities>;

export interface AllocatorOptions {
  /** --allocation_interval in ms; refuse filters last at least this long. */
  readonly allocationIntervalMs: number;
  readonly roleSorter?: SorterKind;
  readonly frameworkSorter?: SorterKind;
  /** Role weights (role path → weight, default 1). */
  readonly weights?: ReadonlyMap<string, number>;
  /** Default `[{cpus: 0.01}, {mem: 32}]`. */
  readonly minAllocatable?: MinAllocatable;
  /** --fair_sharing_excluded_resource_names */
  readonly fairnessExcludedResourceNames?: readonly string[];
  /** Uniform in [0, 1); seeds the agent shuffle and the random sorters. */
  readonly random: () => number;
}

export interface AgentInfo {
  readonly hostname: string;
  readonly total: Resources;
  /** The agent has the MULTI_ROLE capability; non-MULTI_ROLE agents are hidden from MULTI_ROLE frameworks. */
  readonly multiRole?: boolean;
}

export interface FrameworkInfo {
  readonly roles: readonly string[];
  readonly suppressedRoles?: readonly string[];
  readonly active: boolean;
  /** MULTI_ROLE capability. */
  readonly multiRole?: boolean;
  /** REVOCABLE_RESOURCES capability: without it revocable resources are never offered. */
  readonly revocable?: boolean;
  /** FrameworkInfo.offer_filters[role].min_allocatable_resources overrides. */
  readonly minAllocatable?: ReadonlyMap<string, MinAllocatable>;
}

/** UPDATE_FRAMEWORK: everything but activity, which comes through activate/deactivate. */
export type FrameworkUpdate = Omit<FrameworkInfo, 'active'>;

export interface OfferDraft {
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  /** Allocated form: each entry carries allocation_info.role. */
  readonly resources: Resources;
}

/** Why things were not offered in one cycle, as counts for the shell to log and export. */
export interface SkipSummary {
  /** Agents not considered because they are deactivated. */
  inactiveAgents: number;
  /** Agents with nothing free. */
  exhaustedAgents: number;
  /** Agents skipped in O(1): every framework-role offered to has declined all they have free. */
  fullyFilteredAgents: number;
  /** Agents skipped in O(1): the last cycle offered nothing there and nothing relevant changed. */
  unchangedIdleAgents: number;
  /** Frameworks not considered because they are inactive (counted once per cycle). */
  inactiveFrameworks: number;
  /** Framework-roles not considered because suppressed (counted once per cycle). */
  suppressedFrameworkRoles: number;
  /** (agent, framework-role) pairs refused by a decline filter. */
  filtered: number;
  /** (agent, framework-role) pairs whose candidate was below min_allocatable. */
  belowMinAllocatable: number;
  /** (agent, framework) pairs hidden by capabilities (MULTI_ROLE framework on a non-MULTI_ROLE agent). */
  incapable: number;
}

export interface AllocationResult {
  readonly offers: OfferDraft[];
  readonly skipped: SkipSummary;
}

export interface RoleSummary {
  readonly role: string;
  readonly weight: number;
  /** Frameworks subscribed to the role, sorted. */
  readonly frameworkIds: string[];
  /** What frameworks hold under the role (allocated form). */
  readonly allocated: Resources;
}

export function emptySkipSummary(): SkipSummary {
  return {
    inactiveAgents: 0,
    exhaustedAgents: 0,
    fullyFilteredAgents: 0,
    unchangedIdleAgents: 0,
    inactiveFrameworks: 0,
    suppressedFrameworkRoles: 0,
    filtered: 0,
    belowMinAllocatable: 0,
    incapable: 0,
  };
}
