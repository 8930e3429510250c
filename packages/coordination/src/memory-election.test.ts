import { expect } from 'chai';
import { MemoryElection } from './memory-election';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('memory election', () => {
  it('elects the first live candidacy; an expired or withdrawn one hands over to the next', async () => {
    const election = new MemoryElection<string>();
    const detector = election.detector();
    const a = await election.contender('a:8080').contend();
    const b = await election.contender('b:8080').contend();
    let bElected = false;
    void b.elected.then(() => (bElected = true));
    await a.elected;
    await turn();
    expect([detector.current(), bElected]).to.deep.equal(['a:8080', false]);
    const next = detector.detect('a:8080');
    election.expire('a:8080');
    expect(await a.lost).to.equal('session expired');
    expect(a.fence.revoked()).to.equal('session expired');
    expect(await next).to.equal('b:8080');
    await turn();
    expect(bElected).to.equal(true);
    await b.withdraw();
    expect(await detector.detect('b:8080')).to.equal(undefined);
  });
});
