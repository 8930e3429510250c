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
 * `Filters.refuse_seconds` as the Mesos master reads it: negative (or NaN) means the default,
 * more than a year (also Infinity, which stout's parser accepts) means a year; 0 means no filter.
 */
export function normalizeRefuseSeconds(refuseSeconds: number): number {
  if (Number.isNaN(refuseSeconds) || refuseSeconds < 0) return DEFAULT_REFUSE_SECONDS;
  return Math.min(refuseSeconds, MAX_REFUSE_SECONDS);
}

/**
 * How long a filter lasts, in ms, or 0 for no filter. `undefined` means the resources came back
 * without a decision (rescind, task finished); the duration is at least one allocation interval
 * so a filter survives the next batch run.
 */
export function refuseFilterDurationMs(refuseSeconds: number | undefined, allocationIntervalMs: number): number {
  if (refuseSeconds === undefined) return 0;
  const seconds = normalizeRefuseSeconds(refuseSeconds);
  return seconds === 0 ? 0 : Math.max(seconds * 1000, allocationIntervalMs);
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
}

/** How many distinct refused sets an agent interns; beyond that, sets are kept as given. */
const INTERNED_PER_AGENT = 4;

/**
 * The filters on one agent. Frameworks that decline the same agent usually refuse the same set
 * (everything free there), so refused sets are interned per agent and `contains` answers are
 * cached per (refused set, candidate) for the agent's current candidate: a thousand filters on an
 * agent cost one `contains` per change of its free resources, not a thousand.
 */
export class AgentFilters {
  readonly byClient = new Map<string, StoredFilter>();
  /** How many of `byClient` belong to clients the allocator currently considers. */
  activeFiltered = 0;
  private readonly interned = new Map<Resources, number>(); // refused set → filters using it
  private cachedCandidate: Resources | undefined;
  private readonly cachedContains = new Map<Resources, boolean>();

  /** True when the client has an unexpired filter whose refused set contains `candidate`. */
  applies(client: string, candidate: Resources, now: number): boolean {
    const filter = this.byClient.get(client);
    return filter !== undefined && now < filter.expiresAt && this.contains(filter.refused, candidate);
  }

  /**
   * True when every filter here refuses one and the same set, and that set contains all of
   * `available` (hence every framework-role's candidate, which is a part of it).
   */
  refusesAllOf(available: Resources): boolean {
    if (this.interned.size !== 1) return false;
    for (const [refused, uses] of this.interned) return uses === this.byClient.size && this.contains(refused, available);
    return false;
  }

  private contains(refused: Resources, candidate: Resources): boolean {
    if (this.cachedCandidate !== candidate) {
      this.cachedCandidate = candidate;
      this.cachedContains.clear();
    }
    let contains = this.cachedContains.get(refused);
    if (contains === undefined) {
      contains = refused.contains(candidate);
      this.cachedContains.set(refused, contains);
    }
    return contains;
  }

  /** The interned copy of `refused` (an equal set already used here), or `refused` itself. */
  intern(refused: Resources): Resources {
    for (const known of this.interned.keys()) if (known === refused || known.equals(refused)) return known;
    return refused;
  }

  put(filter: StoredFilter): void {
    this.byClient.set(filter.client, filter);
    const uses = this.interned.get(filter.refused);
    if (uses !== undefined) this.interned.set(filter.refused, uses + 1);
    else if (this.interned.size < INTERNED_PER_AGENT) this.interned.set(filter.refused, 1);
  }

  delete(filter: StoredFilter): void {
    this.byClient.delete(filter.client);
    const uses = this.interned.get(filter.refused);
    if (uses === undefined) return;
    if (uses > 1) this.interned.set(filter.refused, uses - 1);
    else {
      this.interned.delete(filter.refused);
      this.cachedContains.delete(filter.refused);
    }
  }
}

export class RefusedOfferFilters {
  private readonly byAgent = new Map<string, AgentFilters>();
  private readonly byClient = new Map<string, Map<string, StoredFilter>>();
  /** Per agent, how many filters were ever removed there; see `removals`. */
  private readonly removalsByAgent = new Map<string, number>();
  private readonly expiry = new MinHeap<StoredFilter>((a, b) => a.expiresAt < b.expiresAt);
  /** Clients (framework-roles) the allocator currently offers to: active and not suppressed. */
  private readonly activeClients = new Set<string>();
  private live = 0;

  get size(): number {
    return this.live;
  }

  /** Adds a filter; it replaces any filter the client already has on that agent. */
  add(client: string, agentId: string, refused: Resources, expiresAt: number): void {
    this.remove(client, agentId);
    let agent = this.byAgent.get(agentId);
    if (agent === undefined) this.byAgent.set(agentId, (agent = new AgentFilters()));
    const filter: StoredFilter = { client, agentId, refused: agent.intern(refused), expiresAt, removed: false };
    agent.put(filter);
    if (this.activeClients.has(client)) agent.activeFiltered++;
    let clientFilters = this.byClient.get(client);
    if (clientFilters === undefined) this.byClient.set(client, (clientFilters = new Map()));
    clientFilters.set(agentId, filter);
    this.expiry.push(filter);
    this.live++;
  }

  /** The agent's filters, or undefined when it has none (the common, cheap case). */
  forAgent(agentId: string): AgentFilters | undefined {
    return this.byAgent.get(agentId);
  }

  /** True when the client has an unexpired filter on the agent whose refused set contains `candidate`. */
  applies(client: string, agentId: string, candidate: Resources, now: number): boolean {
    return this.byAgent.get(agentId)?.applies(client, candidate, now) ?? false;
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
    const agent = this.byAgent.get(agentId);
    const filter = agent?.byClient.get(client);
    if (agent === undefined || filter === undefined) return;
    filter.removed = true;
    agent.delete(filter);
    if (this.activeClients.has(client)) agent.activeFiltered--;
    if (agent.byClient.size === 0) this.byAgent.delete(agentId);
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
    for (const client of Array.from(this.byAgent.get(agentId)?.byClient.keys() ?? [])) this.remove(client, agentId);
    this.removalsByAgent.delete(agentId);
  }

  /** Tells the store whether the allocator currently offers to `client`. */
  setClientActive(client: string, active: boolean): void {
    if (this.activeClients.has(client) === active) return;
    if (active) this.activeClients.add(client);
    else this.activeClients.delete(client);
    for (const agentId of this.byClient.get(client)?.keys() ?? []) {
      (this.byAgent.get(agentId) as AgentFilters).activeFiltered += active ? 1 : -1;
    }
  }

  /**
   * True when every client the allocator offers to has a filter on the agent that covers all of
   * its free resources, so the agent can be skipped in O(1) — the steady state of a cluster
   * where every framework has declined everything (Mesos walks all of them, every cycle).
   */
  coversAll(agentId: string, available: Resources): boolean {
    const agent = this.byAgent.get(agentId);
    return (
      agent !== undefined &&
      this.activeClients.size > 0 &&
      agent.activeFiltered === this.activeClients.size &&
      agent.refusesAllOf(available)
    );
  }

  /** The filter of a client on an agent, for introspection and tests. */
  get(client: string, agentId: string): RefusedOfferFilter | undefined {
    return this.byAgent.get(agentId)?.byClient.get(client);
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
