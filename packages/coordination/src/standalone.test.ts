import { expect } from 'chai';
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
