// The allocator's public surface for the rest of the master.
export { HierarchicalAllocator } from './allocator';
export { AllocationLoop } from './allocation-loop';
export type { Allocating } from './allocation-loop';
export type {
  AgentInfo,
  AllocationResult,
  AllocatorOptions,
  FrameworkInfo,
  FrameworkUpdate,
  MinAllocatable,
  OfferDraft,
  ResourceQuantities,
  RoleSummary,
  SkipSummary,
} from './allocator-types';
export { DEFAULT_MIN_ALLOCATABLE } from './min-allocatable';
export { DEFAULT_REFUSE_SECONDS, MAX_REFUSE_SECONDS, normalizeRefuseSeconds, refuseFilterDurationMs } from './offer-filter';
export type { Sorter, SorterKind } from './sorter';
