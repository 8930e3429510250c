import { expect } from 'chai';
import { ManualClock } from '@tepui/protocol';
import { SandboxCache } from './sandbox-cache';

describe('SandboxCache', () => {
  const at = { agent: 'http://10.0.0.5:5051', sandbox: '/w/runs/r1' };

  it('keeps a location until it expires by the clock, or is forgotten', () => {
    const clock = new ManualClock(1_000);
    const cache = new SandboxCache(clock, 30_000);
    cache.set('t1', at);
    clock.advance(29_999);
    expect(cache.get('t1')).to.deep.equal(at);
    clock.advance(1);
    expect(cache.get('t1')).to.equal(undefined);
    cache.set('t1', at);
    cache.forget('t1');
    expect(cache.get('t1')).to.equal(undefined);
  });

  it('drops the oldest beyond its bound', () => {
    const cache = new SandboxCache(new ManualClock(0), 30_000, 2);
    cache.set('a', at);
    cache.set('b', at);
    cache.set('c', at);
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean)).to.deep.equal([false, true, true]);
  });
});
