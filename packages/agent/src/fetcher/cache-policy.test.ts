import { expect } from 'chai';
import { cacheEvictions } from './cache-policy';

describe('fetcher cache eviction', () => {
  const entry = (key: string, size: number, lastUsedAt: number, inUse = false) => ({ key, size, lastUsedAt, inUse });

  it('evicts nothing while the cache fits', () => {
    expect(cacheEvictions([entry('a', 40, 1), entry('b', 60, 2)], 100)).to.deep.equal([]);
  });

  it('evicts the least recently used first, only as many as needed', () => {
    expect(cacheEvictions([entry('new', 50, 9), entry('old', 30, 1), entry('mid', 30, 5)], 60)).to.deep.equal(['old', 'mid']);
    expect(cacheEvictions([entry('new', 50, 9), entry('old', 30, 1), entry('mid', 30, 5)], 80)).to.deep.equal(['old']);
  });

  it('never evicts an entry in use, even if the cache stays over its size', () => {
    expect(cacheEvictions([entry('busy', 80, 1, true), entry('idle', 40, 2)], 50)).to.deep.equal(['idle']);
    expect(cacheEvictions([entry('busy', 80, 1, true)], 50)).to.deep.equal([]);
  });
});
