// Documents kept as a tree of key segments, so reading, writing, deleting a subtree and listing
// children all cost the key's depth — not the number of documents (10,000 instances of one app
// are children of one node).
import { checkKey } from './state-store';

interface Node {
  value?: string;
  readonly children: Map<string, Node>;
}

export type DocOp = { put: string; value: unknown } | { delete: string };

export class DocTree {
  private readonly root: Node = { children: new Map() };

  get(key: string): string | undefined {
    return this.find(checkKey(key))?.value;
  }

  set(key: string, json: string): void {
    let node = this.root;
    for (const part of checkKey(key)) {
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = { children: new Map() }));
      node = next;
    }
    node.value = json;
  }

  /** Removes the document and everything below it. */
  delete(key: string): void {
    const parts = checkKey(key);
    const parent = this.find(parts.slice(0, -1));
    parent?.children.delete(parts[parts.length - 1]!);
  }

  children(prefix: string): string[] {
    const node = prefix === '/' ? this.root : this.find(checkKey(prefix));
    return node ? [...node.children.keys()].sort() : [];
  }

  apply(ops: readonly DocOp[]): void {
    for (const op of ops) {
      if ('put' in op) this.set(op.put, JSON.stringify(op.value));
      else this.delete(op.delete);
    }
  }

  /** Every document, depth first: `[key, json]`. */
  *entries(node: Node = this.root, path = ''): Generator<[string, string]> {
    if (node.value !== undefined) yield [path, node.value];
    for (const [name, child] of node.children) yield* this.entries(child, `${path}/${name}`);
  }

  private find(parts: readonly string[]): Node | undefined {
    let node: Node | undefined = this.root;
    for (const part of parts) {
      node = node.children.get(part);
      if (!node) return undefined;
    }
    return node;
  }
}
