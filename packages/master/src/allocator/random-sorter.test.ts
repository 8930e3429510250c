import { expect } from 'chai';
import { seededRandom } from '@tepui/protocol';
import { ClusterTotals } from './cluster-totals';
import { RandomSorter } from './random-sorter';

describe('RandomSorter', () => {
  const rows = [
    { name: 'equal weights pick each client first about equally often', weights: {}, expectShareOfA: 0.5 },
    { name: 'weight 3:1 picks the heavier client first about 3/4 of the time', weights: { a: 3 }, expectShareOfA: 0.75 },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const sorter = new RandomSorter(new ClusterTotals(), seededRandom(42));
      sorter.setWeights(new Map(Object.entries(row.weights)));
      for (const c of ['a', 'b']) {
        sorter.add(c);
        sorter.activate(c);
      }
      let firstA = 0;
      const draws = 4000;
      for (let i = 0; i < draws; i++) if (sorter.sort()[0] === 'a') firstA++;
      expect(firstA / draws).to.be.closeTo(row.expectShareOfA, 0.03);
    });
  }

  it('is reproducible from the seed', () => {
    const orders = [1, 2].map(() => {
      const sorter = new RandomSorter(new ClusterTotals(), seededRandom(9));
      for (const c of ['a', 'b', 'c', 'd', 'x/y', 'x/z']) {
        sorter.add(c);
        sorter.activate(c);
      }
      return [sorter.sort(), sorter.sort()];
    });
    expect(orders[0]).to.deep.equal(orders[1]);
  });

  it('keeps siblings of a subtree together (pre-order)', () => {
    const sorter = new RandomSorter(new ClusterTotals(), seededRandom(3));
    for (const c of ['a', 'x/y', 'x/z', 'b']) {
      sorter.add(c);
      sorter.activate(c);
    }
    for (let i = 0; i < 50; i++) {
      const order = sorter.sort();
      expect(Math.abs(order.indexOf('x/y') - order.indexOf('x/z'))).to.equal(1);
    }
  });
});
