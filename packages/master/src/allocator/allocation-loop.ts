import type { Cancel, Clock } from '@tepui/protocol';
import type { AllocationResult } from './allocator-types';

/** What the loop needs from the allocator. */
export interface Allocating {
  allocate(now: number, agentIds?: Iterable<string>): AllocationResult;
}

// The shell around the pure allocator, and the only place in this folder that owns timers.
// A full run every `intervalMs` (--allocation_interval), plus event-triggered runs: events mark
// agents dirty and schedule ONE run on the next turn of the event loop, so a burst of events
// (an agent re-registering, many declines in one tick) costs one cycle — Mesos' generateOffers()
// batching. The interval is an upper bound on how stale offers get, not a sleep.

export class AllocationLoop {
  private periodic: Cancel | undefined;
  private soon: Cancel | undefined;
  private dirtyAll = false;
  private readonly dirty = new Set<string>();
  private active = false;
  /** Checked before each run: a master cut off from its election makes no offer, even before it steps down. */
  mayAllocate: () => boolean = () => true;

  /** Allocating (the master leads). */
  get running(): boolean {
    return this.active;
  }

  constructor(
    private readonly allocator: Allocating,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly onOffers: (result: AllocationResult) => void,
  ) {}

  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedulePeriodic();
    if (this.dirtyAll || this.dirty.size > 0) this.scheduleSoon();
  }

  stop(): void {
    this.active = false;
    this.periodic?.();
    this.soon?.();
    this.periodic = undefined;
    this.soon = undefined;
  }

  /** Asks for a run soon over these agents (all agents when none are given). */
  requestAllocation(agentIds?: Iterable<string>): void {
    if (agentIds === undefined) this.dirtyAll = true;
    else for (const id of agentIds) this.dirty.add(id);
    if (this.active) this.scheduleSoon();
  }

  private scheduleSoon(): void {
    if (this.soon !== undefined) return;
    this.soon = this.clock.setTimer(0, () => {
      this.soon = undefined;
      this.run();
    });
  }

  private schedulePeriodic(): void {
    this.periodic = this.clock.setTimer(this.intervalMs, () => {
      this.periodic = undefined;
      // A full run covers whatever was pending.
      this.dirtyAll = true;
      this.run();
      if (this.active) this.schedulePeriodic();
    });
  }

  private run(): void {
    if (!this.active || !this.mayAllocate()) return;
    const agentIds = this.dirtyAll ? undefined : Array.from(this.dirty);
    this.dirtyAll = false;
    this.dirty.clear();
    if (agentIds !== undefined && agentIds.length === 0) return;
    this.onOffers(this.allocator.allocate(this.clock.now(), agentIds));
  }
}
