import type { ClusterTotals } from './cluster-totals';
import type { SorterOptions } from './sorter';
import { ClientNode, TreeSorter } from './tree-sorter';

// Dominant Resource Fairness (Ghodsi et al.), as Mesos' DRFSorter orders it: a node's share is the
// max over scalar names of allocated / cluster total, divided by the node's weight; ties go to the
// node allocated fewer times (`count`), then to the lexicographically smaller path. Siblings are
// ordered and the tree is walked pre-order, yielding active leaves.
//
// Each internal node keeps its children in a sorted array. An allocation does not re-sort anything:
// it marks the changed nodes *misplaced*, and the next `order()` moves just those (binary search,
// one splice out, one splice in). A change of cluster totals or weights re-sorts everything once.

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

  /** The node's current weighted dominant share (recomputed if totals changed). */
  share(client: string): number {
    return this.totals.shareOf(this.allocation(client)) / this.weight(client);
  }

  *order(): Generator<string, void, undefined> {
    this.settle();
    yield* this.walk(this.root);
  }

  protected placeChild(parent: ClientNode, child: ClientNode): void {
    this.updateKey(child);
    parent.children.splice(this.lowerBound(parent.children, child), 0, child);
  }

  protected allocationChanged(node: ClientNode): void {
    if (node.misplaced) return;
    node.misplaced = true;
    this.misplaced.push(node);
  }

  protected weightsChanged(): void {
    this.stale = true;
  }

  private *walk(node: ClientNode): Generator<string, void, undefined> {
    for (const child of node.children) {
      if (child.internal) yield* this.walk(child);
      else if (child.active) yield child.path;
    }
  }

  /** Brings every node to its correct position. */
  private settle(): void {
    if (this.stale || this.seenTotals !== this.totals.version) {
      this.seenTotals = this.totals.version;
      this.stale = false;
      for (const node of this.misplaced) node.misplaced = false;
      this.misplaced.length = 0;
      this.resortAll(this.root);
      return;
    }
    for (const node of this.misplaced) {
      node.misplaced = false;
      const parent = node.parent;
      if (parent === undefined) continue; // removed since it changed
      const siblings = parent.children;
      const at = this.indexOf(siblings, node);
      siblings.splice(at, 1);
      this.updateKey(node);
      siblings.splice(this.lowerBound(siblings, node), 0, node);
    }
    this.misplaced.length = 0;
  }

  private resortAll(node: ClientNode): void {
    for (const child of node.children) {
      this.updateKey(child);
      if (child.internal) this.resortAll(child);
    }
    node.children.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  private updateKey(node: ClientNode): void {
    node.share = this.totals.shareOf(node.allocation) / this.weight(node.path);
    node.placedShare = node.share;
    node.placedCount = node.count;
  }

  /** First index whose element does not sort before `node`. */
  private lowerBound(list: readonly ClientNode[], node: ClientNode): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(list[mid], node)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of `node`, found by its placed key (the array is sorted by placed keys). */
  private indexOf(list: readonly ClientNode[], node: ClientNode): number {
    const at = this.lowerBound(list, node);
    return list[at] === node ? at : list.indexOf(node);
  }
}
