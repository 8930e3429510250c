import { expect } from 'chai';
import { MAX_REFUSE_SECONDS, RefusedOfferFilters, refuseFilterDurationMs } from './offer-filter';
import { resources } from './resource-fixtures';

describe('refuseFilterDurationMs', () => {
  const interval = 1000;
  const rows: Array<{ name: string; refuseSeconds: number | undefined; expectMs: number }> = [
    { name: 'no filters given (rescind, task finished): none', refuseSeconds: undefined, expectMs: 0 },
    { name: 'zero: none', refuseSeconds: 0, expectMs: 0 },
    { name: 'negative: the 5 s default', refuseSeconds: -1, expectMs: 5000 },
    { name: 'NaN: the 5 s default', refuseSeconds: Number.NaN, expectMs: 5000 },
    { name: 'shorter than the interval: one interval', refuseSeconds: 0.2, expectMs: 1000 },
    { name: 'ten seconds', refuseSeconds: 10, expectMs: 10_000 },
    { name: 'more than a year: capped at 365 days', refuseSeconds: 1e12, expectMs: MAX_REFUSE_SECONDS * 1000 },
    { name: 'infinity: capped at 365 days', refuseSeconds: Number.POSITIVE_INFINITY, expectMs: MAX_REFUSE_SECONDS * 1000 },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(refuseFilterDurationMs(row.refuseSeconds, interval)).to.equal(row.expectMs);
    });
  }
});

describe('RefusedOfferFilters', () => {
  const refused = resources('cpus:4;mem:1024');
  const rows = [
    { name: 'filters the same resources before expiry', candidate: 'cpus:4;mem:1024', now: 9_999, expect: true },
    { name: 'filters a subset of what was refused', candidate: 'cpus:1', now: 5_000, expect: true },
    { name: 'lets more resources through (growth beats the filter)', candidate: 'cpus:5;mem:1024', now: 5_000, expect: false },
    { name: 'lets a different resource through', candidate: 'gpus:1', now: 5_000, expect: false },
    { name: 'stops at expiresAt', candidate: 'cpus:4;mem:1024', now: 10_000, expect: false },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const filters = new RefusedOfferFilters();
      filters.add('fw\nrole', 'agent-1', refused, 10_000);
      expect(filters.applies('fw\nrole', 'agent-1', resources(row.candidate), row.now)).to.equal(row.expect);
    });
  }

  it('applies only to its own client and agent', () => {
    const filters = new RefusedOfferFilters();
    filters.add('fw\nrole', 'agent-1', refused, 10_000);
    expect(filters.applies('fw\nother', 'agent-1', refused, 0)).to.equal(false);
    expect(filters.applies('fw\nrole', 'agent-2', refused, 0)).to.equal(false);
  });

  it('sweeps expired filters and counts removals per agent', () => {
    const filters = new RefusedOfferFilters();
    filters.add('a', 'agent-1', refused, 1_000);
    filters.add('b', 'agent-1', refused, 3_000);
    filters.add('a', 'agent-2', refused, 2_000);
    expect(filters.expire(1_999)).to.equal(1);
    expect(filters.size).to.equal(2);
    expect(filters.removals('agent-1')).to.equal(1);
    expect(filters.removals('agent-2')).to.equal(0);
    expect(filters.expire(5_000)).to.equal(2);
    expect(filters.size).to.equal(0);
  });

  it('replaces a client’s filter on an agent, and the old one never expires anything', () => {
    const filters = new RefusedOfferFilters();
    filters.add('a', 'agent-1', refused, 1_000);
    filters.add('a', 'agent-1', refused, 9_000);
    expect(filters.size).to.equal(1);
    expect(filters.expire(2_000)).to.equal(0);
    expect(filters.get('a', 'agent-1')?.expiresAt).to.equal(9_000);
  });

  it('clears a client everywhere (REVIVE) and an agent entirely', () => {
    const filters = new RefusedOfferFilters();
    for (const agent of ['agent-1', 'agent-2']) {
      filters.add('a', agent, refused, 9_000);
      filters.add('b', agent, refused, 9_000);
    }
    filters.removeClient('a');
    expect(filters.size).to.equal(2);
    expect(filters.applies('a', 'agent-1', refused, 0)).to.equal(false);
    filters.removeAgent('agent-1');
    expect(filters.size).to.equal(1);
    expect(filters.get('b', 'agent-2')).to.not.equal(undefined);
  });

  const coverRows = [
    { name: 'every active client declined everything', active: ['a', 'b'], filters: { a: 'cpus:4;mem:1024', b: 'cpus:4;mem:1024' }, expect: true },
    { name: 'an active client has no filter', active: ['a', 'b', 'c'], filters: { a: 'cpus:4;mem:1024', b: 'cpus:4;mem:1024' }, expect: false },
    { name: 'only inactive clients are missing', active: ['a'], filters: { a: 'cpus:4;mem:1024' }, expect: true },
    { name: 'a filter refuses less than is free', active: ['a', 'b'], filters: { a: 'cpus:4;mem:1024', b: 'cpus:4' }, expect: false },
    { name: 'no active clients at all', active: [], filters: { a: 'cpus:4;mem:1024' }, expect: false },
  ];
  for (const row of coverRows) {
    it(`covers a whole agent only when ${row.name}: ${row.expect}`, () => {
      const filters = new RefusedOfferFilters();
      for (const c of ['a', 'b', 'c']) filters.setClientActive(c, true);
      for (const [client, text] of Object.entries(row.filters)) filters.add(client, 'agent-1', resources(text), 10_000);
      for (const c of ['a', 'b', 'c']) if (!row.active.includes(c)) filters.setClientActive(c, false);
      expect(filters.coversAll('agent-1', resources('cpus:4;mem:1024'))).to.equal(row.expect);
    });
  }
});
