// GET /v2/queue?embed=lastUnusedOffers: each agent's last offer an app could not use, in
// Marathon's RAML shape (queue.UnusedOffer: the offer's id, agent, resources and attributes, the
// reasons, when).
import type { Attribute, Resource } from '@tepui/protocol';
import type { UnusedOffer } from '../core/launch-queue';

interface NumberRange { begin: number; end: number }

function valueOf(value: Pick<Resource, 'scalar' | 'ranges' | 'set'>): { scalar?: number; ranges?: NumberRange[]; set?: string[] } {
  return {
    ...(value.scalar ? { scalar: value.scalar.value } : {}),
    ...(value.ranges ? { ranges: (value.ranges.range ?? []).map((r) => ({ begin: r.begin, end: r.end })) } : {}),
    ...(value.set ? { set: [...(value.set.item ?? [])] } : {}),
  };
}

/** A resource's role: the innermost reservation's, or `*` unreserved (Marathon reads the offer's `role`). */
const roleOf = (resource: Resource): string => resource.reservations?.at(-1)?.role ?? resource.role ?? '*';

const attributeJson = (a: Attribute) => ({ name: a.name, ...(a.text ? { text: a.text.value } : {}), ...valueOf(a) });

export function unusedOfferJson(unused: UnusedOffer) {
  const { offer } = unused;
  return {
    offer: {
      id: offer.id.value,
      agentId: offer.agent_id.value,
      hostname: offer.hostname,
      resources: offer.resources.map((r) => ({ name: r.name, role: roleOf(r), ...valueOf(r) })),
      attributes: (offer.attributes ?? []).map(attributeJson),
    },
    reason: [...unused.reasons],
    timestamp: new Date(unused.at).toISOString(),
  };
}
