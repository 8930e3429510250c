import { expect } from 'chai';
import { seededRandom } from '@tepui/protocol';
import { ClusterTotals } from './cluster-totals';
import { DrfSorter } from './drf-sorter';
import { RandomSorter } from './random-sorter';
import { resources } from './resource-fixtures';
import type { Sorter } from './sorter';

// One suite over every Sorter, as Mesos' sorter_tests.cpp runs its typed tests over both sorters.
// Anything here must hold whatever the fairness policy is; policy lives in the per-sorter tests.

interface SorterUnderTest {
  readonly name: string;
  create(totals: ClusterTotals): Sorter;
}

const implementations: SorterUnderTest[] = [
  { name: 'DrfSorter', create: (totals) => new DrfSorter(totals) },
  { name: 'RandomSorter', create: (totals) => new RandomSorter(totals, seededRandom(7)) },
];

for (const impl of implementations) {
  describe(`Sorter contract: ${impl.name}`, () => {
    let totals: ClusterTotals;
    let sorter: Sorter;

    beforeEach(() => {
      totals = new ClusterTotals();
      totals.add(resources('cpus:100;mem:1000'));
      sorter = impl.create(totals);
    });

    it('adds clients inactive and lists only active ones', () => {
      sorter.add('a');
      sorter.add('b');
      expect(sorter.contains('a')).to.equal(true);
      expect(sorter.sort()).to.deep.equal([]);
      sorter.activate('b');
      expect(sorter.sort()).to.deep.equal(['b']);
      expect(sorter.activeCount).to.equal(1);
      sorter.deactivate('b');
      expect(sorter.sort()).to.deep.equal([]);
      expect(sorter.activeCount).to.equal(0);
    });

    it('refuses a duplicate client and ignores removing an unknown one', () => {
      sorter.add('a');
      expect(() => sorter.add('a')).to.throw(/already exists/);
      sorter.remove('zzz');
      expect(sorter.clients()).to.deep.equal(['a']);
    });

    it('yields every active client exactly once, hierarchy included', () => {
      const clients = ['a', 'a/b', 'a/b/c', 'a/d', 'e', 'f/g'];
      for (const c of clients) {
        sorter.add(c);
        sorter.activate(c);
      }
      sorter.allocated('a/b', 's1', resources('cpus:3'));
      sorter.allocated('f/g', 's1', resources('mem:50'));
      expect([...sorter.sort()].sort()).to.deep.equal([...clients].sort());
      expect(sorter.activeCount).to.equal(clients.length);
    });

    it('lets a caller stop iterating early', () => {
      for (const c of ['a', 'b', 'c']) {
        sorter.add(c);
        sorter.activate(c);
      }
      const seen: string[] = [];
      for (const client of sorter.order()) {
        seen.push(client);
        break;
      }
      expect(seen).to.have.length(1);
    });

    const allocationCases = [
      { name: 'a flat client', client: 'a', add: ['cpus:2;mem:10', 'cpus:1'], remove: ['cpus:2'], expect: { cpus: 1, mem: 10 }, count: 2 },
      { name: 'a nested client', client: 'x/y', add: ['mem:5', 'mem:5'], remove: [], expect: { mem: 10 }, count: 2 },
      { name: 'everything released', client: 'a', add: ['cpus:2'], remove: ['cpus:2'], expect: {}, count: 1 },
    ];
    for (const row of allocationCases) {
      it(`tracks allocations: ${row.name}`, () => {
        sorter.add(row.client);
        for (const r of row.add) sorter.allocated(row.client, 's1', resources(r));
        for (const r of row.remove) sorter.unallocated(row.client, 's1', resources(r));
        expect(Object.fromEntries(sorter.allocation(row.client))).to.deep.equal(row.expect);
        expect(sorter.allocationCount(row.client)).to.equal(row.count);
      });
    }

    it("counts a child's allocation in its parent's", () => {
      sorter.add('eng/frontend');
      sorter.add('eng/backend');
      sorter.allocated('eng/frontend', 's1', resources('cpus:2'));
      sorter.allocated('eng/backend', 's2', resources('cpus:3;mem:7'));
      expect(Object.fromEntries(sorter.allocation('eng'))).to.deep.equal({ cpus: 5, mem: 7 });
      sorter.remove('eng/backend');
      expect(Object.fromEntries(sorter.allocation('eng'))).to.deep.equal({ cpus: 2 });
    });

    it('keeps a role that is both a client and a parent (virtual leaf), and collapses it back', () => {
      sorter.add('eng');
      sorter.activate('eng');
      sorter.allocated('eng', 's1', resources('cpus:1'));
      sorter.add('eng/frontend');
      sorter.activate('eng/frontend');
      sorter.allocated('eng/frontend', 's1', resources('cpus:2'));
      expect(Object.fromEntries(sorter.allocation('eng'))).to.deep.equal({ cpus: 1 });
      expect([...sorter.sort()].sort()).to.deep.equal(['eng', 'eng/frontend']);
      sorter.remove('eng/frontend');
      expect(sorter.isActive('eng')).to.equal(true);
      expect(Object.fromEntries(sorter.allocation('eng'))).to.deep.equal({ cpus: 1 });
      expect(sorter.sort()).to.deep.equal(['eng']);
    });

    it('removes emptied parents with their last child', () => {
      sorter.add('a/b/c');
      sorter.remove('a/b/c');
      expect(sorter.clients()).to.deep.equal([]);
      sorter.add('a');
      sorter.activate('a');
      expect(sorter.sort()).to.deep.equal(['a']);
    });

    it('defaults weights to 1 and reads configured ones', () => {
      sorter.setWeights(new Map([['a', 3]]));
      expect(sorter.weight('a')).to.equal(3);
      expect(sorter.weight('b')).to.equal(1);
    });
  });
}
