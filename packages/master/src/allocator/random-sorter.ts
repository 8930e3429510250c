import type { ClusterTotals } from './cluster-totals';
import { MinHeap } from './min-heap';
import type { SorterOptions } from './sorter';
import { ClientNode, TreeSorter } from './tree-sorter';

// Mesos' RandomSorter: every `order()` is a fresh weighted random shuffle of the siblings at each
// level of the tree, walked pre-order. Allocations are tracked (for introspection) but do not
// influence the order. The shuffle is Efraimidis–Spirakis: each sibling draws an exponential
// arrival time with rate = weight and siblings are taken in arrival order, which picks each next
// sibling with probability proportional to its weight. A heap makes it lazy: a caller that stops
// after the first client pays O(n) for the draws and O(log n) per client taken.

interface Draw {
  readonly node: ClientNode;
  readonly arrival: number;
}

const earlier = (a: Draw, b: Draw): boolean => a.arrival < b.arrival;

export class RandomSorter extends TreeSorter {
  constructor(
    totals: ClusterTotals,
    private readonly random: () => number,
    options: SorterOptions = { hierarchical: true },
  ) {
    super(totals, options);
  }

  *order(): Generator<string, void, undefined> {
    yield* this.walk(this.root);
  }

  protected placeChild(parent: ClientNode, child: ClientNode): void {
    parent.children.push(child);
  }

  protected removeChild(parent: ClientNode, child: ClientNode): void {
    parent.children.splice(parent.children.indexOf(child), 1);
  }

  protected allocationChanged(): void {
    // Order does not depend on allocations.
  }

  protected weightsChanged(): void {
    // Weights are read at every shuffle.
  }

  private *walk(node: ClientNode): Generator<string, void, undefined> {
    const draws: Draw[] = [];
    for (const child of node.children) {
      if (!child.internal && !child.active) continue;
      // 1 - random() lies in (0, 1], so the logarithm is finite.
      draws.push({ node: child, arrival: -Math.log(1 - this.random()) / this.weight(child.path) });
    }
    const heap = new MinHeap<Draw>(earlier);
    heap.reset(draws);
    for (let draw = heap.pop(); draw !== undefined; draw = heap.pop()) {
      if (draw.node.internal) yield* this.walk(draw.node);
      else yield draw.node.path;
    }
  }
}
