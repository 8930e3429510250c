import type { Resources } from '@tepui/protocol';
import { MinHeap } from './min-heap';

// Refused-offer filters (Mesos' RefusedOfferFilter), as data: after a DECLINE (or the unused part
// of an ACCEPT) with refuse_seconds > 0, the refused resources are not re-offered to that
// (framework, role) on that agent while `now < expiresAt` and the refused set *contains* what
// would be offered, so growth in an agent's free resources beats the filter. Unlike Mesos, a
// filter owns no timer: it is compared with `now`, and an expiry heap is swept once per cycle.

/** Mesos' Filters.refuse_seconds default. */
export const DEFAULT_REFUSE_SECONDS = 5;
/** Longer filters are capped at a year, as the Mesos master does. */
export const MAX_REFUSE_SECONDS = 365 * 24 * 60 * 60;

/**
 * How long a filter lasts, in ms, or 0 for no filter. `undefined` means the resources came back
 * without a decision (rescind, task finished); negative or NaN means the default; the duration is
 * at least one allocation interval so a filter survives the next batch run.
 */
export function refuseFilterDurationMs(refuseSeconds: number | undefined, allocationIntervalMs: number): number {
  if (refuseSeconds === undefined) return 0;
  let seconds = Number.isNaN(refuseSeconds) || refuseSeconds < 0 ? DEFAULT_REFUSE_SECONDS : refuseSeconds;
  if (seconds === 0) return 0;
  if (seconds > MAX_REFUSE_SECONDS) seconds = MAX_REFUSE_SECONDS;
  return Math.max(seconds * 1000, allocationIntervalMs);
}

export interface RefusedOfferFilter {
  /** The framework-role the filter belongs to (a key chosen by the caller). */
  readonly client: string;
  readonly agentId: string;
  /** Refused resources, unallocated form. */
  readonly refused: Resources;
  readonly expiresAt: number;
}

interface StoredFilter extends RefusedOfferFilter {
  removed: boolean;
  lastCandidate: Resources | undefined;
  lastContains: boolean;
}

export class RefusedOfferFilters {
  private readonly byAgent = new Map<string, Map<string, StoredFilter>>();
  private readonly byClient = new Map<string, Map<string, StoredFilter>>();
  /** Per agent, how many filters were ever removed there; see `removals`. */
  private readonly removalsByAgent = new Map<string, number>();
  private readonly expiry = new MinHeap<StoredFilter>((a, b) => a.expiresAt < b.expiresAt);
  private live = 0;

  get size(): number {
    return this.live;
  }

  /** Adds a filter; it replaces any filter the client already has on that agent. */
  add(client: string, agentId: string, refused: Resources, expiresAt: number): void {
    this.remove(client, agentId);
    const filter: StoredFilter = { client, agentId, refused, expiresAt, removed: false, lastCandidate: undefined, lastContains: false };
    let agentFilters = this.byAgent.get(agentId);
    if (agentFilters === undefined) this.byAgent.set(agentId, (agentFilters = new Map()));
    agentFilters.set(client, filter);
    let clientFilters = this.byClient.get(client);
    if (clientFilters === undefined) this.byClient.set(client, (clientFilters = new Map()));
    clientFilters.set(agentId, filter);
    this.expiry.push(filter);
    this.live++;
  }

  /** True when the client has an unexpired filter on the agent whose refused set contains `candidate`. */
  applies(client: string, agentId: string, candidate: Resources, now: number): boolean {
    const filter = this.byAgent.get(agentId)?.get(client);
    if (filter === undefined || now >= filter.expiresAt) return false;
    // Agents' free resources are immutable values, so the last answer holds while they are unchanged.
    if (filter.lastCandidate !== candidate) {
      filter.lastCandidate = candidate;
      filter.lastContains = filter.refused.contains(candidate);
    }
    return filter.lastContains;
  }

  /** Drops every filter with `expiresAt <= now`; returns how many. */
  expire(now: number): number {
    let expired = 0;
    for (let top = this.expiry.peek(); top !== undefined && top.expiresAt <= now; top = this.expiry.peek()) {
      this.expiry.pop();
      if (top.removed) continue;
      this.remove(top.client, top.agentId);
      expired++;
    }
    return expired;
  }

  remove(client: string, agentId: string): void {
    const agentFilters = this.byAgent.get(agentId);
    const filter = agentFilters?.get(client);
    if (agentFilters === undefined || filter === undefined) return;
    filter.removed = true;
    agentFilters.delete(client);
    if (agentFilters.size === 0) this.byAgent.delete(agentId);
    this.removalsByAgent.set(agentId, (this.removalsByAgent.get(agentId) ?? 0) + 1);
    const clientFilters = this.byClient.get(client);
    clientFilters?.delete(agentId);
    if (clientFilters?.size === 0) this.byClient.delete(client);
    this.live--;
    this.compact();
  }

  /** Clears a client's filters everywhere (REVIVE, role removed, framework removed). */
  removeClient(client: string): void {
    const agents = this.byClient.get(client);
    if (agents === undefined) return;
    for (const agentId of Array.from(agents.keys())) this.remove(client, agentId);
  }

  /** Clears an agent's filters and forgets it. */
  removeAgent(agentId: string): void {
    for (const client of Array.from(this.byAgent.get(agentId)?.keys() ?? [])) this.remove(client, agentId);
    this.removalsByAgent.delete(agentId);
  }

  /** The filter of a client on an agent, for introspection and tests. */
  get(client: string, agentId: string): RefusedOfferFilter | undefined {
    return this.byAgent.get(agentId)?.get(client);
  }

  /**
   * A counter that grows whenever a filter on the agent goes away (expiry, REVIVE, removal). Only a
   * removal can make an agent offerable again, so a caller that remembers "nothing could be offered
   * here" stays right while this number and the agent's free resources are unchanged.
   */
  removals(agentId: string): number {
    return this.removalsByAgent.get(agentId) ?? 0;
  }

  /** Removed filters linger in the heap until their time; rebuild when they dominate it. */
  private compact(): void {
    if (this.expiry.size < 1024 || this.expiry.size < 4 * this.live) return;
    const keep: StoredFilter[] = [];
    for (const filters of this.byClient.values()) for (const f of filters.values()) keep.push(f);
    this.expiry.reset(keep);
  }
}
