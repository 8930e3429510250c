import { expect } from 'chai';
import { ManualClock } from '@tepui/protocol';
import { LeaderRole } from './leader-role';
import { MemoryElection } from './memory-election';

const silent = { info: () => undefined, error: () => undefined };
const turns = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

function role(election: MemoryElection<string>, self: string, events: string[]) {
  return new LeaderRole<string>(self, (a, b) => a === b, election.contender(self), election.detector(), new ManualClock(), silent, {
    elected: () => void events.push(`${self} elected`),
    stepDown: (reason) => void events.push(`${self} stepped down: ${reason}`),
    lost: (reason) => void events.push(`${self} lost: ${reason}`),
  });
}

describe('leader role', () => {
  it('leads while elected, steps down at once when the candidacy is lost, and the next one leads', async () => {
    const election = new MemoryElection<string>();
    const events: string[] = [];
    const [a, b] = [role(election, 'a', events), role(election, 'b', events)];
    await a.start();
    await b.start();
    await turns();
    expect([a.isLeader(), b.isLeader(), b.leader(), a.electedTime() !== undefined]).to.deep.equal([true, false, 'a', true]);
    election.expire('a');
    await turns();
    expect(events).to.have.members(['a elected', 'a stepped down: session expired', 'a lost: session expired', 'b elected']);
    expect(events.indexOf('a stepped down: session expired'), 'a stops before b starts').to.be.below(events.indexOf('b elected'));
    expect([a.isLeader(), a.lost(), a.leader(), b.isLeader()]).to.deep.equal([false, 'session expired', 'b', true]);
    await a.stop();
    await b.stop();
  });

  it('abdicates: steps down, hands over, and contends again behind the new leader', async () => {
    const election = new MemoryElection<string>();
    const events: string[] = [];
    const [a, b] = [role(election, 'a', events), role(election, 'b', events)];
    await a.start();
    await b.start();
    await turns();
    await a.abdicate();
    await turns();
    expect(events).to.deep.equal(['a elected', 'a stepped down: abdicated', 'b elected']);
    expect([a.isLeader(), a.leader(), a.lost()]).to.deep.equal([false, 'b', undefined]);
    await b.stop();
    await turns();
    expect(a.isLeader(), 'a leads again once b leaves').to.equal(true);
    await a.stop();
  });
});
