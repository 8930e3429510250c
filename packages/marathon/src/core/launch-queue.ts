// Instances waiting for an offer, per app (Marathon's launch queue), with what the offers seen
// while waiting said (the processedOffersSummary of GET /v2/queue).
import type { AppDefinition } from '@tepui/protocol';
import type { RejectionKind } from '../scheduling/offer-matcher';

/** Marathon's order of NoOfferMatchReason, which the queue summary keeps. */
export const REJECT_REASONS: readonly RejectionKind[] = [
  'UnfulfilledRole', 'UnfulfilledConstraint', 'InsufficientCpus', 'InsufficientMemory', 'InsufficientDisk', 'InsufficientGpus', 'InsufficientPorts',
];

export interface OfferStats {
  processed: number;
  unused: number;
  lastUnusedAt?: number;
  /** Per reason: offers declined for it (first reason only) and offers where it occurred at all. */
  reasons: Map<RejectionKind, { declined: number; processed: number }>;
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
      this.entries.set(app.id, { app, count, since: current?.since ?? now, stats: current?.stats ?? { processed: 0, unused: 0, reasons: new Map() } });
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

  recordOffer(entry: QueueEntry, used: boolean, reasons: readonly RejectionKind[], now: number): void {
    const stats = entry.stats;
    stats.processed += 1;
    if (used) return;
    stats.unused += 1;
    stats.lastUnusedAt = now;
    reasons.forEach((reason, i) => {
      const r = stats.reasons.get(reason) ?? { declined: 0, processed: 0 };
      r.processed += 1;
      if (i === 0) r.declined += 1;
      stats.reasons.set(reason, r);
    });
  }
}
