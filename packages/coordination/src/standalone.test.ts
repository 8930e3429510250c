import { expect } from 'chai';
import { ManualLeaderDetector } from './manual-detector';
import { FixedLeaderDetector, StandaloneContender } from './standalone';

const settledWithin = async <T>(promise: Promise<T>, turns = 5): Promise<{ value: T } | undefined> => {
  let result: { value: T } | undefined;
  void promise.then((value) => (result = { value }));
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  return result;
};

describe('standalone leadership', () => {
  it('elects the only contender at once, never loses it, and fences writes once withdrawn', async () => {
    const candidacy = await new StandaloneContender().contend();
    expect(await settledWithin(candidacy.elected)).to.deep.equal({ value: undefined });
    expect(await settledWithin(candidacy.lost)).to.equal(undefined);
    expect(candidacy.fence.revoked()).to.equal(undefined);
    await candidacy.withdraw();
    expect(candidacy.fence.revoked()).to.equal('withdrawn');
  });

  it('detects a fixed leader: at once for a caller who knows none or another, never again after', async () => {
    const detector = new FixedLeaderDetector({ id: 'm1' }, (a, b) => a.id === b.id);
    expect(detector.current()).to.deep.equal({ id: 'm1' });
    expect(await settledWithin(detector.detect())).to.deep.equal({ value: { id: 'm1' } });
    expect(await settledWithin(detector.detect({ id: 'm0' }))).to.deep.equal({ value: { id: 'm1' } });
    expect(await settledWithin(detector.detect({ id: 'm1' }))).to.equal(undefined);
    await detector.close();
  });
});

describe('manual leader detector', () => {
  it('reports each leader it is given to waiting callers, and wakes them when closed', async () => {
    const detector = new ManualLeaderDetector<{ id: string }>((a, b) => a.id === b.id);
    const first = detector.detect();
    expect(await settledWithin(first)).to.equal(undefined);
    detector.set({ id: 'm1' });
    expect(await settledWithin(first)).to.deep.equal({ value: { id: 'm1' } });
    const next = detector.detect({ id: 'm1' });
    detector.set({ id: 'm1' });
    expect(await settledWithin(next), 'the same leader again is no change').to.equal(undefined);
    detector.set(undefined);
    expect(await settledWithin(next)).to.deep.equal({ value: undefined });
    const pending = detector.detect(undefined);
    await detector.close();
    expect(await settledWithin(pending)).to.deep.equal({ value: undefined });
  });
});
