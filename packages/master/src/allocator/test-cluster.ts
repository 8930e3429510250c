import { seededRandom } from '@tepui/protocol';
import type { Resources } from '@tepui/protocol';
import { HierarchicalAllocator } from './allocator';
import type { AllocationResult, AllocatorOptions, FrameworkInfo, OfferDraft } from './allocator-types';
import { allocatedResources, resources } from './resource-fixtures';

// Test support: plays the master and its frameworks around a real allocator. Time is a number
// the test moves; frameworks answer offers by launching a task (the rest comes back unfiltered,
// as the master does for the unused part of an ACCEPT without filters) or by declining.

export class TestCluster {
  readonly allocator: HierarchicalAllocator;
  now = 0;
  /** Tasks launched so far, by framework. */
  readonly tasks = new Map<string, number>();
  last: AllocationResult | undefined;

  constructor(options: Partial<AllocatorOptions> = {}) {
    this.allocator = new HierarchicalAllocator({ allocationIntervalMs: 1000, random: seededRandom(1), ...options });
  }

  agent(id: string, text: string, used: Record<string, [role: string, text: string]> = {}, multiRole = true): this {
    const usedMap = new Map<string, Resources>();
    for (const [frameworkId, [role, usedText]] of Object.entries(used)) usedMap.set(frameworkId, allocatedResources(usedText, role));
    this.allocator.addAgent(id, { hostname: `${id}.example`, total: resources(text), multiRole }, usedMap);
    return this;
  }

  framework(id: string, roles: string[], info: Partial<FrameworkInfo> = {}): this {
    this.allocator.addFramework(id, { roles, active: true, multiRole: true, ...info });
    return this;
  }

  /** One allocation cycle at the current time. */
  cycle(agentIds?: string[]): OfferDraft[] {
    this.last = this.allocator.allocate(this.now, agentIds);
    return this.last.offers;
  }

  decline(offer: OfferDraft, refuseSeconds: number | undefined): void {
    this.allocator.recoverResources(offer.frameworkId, offer.agentId, offer.resources, refuseSeconds, this.now);
  }

  /** Launches one task of `task` from the offer if it fits and returns the rest; false if it does not fit. */
  launch(offer: OfferDraft, task: string): boolean {
    const used = allocatedResources(task, offer.role);
    if (!offer.resources.contains(used)) {
      this.decline(offer, undefined);
      return false;
    }
    this.allocator.recoverResources(offer.frameworkId, offer.agentId, offer.resources.minus(used), undefined, this.now);
    this.tasks.set(offer.frameworkId, (this.tasks.get(offer.frameworkId) ?? 0) + 1);
    return true;
  }

  taskCount(frameworkId: string): number {
    return this.tasks.get(frameworkId) ?? 0;
  }

  /** Who got offers in the last cycle, as `framework@agent` sorted. */
  static describe(offers: readonly OfferDraft[]): string[] {
    return offers.map((o) => `${o.frameworkId}@${o.agentId}`).sort();
  }
}
