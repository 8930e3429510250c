import { expect } from 'chai';
import { decodeQueue, type QueueSummary } from './marathon-wire';
import { app } from './test-fixtures';
import { readReason, whyWaiting } from './why-waiting';

/** One GET /v2/queue entry as Marathon sends it, decoded. */
function queueEntry(appId: string, fields: { count?: number; timeLeftSeconds?: number; overdue?: boolean; summary?: Record<string, unknown> }): QueueSummary {
  const [entry] = decodeQueue({
    queue: [{
      app: { id: appId }, count: fields.count ?? 1, since: '2024-05-01T10:00:00.000Z',
      delay: { timeLeftSeconds: fields.timeLeftSeconds ?? 0, overdue: fields.overdue ?? true },
      processedOffersSummary: { processedOffersCount: 0, unusedOffersCount: 0, rejectSummaryLastOffers: [], rejectSummaryLaunchAttempt: [], ...fields.summary },
    }],
  });
  if (!entry) throw new Error('queue fixture did not decode');
  return entry;
}

describe('whyWaiting', () => {
  it('says how many offers were seen and used, and reads each reason that declined offers against what the app asks for, most declined first', () => {
    const big = app('/big', { cpus: 64, mem: 2048, constraints: [['hostname', 'LIKE', 'nowhere']] });
    const view = whyWaiting(big, queueEntry('/big', {
      count: 2,
      summary: {
        processedOffersCount: 12, unusedOffersCount: 12, lastUnusedOfferAt: '2024-05-01T10:00:05.000Z',
        rejectSummaryLastOffers: [
          { reason: 'UnfulfilledRole', declined: 0, processed: 12 },
          { reason: 'UnfulfilledConstraint', declined: 2, processed: 12 },
          { reason: 'InsufficientCpus', declined: 10, processed: 10 },
          { reason: 'InsufficientMemory', declined: 0, processed: 0 },
        ],
      },
    }));
    expect(view).to.deep.include({ waiting: true, heading: 'Waiting for offers', offersSeen: 12, offersUsed: 0 });
    expect(view.state).to.equal('2 instances to launch. No offer has fitted yet.');
    expect(view.offers).to.equal('12 offers seen, none used.');
    expect(view.reasons).to.deep.equal([
      { reason: 'InsufficientCpus', declined: 10, processed: 10, reading: 'needs 64 CPUs per instance; no offer had that many free' },
      { reason: 'UnfulfilledConstraint', declined: 2, processed: 12, reading: 'constraint hostname LIKE nowhere not met by the offering agents' },
    ]);
  });

  it('says when no offer has come in yet', () => {
    const view = whyWaiting(app('/a'), queueEntry('/a', {}));
    expect(view.state).to.equal('1 instance to launch. No offer has come in yet.');
    expect(view.offers).to.equal('0 offers seen, none used.');
    expect(view.reasons).to.deep.equal([]);
  });

  it('counts the offers used: seen minus unused', () => {
    const view = whyWaiting(app('/a'), queueEntry('/a', { count: 3, summary: { processedOffersCount: 5, unusedOffersCount: 3 } }));
    expect(view.offersUsed).to.equal(2);
    expect(view.offers).to.equal('5 offers seen, 2 used.');
  });

  it('says a delayed app is held back by its backoff', () => {
    const view = whyWaiting(app('/a'), queueEntry('/a', { overdue: false, timeLeftSeconds: 17 }));
    expect(view).to.deep.include({ waiting: false, heading: 'Delayed' });
    expect(view.state).to.equal('1 instance to launch. Launches are held back for 17 s after failures (backoff).');
  });

  const readings: Array<{ reason: string; fields: Record<string, unknown>; expect: string }> = [
    { reason: 'InsufficientMemory', fields: { mem: 8192 }, expect: 'needs 8 GiB of memory per instance; no offer had that much free' },
    { reason: 'InsufficientDisk', fields: { disk: 500 }, expect: 'needs 500 MiB of disk per instance; no offer had that much free' },
    { reason: 'InsufficientGpus', fields: { gpus: 2 }, expect: 'needs 2 GPUs per instance; no offer had that many free' },
    { reason: 'InsufficientPorts', fields: { portDefinitions: [{ port: 80 }, { port: 0 }] }, expect: 'needs 2 host ports; the offers did not have them free' },
    { reason: 'UnfulfilledRole', fields: { acceptedResourceRoles: ['prod'] }, expect: 'accepts resources of role prod only; the offers had none' },
    { reason: 'UnfulfilledConstraint', fields: { constraints: [['hostname', 'UNIQUE'], ['rack', 'CLUSTER', 'r1']] }, expect: 'constraint hostname UNIQUE, rack CLUSTER r1 not met by the offering agents' },
    { reason: 'SomethingNew', fields: {}, expect: 'SomethingNew' },
  ];
  for (const r of readings) {
    it(`reads ${r.reason}`, () => {
      expect(readReason(r.reason, app('/a', r.fields))).to.equal(r.expect);
    });
  }
});
