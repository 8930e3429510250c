import { expect } from 'chai';
import type { AppDefinition } from '@tepui/protocol';
import { declinedOfferSteps, LaunchQueue, lastOffersDeclined, REASON_FUNNEL } from './launch-queue';

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
    queue.recordOffer(entry, 'agent-1', false, ['InsufficientMemory', 'InsufficientCpus'], 1);
    queue.recordOffer(entry, 'agent-1', false, ['UnfulfilledConstraint', 'InsufficientCpus'], 2);
    queue.recordOffer(entry, 'agent-2', false, ['InsufficientCpus'], 3);
    queue.recordOffer(entry, 'agent-3', true, [], 4);
    expect(entry.stats).to.deep.include({ processed: 4, unused: 3, lastUnusedAt: 3, lastUsedAt: 4 });
    expect([...lastOffersDeclined(entry.stats)].sort()).to.deep.equal([['InsufficientCpus', 1], ['UnfulfilledConstraint', 1]]);
    expect([...entry.stats.launchAttempt].sort()).to.deep.equal([['InsufficientCpus', 2], ['UnfulfilledConstraint', 1]]);
  });
});
