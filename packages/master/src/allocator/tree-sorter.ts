import type { Resources } from '@tepui/protocol';
import type { ClusterTotals } from './cluster-totals';
import type { Sorter, SorterOptions } from './sorter';

// The client tree shared by both sorters. A client path `eng/frontend` is a leaf under an internal
// node `eng`. When `eng` is itself a client and also has children, its own allocation lives in a
// *virtual leaf* (name '.', same path) under the internal node, as in Mesos' DRFSorter; removing the
// last real child collapses the node back into a plain leaf.

export class ClientNode {
  readonly children: ClientNode[] = [];
  /** Scalar quantities allocated to this node and all its descendants. */
  readonly allocation = new Map<string, number>();
  internal = false;
  active = false;
  count = 0;
  // Ordering state, used by the DRF sorter: the key the node currently sits under in its parent.
  placedShare = 0;
  placedCount = 0;
  heapIndex = 0;
  misplaced = false;

  constructor(
    readonly name: string,
    readonly path: string,
    public parent: ClientNode | undefined,
  ) {}

  get isVirtual(): boolean {
    return this.name === '.';
  }
}

const EMPTY_ALLOCATION: ReadonlyMap<string, number> = new Map();

export abstract class TreeSorter implements Sorter {
  protected readonly root = new ClientNode('', '', undefined);
  private readonly leaves = new Map<string, ClientNode>();
  private weights: ReadonlyMap<string, number> = new Map();
  private actives = 0;

  constructor(
    protected readonly totals: ClusterTotals,
    private readonly options: SorterOptions,
  ) {
    this.root.internal = true;
  }

  /** Puts a new child into `parent.children`, wherever the ordering wants it. */
  protected abstract placeChild(parent: ClientNode, child: ClientNode): void;
  /** Takes a child out of `parent.children`. */
  protected abstract removeChild(parent: ClientNode, child: ClientNode): void;
  /** A node's allocation or count changed. */
  protected abstract allocationChanged(node: ClientNode): void;
  /** Weights changed; ordering keys may all be stale. */
  protected abstract weightsChanged(): void;
  abstract order(): Iterable<string>;

  get activeCount(): number {
    return this.actives;
  }

  add(client: string): void {
    if (this.leaves.has(client)) throw new Error(`sorter client '${client}' already exists`);
    const segments = this.options.hierarchical ? client.split('/') : [client];
    let parent = this.root;
    let path = '';
    for (let i = 0; i < segments.length - 1; i++) {
      path = path === '' ? segments[i] : `${path}/${segments[i]}`;
      let node = parent.children.find((c) => c.name === segments[i]);
      if (node === undefined) {
        node = this.attach(parent, new ClientNode(segments[i], path, parent));
        node.internal = true;
      } else if (!node.internal) {
        this.split(node);
      }
      parent = node;
    }
    const name = segments[segments.length - 1];
    const existing = parent.children.find((c) => c.name === name);
    const leaf =
      existing === undefined
        ? this.attach(parent, new ClientNode(name, client, parent))
        : this.attach(existing, new ClientNode('.', client, existing));
    this.leaves.set(client, leaf);
  }

  remove(client: string): void {
    const leaf = this.leaves.get(client);
    if (leaf === undefined) return;
    if (leaf.active) this.actives--;
    this.adjust(leaf, leaf.allocation, -1, false);
    this.leaves.delete(client);
    let node = this.detach(leaf);
    while (node !== this.root) {
      if (node.children.length === 0 && !this.leaves.has(node.path)) {
        node = this.detach(node);
      } else {
        if (node.children.length === 1 && node.children[0].isVirtual) this.collapse(node);
        break;
      }
    }
  }

  contains(client: string): boolean {
    return this.leaves.has(client);
  }

  activate(client: string): void {
    const leaf = this.leaves.get(client);
    if (leaf === undefined || leaf.active) return;
    leaf.active = true;
    this.actives++;
  }

  deactivate(client: string): void {
    const leaf = this.leaves.get(client);
    if (leaf === undefined || !leaf.active) return;
    leaf.active = false;
    this.actives--;
  }

  isActive(client: string): boolean {
    return this.leaves.get(client)?.active ?? false;
  }

  setWeights(weights: ReadonlyMap<string, number>): void {
    this.weights = new Map(weights);
    this.weightsChanged();
  }

  weight(path: string): number {
    const w = this.weights.get(path);
    return w !== undefined && w > 0 ? w : 1;
  }

  allocated(client: string, _agentId: string, resources: Resources): void {
    const leaf = this.leaves.get(client);
    if (leaf === undefined) throw new Error(`sorter client '${client}' does not exist`);
    this.adjust(leaf, resources.scalars(), 1, true);
  }

  unallocated(client: string, _agentId: string, resources: Resources): void {
    const leaf = this.leaves.get(client);
    if (leaf === undefined) throw new Error(`sorter client '${client}' does not exist`);
    this.adjust(leaf, resources.scalars(), -1, false);
  }

  allocation(client: string): ReadonlyMap<string, number> {
    return this.leaves.get(client)?.allocation ?? this.findInternal(client)?.allocation ?? EMPTY_ALLOCATION;
  }

  allocationCount(client: string): number {
    return this.leaves.get(client)?.count ?? 0;
  }

  sort(): string[] {
    return Array.from(this.order());
  }

  clients(): string[] {
    return Array.from(this.leaves.keys());
  }

  /** Adds `sign * quantities` to the leaf and every ancestor below the root. */
  private adjust(leaf: ClientNode, quantities: ReadonlyMap<string, number>, sign: 1 | -1, counts: boolean): void {
    const delta = sign === 1 ? quantities : new Map(quantities); // copy: `quantities` may be leaf.allocation
    for (let node: ClientNode | undefined = leaf; node !== undefined && node !== this.root; node = node.parent) {
      for (const [name, quantity] of delta) {
        const next = (node.allocation.get(name) ?? 0) + sign * quantity;
        if (next < 1e-9) node.allocation.delete(name);
        else node.allocation.set(name, next);
      }
      if (counts) node.count++;
      this.allocationChanged(node);
    }
  }

  private attach(parent: ClientNode, child: ClientNode): ClientNode {
    child.parent = parent;
    this.placeChild(parent, child);
    return child;
  }

  /** Removes `node` from its parent and returns the parent. */
  private detach(node: ClientNode): ClientNode {
    const parent = node.parent as ClientNode;
    this.removeChild(parent, node);
    node.parent = undefined;
    return parent;
  }

  /** Turns leaf client `node` into an internal node whose own allocation moves to a virtual leaf. */
  private split(node: ClientNode): void {
    const virtual = new ClientNode('.', node.path, node);
    for (const [name, quantity] of node.allocation) virtual.allocation.set(name, quantity);
    virtual.count = node.count;
    virtual.active = node.active;
    node.active = false;
    node.internal = true;
    this.leaves.set(node.path, virtual);
    this.attach(node, virtual);
  }

  /** Inverse of `split`: an internal node left with only its virtual leaf becomes that leaf again. */
  private collapse(node: ClientNode): void {
    const virtual = node.children[0];
    this.detach(virtual);
    node.internal = false;
    node.active = virtual.active;
    node.count = virtual.count;
    this.leaves.set(node.path, node);
    this.allocationChanged(node);
  }

  private findInternal(path: string): ClientNode | undefined {
    let node: ClientNode | undefined = this.root;
    for (const segment of this.options.hierarchical ? path.split('/') : [path]) {
      node = node.children.find((c) => c.name === segment && !c.isVirtual);
      if (node === undefined) return undefined;
    }
    return node;
  }
}
