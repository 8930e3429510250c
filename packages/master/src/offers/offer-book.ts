// Outstanding offers: which framework holds which resources of which agent, until they are
// accepted, declined, rescinded or time out.
import type { Cancel, Resources } from '@tepui/protocol';

export interface OutstandingOffer {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  readonly resources: Resources;
  readonly createdAt: number;
  expiry?: Cancel;
}

export class OfferBook {
  private readonly offers = new Map<string, OutstandingOffer>();
  private readonly byAgent = new Map<string, Set<string>>();
  private readonly byFramework = new Map<string, Set<string>>();

  add(offer: OutstandingOffer): void {
    this.offers.set(offer.id, offer);
    index(this.byAgent, offer.agentId, offer.id);
    index(this.byFramework, offer.frameworkId, offer.id);
  }

  get(id: string): OutstandingOffer | undefined {
    return this.offers.get(id);
  }

  /** Removes and returns the offer; its expiry timer is cancelled. */
  take(id: string): OutstandingOffer | undefined {
    const offer = this.offers.get(id);
    if (!offer) return undefined;
    this.offers.delete(id);
    unindex(this.byAgent, offer.agentId, id);
    unindex(this.byFramework, offer.frameworkId, id);
    offer.expiry?.();
    return offer;
  }

  ofAgent(agentId: string): OutstandingOffer[] {
    return this.collect(this.byAgent.get(agentId));
  }

  ofFramework(frameworkId: string): OutstandingOffer[] {
    return this.collect(this.byFramework.get(frameworkId));
  }

  get size(): number {
    return this.offers.size;
  }

  all(): IterableIterator<OutstandingOffer> {
    return this.offers.values();
  }

  private collect(ids: Set<string> | undefined): OutstandingOffer[] {
    if (!ids) return [];
    const out: OutstandingOffer[] = [];
    for (const id of ids) {
      const offer = this.offers.get(id);
      if (offer) out.push(offer);
    }
    return out;
  }
}

function index(map: Map<string, Set<string>>, key: string, id: string): void {
  let ids = map.get(key);
  if (!ids) map.set(key, (ids = new Set()));
  ids.add(id);
}

function unindex(map: Map<string, Set<string>>, key: string, id: string): void {
  const ids = map.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) map.delete(key);
}
