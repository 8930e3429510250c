import { expect } from 'chai';
import type { AppDefinition, Offer } from '@tepui/protocol';
import { unusedOfferJson } from '../api/unused-offer-json';
import { declinedOfferSteps, LaunchQueue, lastOffersDeclined, REASON_FUNNEL } from './launch-queue';

function offerFrom(agent: string): Offer {
  return {
    id: { value: `offer-${agent}` }, framework_id: { value: 'fw' }, agent_id: { value: agent }, hostname: `host-${agent}`,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31005 }] }, reservations: [{ type: 'STATIC', role: 'web' }] },
    ],
    attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }, { name: 'zones', type: 'SET', set: { item: ['a', 'b'] } }],
  };
}

describe("launch queue: Marathon's offer statistics", () => {
  const app = { id: '/a', version: '2024-01-01T00:00:00.000Z' } as AppDefinition;

  it('writes every step of the funnel, each offer counted once, at its first failed check', () => {
    const steps = declinedOfferSteps(10, new Map([['UnfulfilledConstraint', 3], ['InsufficientCpus', 5]]));
    expect(steps.map((s) => s.reason)).to.deep.equal([...REASON_FUNNEL]);
    expect(steps.find((s) => s.reason === 'UnfulfilledRole')).to.deep.equal({ reason: 'UnfulfilledRole', declined: 0, processed: 10 });
    expect(steps.find((s) => s.reason === 'UnfulfilledConstraint')).to.deep.equal({ reason: 'UnfulfilledConstraint', declined: 3, processed: 10 });
    expect(steps.find((s) => s.reason === 'InsufficientCpus')).to.deep.equal({ reason: 'InsufficientCpus', declined: 5, processed: 7 });
    expect(steps.find((s) => s.reason === 'InsufficientPorts')).to.deep.equal({ reason: 'InsufficientPorts', declined: 0, processed: 2 });
  });

  it('keeps the last unused offer of each agent for rejectSummaryLastOffers, and all of them for the launch attempt', () => {
    const queue = new LaunchQueue();
    queue.set(app, 1, 0);
    const entry = queue.get('/a')!;
    queue.recordOffer(entry, offerFrom('agent-1'), false, ['InsufficientMemory', 'InsufficientCpus'], 1);
    queue.recordOffer(entry, offerFrom('agent-1'), false, ['UnfulfilledConstraint', 'InsufficientCpus'], 2);
    queue.recordOffer(entry, offerFrom('agent-2'), false, ['InsufficientCpus'], 3);
    queue.recordOffer(entry, offerFrom('agent-3'), true, [], 4);
    expect(entry.stats).to.deep.include({ processed: 4, unused: 3, lastUnusedAt: 3, lastUsedAt: 4 });
    expect([...lastOffersDeclined(entry.stats)].sort()).to.deep.equal([['InsufficientCpus', 1], ['UnfulfilledConstraint', 1]]);
    expect([...entry.stats.launchAttempt].sort()).to.deep.equal([['InsufficientCpus', 2], ['UnfulfilledConstraint', 1]]);
    expect([...entry.stats.lastByAgent.keys()].sort()).to.deep.equal(['agent-1', 'agent-2']);
  });

  it("writes an agent's last unused offer in Marathon's queue.UnusedOffer shape (embed=lastUnusedOffers)", () => {
    expect(unusedOfferJson({ offer: offerFrom('agent-1'), reasons: ['UnfulfilledConstraint', 'InsufficientCpus'], at: Date.UTC(2024, 0, 1) })).to.deep.equal({
      offer: {
        id: 'offer-agent-1', agentId: 'agent-1', hostname: 'host-agent-1',
        resources: [
          { name: 'cpus', role: '*', scalar: 0.5 },
          { name: 'ports', role: 'web', ranges: [{ begin: 31000, end: 31005 }] },
        ],
        attributes: [{ name: 'rack', text: 'r1' }, { name: 'zones', set: ['a', 'b'] }],
      },
      reason: ['UnfulfilledConstraint', 'InsufficientCpus'],
      timestamp: '2024-01-01T00:00:00.000Z',
    });
  });
});
