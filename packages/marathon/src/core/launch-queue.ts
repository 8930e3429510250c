// Instances waiting for an offer, per app (Marathon's launch queue), with what the offers seen
// while waiting said (the processedOffersSummary of GET /v2/queue).
import type { AppDefinition, Offer } from '@tepui/protocol';
import type { RejectionKind } from '../scheduling/offer-matcher';

/**
 * Marathon's NoOfferMatchReason.reasonFunnel: an unused offer counts under the first of its
 * reasons in this order, and the queue lists every step. Tepui has no reservations, so
 * NoCorrespondingReservationFound is listed and never counted.
 */
export const REASON_FUNNEL: ReadonlyArray<RejectionKind | 'NoCorrespondingReservationFound'> = [
  'UnfulfilledRole', 'UnfulfilledConstraint', 'NoCorrespondingReservationFound',
  'InsufficientCpus', 'InsufficientMemory', 'InsufficientDisk', 'InsufficientGpus', 'InsufficientPorts',
];

export interface OfferStats {
  processed: number;
  unused: number;
  lastUnusedAt?: number;
  lastUsedAt?: number;
  /** Unused offers since the app joined the queue, by their first reason in the funnel. */
  readonly launchAttempt: Map<string, number>;
  /** Per agent, its last unused offer and why (Marathon's lastNoMatches). */
  readonly lastByAgent: Map<string, UnusedOffer>;
}

/** An offer the app could not use: as much of it as the app saw, and every check it failed. */
export interface UnusedOffer {
  readonly offer: Offer;
  readonly reasons: readonly RejectionKind[];
  readonly at: number;
}

export interface DeclinedOfferStep {
  readonly reason: string;
  /** Offers counted under this reason. */
  readonly declined: number;
  /** Offers that reached this step of the funnel: all of them, less those declined before it. */
  readonly processed: number;
}

/** The funnel as Marathon's GET /v2/queue writes it, for `total` offers and their first reasons. */
export function declinedOfferSteps(total: number, declinedBy: ReadonlyMap<string, number>): DeclinedOfferStep[] {
  let processed = total;
  return REASON_FUNNEL.map((reason) => {
    const declined = declinedBy.get(reason) ?? 0;
    const step = { reason, declined, processed };
    processed -= declined;
    return step;
  });
}

/** The first reasons of each agent's last unused offer, counted (rejectSummaryLastOffers). */
export function lastOffersDeclined(stats: OfferStats): Map<string, number> {
  const counts = new Map<string, number>();
  for (const unused of stats.lastByAgent.values()) {
    const reason = firstInFunnel(unused.reasons);
    if (reason !== undefined) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return counts;
}

function firstInFunnel(reasons: readonly RejectionKind[]): RejectionKind | undefined {
  let first: RejectionKind | undefined;
  for (const reason of reasons) if (first === undefined || REASON_FUNNEL.indexOf(reason) < REASON_FUNNEL.indexOf(first)) first = reason;
  return first;
}

export interface QueueEntry {
  /** The app definition (version) the waiting instances will run. */
  readonly app: AppDefinition;
  count: number;
  readonly since: number;
  readonly stats: OfferStats;
}

export class LaunchQueue {
  private readonly entries = new Map<string, QueueEntry>();

  /** Sets how many instances of this app version wait; a new version replaces the old entry. */
  set(app: AppDefinition, count: number, now: number): void {
    const current = this.entries.get(app.id);
    if (count <= 0) {
      this.entries.delete(app.id);
    } else if (current && current.app.version === app.version) {
      current.count = count;
    } else {
      this.entries.set(app.id, { app, count, since: current?.since ?? now, stats: current?.stats ?? { processed: 0, unused: 0, launchAttempt: new Map(), lastByAgent: new Map() } });
    }
  }

  /** Waiting instances of exactly this app version. */
  count(app: Pick<AppDefinition, 'id' | 'version'>): number {
    const entry = this.entries.get(app.id);
    return entry && entry.app.version === app.version ? entry.count : 0;
  }

  get(appId: string): QueueEntry | undefined {
    return this.entries.get(appId);
  }

  /** Instances handed to an offer leave the queue. */
  took(appId: string, n: number): void {
    const entry = this.entries.get(appId);
    if (!entry) return;
    entry.count -= n;
    if (entry.count <= 0) this.entries.delete(appId);
  }

  purge(appId: string): void {
    this.entries.delete(appId);
  }

  /** Oldest first: the order offers are matched in. */
  list(): QueueEntry[] {
    return [...this.entries.values()].sort((a, b) => a.since - b.since);
  }

  get isEmpty(): boolean {
    return this.entries.size === 0;
  }

  /** What an offer did for this entry: used, or declined for these reasons. */
  recordOffer(entry: QueueEntry, offer: Offer, used: boolean, reasons: readonly RejectionKind[], now: number): void {
    const stats = entry.stats;
    stats.processed += 1;
    if (used) {
      stats.lastUsedAt = now;
      return;
    }
    stats.unused += 1;
    stats.lastUnusedAt = now;
    const first = firstInFunnel(reasons);
    if (first !== undefined) stats.launchAttempt.set(first, (stats.launchAttempt.get(first) ?? 0) + 1);
    stats.lastByAgent.set(offer.agent_id.value, { offer, reasons, at: now });
  }
}
