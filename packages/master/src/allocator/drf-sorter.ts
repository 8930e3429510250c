import type { ClusterTotals } from './cluster-totals';
import { MinHeap } from './min-heap';
import type { SorterOptions } from './sorter';
import { ClientNode, TreeSorter } from './tree-sorter';

// Dominant Resource Fairness (Ghodsi et al.), as Mesos' DRFSorter orders it: a node's share is the
// max over scalar names of allocated / cluster total, divided by the node's weight; ties go to the
// node allocated fewer times (`count`), then to the lexicographically smaller path. Siblings are
// ordered and the tree is walked pre-order, yielding active leaves.
//
// Mesos re-sorts a dirty sorter on every sort(). Here each internal node keeps its children in a
// binary min-heap on the key they were *placed* with. An allocation only marks the changed nodes
// (the client and its ancestors) misplaced; the next `order()` sifts just those, O(log n) each.
// `order()` then reads the heap in key order lazily (a small frontier heap of candidate slots), so
// a caller that takes the first k clients pays O(k log k), not a sort of all n. A change of cluster
// totals or weights recomputes every key and re-heapifies, once.

function before(a: ClientNode, b: ClientNode): boolean {
  if (a.placedShare !== b.placedShare) return a.placedShare < b.placedShare;
  if (a.placedCount !== b.placedCount) return a.placedCount < b.placedCount;
  return a.path < b.path; // siblings never share a path
}

export class DrfSorter extends TreeSorter {
  private readonly misplaced: ClientNode[] = [];
  private seenTotals = -1;
  private stale = true;

  constructor(totals: ClusterTotals, options: SorterOptions = { hierarchical: true }) {
    super(totals, options);
  }

  /** The client's weighted dominant share. */
  share(client: string): number {
    return this.totals.shareOf(this.allocation(client)) / this.weight(client);
  }

  *order(): Generator<string, void, undefined> {
    this.settle();
    yield* this.walk(this.root);
  }

  protected placeChild(parent: ClientNode, child: ClientNode): void {
    this.updateKey(child);
    const heap = parent.children;
    child.heapIndex = heap.length;
    heap.push(child);
    siftUp(heap, child.heapIndex);
  }

  protected removeChild(parent: ClientNode, child: ClientNode): void {
    const heap = parent.children;
    const at = child.heapIndex;
    const last = heap.pop() as ClientNode;
    if (last !== child) {
      heap[at] = last;
      last.heapIndex = at;
      siftUp(heap, at);
      siftDown(heap, last.heapIndex);
    }
  }

  protected allocationChanged(node: ClientNode): void {
    if (node.misplaced) return;
    node.misplaced = true;
    this.misplaced.push(node);
  }

  protected weightsChanged(): void {
    this.stale = true;
  }

  /** Pre-order walk; each node's children are read from its heap in key order. */
  private *walk(node: ClientNode): Generator<string, void, undefined> {
    const heap = node.children;
    if (heap.length === 1) {
      // The common case for a role's framework sorter: no frontier needed.
      const only = heap[0];
      if (only.internal) yield* this.walk(only);
      else if (only.active) yield only.path;
      return;
    }
    if (heap.length === 0) return;
    const frontier = new MinHeap<number>((a, b) => before(heap[a], heap[b]));
    frontier.push(0);
    for (let slot = frontier.pop(); slot !== undefined; slot = frontier.pop()) {
      const child = heap[slot];
      if (child.internal) yield* this.walk(child);
      else if (child.active) yield child.path;
      const left = 2 * slot + 1;
      if (left < heap.length) frontier.push(left);
      if (left + 1 < heap.length) frontier.push(left + 1);
    }
  }

  /** Brings every node to its correct place. */
  private settle(): void {
    if (this.stale || this.seenTotals !== this.totals.version) {
      this.seenTotals = this.totals.version;
      this.stale = false;
      for (const node of this.misplaced) node.misplaced = false;
      this.misplaced.length = 0;
      this.rekeyAll(this.root);
      return;
    }
    for (const node of this.misplaced) {
      node.misplaced = false;
      const parent = node.parent;
      if (parent === undefined) continue; // removed since it changed
      this.updateKey(node);
      siftUp(parent.children, node.heapIndex);
      siftDown(parent.children, node.heapIndex);
    }
    this.misplaced.length = 0;
  }

  private rekeyAll(node: ClientNode): void {
    const heap = node.children;
    for (const child of heap) {
      this.updateKey(child);
      if (child.internal) this.rekeyAll(child);
    }
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
  }

  private updateKey(node: ClientNode): void {
    node.placedShare = this.totals.shareOf(node.allocation) / this.weight(node.path);
    node.placedCount = node.count;
  }
}

function siftUp(heap: ClientNode[], index: number): void {
  const node = heap[index];
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(node, heap[parent])) break;
    heap[i] = heap[parent];
    heap[i].heapIndex = i;
    i = parent;
  }
  heap[i] = node;
  node.heapIndex = i;
}

function siftDown(heap: ClientNode[], index: number): void {
  const n = heap.length;
  const node = heap[index];
  let i = index;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && before(heap[right], heap[left]) ? right : left;
    if (!before(heap[child], node)) break;
    heap[i] = heap[child];
    heap[i].heapIndex = i;
    i = child;
  }
  heap[i] = node;
  node.heapIndex = i;
}
