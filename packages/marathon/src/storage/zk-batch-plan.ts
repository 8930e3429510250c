// Turns a batch of document puts and deletes into the ZooKeeper operations of one transaction.
// ZooKeeper needs what a file tree does not: parents created before children, a node's children
// deleted before it, and create or set chosen by whether the node exists. The plan keeps its own
// view of what the batch has done so far, over what the tree held before it, so that a batch may
// delete a subtree and write into it again in order.
import type { ZkOp } from '@tepui/coordination';

/** What the tree held before the batch. */
export interface ZkTreeView {
  exists(path: string): Promise<boolean>;
  /** Every node below `path` (not `path` itself), in any order. */
  descendants(path: string): Promise<string[]>;
}

const depth = (path: string): number => path.split('/').length;
const isUnder = (path: string, ancestor: string): boolean => path.startsWith(`${ancestor}/`);

export class BatchPlan {
  readonly ops: ZkOp[] = [];
  /** Nodes this batch created or deleted, as they stand now. */
  private readonly overlay = new Map<string, boolean>();
  /** Subtrees this batch deleted: what the tree held below them before is gone. */
  private readonly wiped: string[] = [];

  constructor(private readonly tree: ZkTreeView) {}

  /** Nodes that exist after the batch and did not before it, or were rewritten. */
  get touched(): ReadonlyMap<string, boolean> {
    return this.overlay;
  }

  /** Writes `data` at `path`, creating the parents between `top` (which exists) and it. */
  async put(top: string, path: string, data: Buffer): Promise<void> {
    const rel = path.slice(top.length).split('/').slice(1);
    for (let i = 1; i < rel.length; i++) {
      const parent = `${top}/${rel.slice(0, i).join('/')}`;
      if (!(await this.present(parent))) this.create(parent, Buffer.alloc(0));
    }
    if (await this.present(path)) this.ops.push({ op: 'set', path, data });
    else this.create(path, data);
  }

  /** Deletes `path` and everything below it; nothing when it does not exist. Returns what went. */
  async delete(path: string): Promise<string[]> {
    if (!(await this.present(path))) return [];
    const below = new Set<string>();
    for (const node of await this.tree.descendants(path)) if (await this.present(node)) below.add(node);
    for (const [node, exists] of this.overlay) if (exists && isUnder(node, path)) below.add(node);
    const gone = [...below].sort((a, b) => depth(b) - depth(a));
    gone.push(path);
    for (const node of gone) {
      this.ops.push({ op: 'delete', path: node });
      this.overlay.set(node, false);
    }
    this.wiped.push(path);
    return gone;
  }

  private create(path: string, data: Buffer): void {
    this.ops.push({ op: 'create', path, data });
    this.overlay.set(path, true);
  }

  private async present(path: string): Promise<boolean> {
    const known = this.overlay.get(path);
    if (known !== undefined) return known;
    if (this.wiped.some((w) => path === w || isUnder(path, w))) return false;
    return this.tree.exists(path);
  }
}
