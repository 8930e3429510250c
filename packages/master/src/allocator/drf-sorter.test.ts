import { expect } from 'chai';
import fc from 'fast-check';
import { ClusterTotals } from './cluster-totals';
import { DrfSorter } from './drf-sorter';
import { resources } from './resource-fixtures';

// DRF ordering rules (Mesos DRFSorter): lower weighted dominant share first, then fewer
// allocations (`count`), then path; siblings sorted, tree walked pre-order.

interface OrderCase {
  readonly name: string;
  readonly total: string;
  readonly weights?: Record<string, number>;
  readonly excluded?: string[];
  /** [client, resources] allocations in order (each bumps the client's count). */
  readonly allocations: Array<[string, string]>;
  readonly clients: string[];
  readonly expect: string[];
}

const cases: OrderCase[] = [
  {
    name: 'orders by dominant share, whatever resource dominates',
    total: 'cpus:100;mem:1000',
    clients: ['a', 'b', 'c'],
    allocations: [['a', 'cpus:30'], ['b', 'mem:200'], ['c', 'cpus:10;mem:100']],
    expect: ['c', 'b', 'a'], // shares 0.3, 0.2, 0.1
  },
  {
    name: 'breaks share ties by allocation count, then by name',
    total: 'cpus:100',
    clients: ['c', 'b', 'a', 'd'],
    allocations: [['b', 'cpus:5'], ['b', 'cpus:5'], ['c', 'cpus:10'], ['d', 'cpus:4'], ['d', 'cpus:1'], ['d', 'cpus:5']],
    expect: ['a', 'c', 'b', 'd'],
  },
  {
    name: 'divides shares by weight',
    total: 'cpus:100',
    weights: { a: 3 },
    clients: ['a', 'b'],
    allocations: [['a', 'cpus:30'], ['b', 'cpus:20']],
    expect: ['a', 'b'], // 0.1 vs 0.2
  },
  {
    name: 'ignores excluded resource names',
    total: 'cpus:100;gpus:4',
    excluded: ['gpus'],
    clients: ['a', 'b'],
    allocations: [['a', 'gpus:4;cpus:1'], ['b', 'cpus:2']],
    expect: ['a', 'b'],
  },
  {
    name: 'orders siblings, then walks the tree pre-order',
    total: 'cpus:100',
    clients: ['eng/frontend', 'eng/backend', 'ops', 'data/etl'],
    allocations: [['eng/frontend', 'cpus:20'], ['eng/backend', 'cpus:5'], ['ops', 'cpus:10'], ['data/etl', 'cpus:30']],
    // top level: ops 0.1 < eng 0.25 < data 0.3; inside eng: backend 0.05 < frontend 0.2
    expect: ['ops', 'eng/backend', 'eng/frontend', 'data/etl'],
  },
  {
    name: "compares a parent role's own allocation with its children's",
    total: 'cpus:100',
    clients: ['eng', 'eng/frontend', 'ops'],
    allocations: [['eng', 'cpus:5'], ['eng/frontend', 'cpus:1'], ['ops', 'cpus:50']],
    expect: ['eng/frontend', 'eng', 'ops'],
  },
];

describe('DrfSorter', () => {
  for (const row of cases) {
    it(row.name, () => {
      const totals = new ClusterTotals(row.excluded ?? []);
      totals.add(resources(row.total));
      const sorter = new DrfSorter(totals);
      sorter.setWeights(new Map(Object.entries(row.weights ?? {})));
      for (const client of row.clients) {
        sorter.add(client);
        sorter.activate(client);
      }
      for (const [client, r] of row.allocations) sorter.allocated(client, 's1', resources(r));
      expect(sorter.sort()).to.deep.equal(row.expect);
    });
  }

  it('re-sorts when an allocation is released', () => {
    const totals = new ClusterTotals();
    totals.add(resources('cpus:10'));
    const sorter = new DrfSorter(totals);
    for (const c of ['a', 'b']) {
      sorter.add(c);
      sorter.activate(c);
    }
    sorter.allocated('a', 's1', resources('cpus:5'));
    sorter.allocated('b', 's1', resources('cpus:3'));
    expect(sorter.sort()).to.deep.equal(['b', 'a']);
    sorter.unallocated('a', 's1', resources('cpus:4'));
    expect(sorter.sort()).to.deep.equal(['a', 'b']);
  });

  it('re-sorts when the cluster total changes which resource dominates', () => {
    const totals = new ClusterTotals();
    totals.add(resources('cpus:10;mem:100'));
    const sorter = new DrfSorter(totals);
    for (const c of ['cpu-heavy', 'mem-heavy']) {
      sorter.add(c);
      sorter.activate(c);
    }
    sorter.allocated('cpu-heavy', 's1', resources('cpus:4'));
    sorter.allocated('mem-heavy', 's1', resources('mem:30'));
    expect(sorter.sort()).to.deep.equal(['mem-heavy', 'cpu-heavy']); // 0.3 < 0.4
    totals.add(resources('cpus:30')); // cpu share drops to 0.1
    expect(sorter.sort()).to.deep.equal(['cpu-heavy', 'mem-heavy']);
  });

  it('keeps its order snapshot while being iterated', () => {
    const totals = new ClusterTotals();
    totals.add(resources('cpus:10'));
    const sorter = new DrfSorter(totals);
    for (const c of ['a', 'b', 'c']) {
      sorter.add(c);
      sorter.activate(c);
    }
    const seen: string[] = [];
    for (const client of sorter.order()) {
      seen.push(client);
      sorter.allocated(client, 's1', resources('cpus:1'));
    }
    expect(seen).to.deep.equal(['a', 'b', 'c']);
  });

  it('reports weighted shares', () => {
    const totals = new ClusterTotals();
    totals.add(resources('cpus:10;mem:100'));
    const sorter = new DrfSorter(totals);
    sorter.setWeights(new Map([['a', 2]]));
    sorter.add('a');
    sorter.allocated('a', 's1', resources('cpus:2;mem:60'));
    expect(sorter.share('a')).to.be.closeTo(0.3, 1e-12);
  });

  it('orders exactly as a full sort by (share, count, name) would, after any allocations', () => {
    const names = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const step = fc.record({ client: fc.nat({ max: names.length - 1 }), cpus: fc.integer({ min: -3, max: 5 }), active: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const totals = new ClusterTotals();
        totals.add(resources('cpus:100'));
        const sorter = new DrfSorter(totals, { hierarchical: false });
        for (const n of names) sorter.add(n);
        for (const { client, cpus, active } of steps) {
          const name = names[client];
          if (active) sorter.activate(name);
          else sorter.deactivate(name);
          if (cpus > 0) sorter.allocated(name, 's1', resources(`cpus:${cpus}`));
          if (cpus < 0) sorter.unallocated(name, 's1', resources(`cpus:${-cpus}`));
          sorter.sort(); // interleave reads with writes
        }
        const key = (n: string) => [sorter.share(n), sorter.allocationCount(n)] as const;
        const expected = names
          .filter((n) => sorter.isActive(n))
          .sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1] || (a < b ? -1 : 1));
        expect(sorter.sort()).to.deep.equal(expected);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
