import { expect } from 'chai';
import fc from 'fast-check';
import { Backoff, backoffDelay, DEFAULT_RECONNECT_BACKOFF } from './backoff';

describe('backoff', () => {
  const cases = [
    { name: 'first attempt, no jitter drawn', attempt: 0, random: 0, expect: 500 },
    { name: 'doubles each attempt', attempt: 3, random: 0, expect: 4000 },
    { name: 'caps at maxMs', attempt: 10, random: 0, expect: 30_000 },
    { name: 'huge attempt numbers stay capped', attempt: 10_000, random: 0, expect: 30_000 },
    { name: 'jitter takes off up to half', attempt: 0, random: 0.999999, expect: 250 },
    { name: 'jitter at the cap', attempt: 20, random: 0.5, expect: 22_500 },
  ];
  for (const c of cases) {
    it(c.name, () => expect(backoffDelay(c.attempt, DEFAULT_RECONNECT_BACKOFF, c.random)).to.equal(c.expect));
  }

  it('stays within [base·(1−jitter), base] for any draw', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 52));
        const d = backoffDelay(attempt, DEFAULT_RECONNECT_BACKOFF, r);
        return d >= Math.floor(base / 2) && d <= base;
      }),
    );
  });

  it('Backoff counts attempts and starts over on reset', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 }, () => 0.3);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).to.deep.equal([100, 200, 400, 800, 1000]);
    expect(b.attempts).to.equal(5);
    b.reset();
    expect(b.next()).to.equal(100);
  });
});
