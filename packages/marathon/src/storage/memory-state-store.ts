// An in-memory StateStore for unit tests of the layers above it.
import { DocTree, type DocOp } from './doc-tree';
import { checkKey, type StateStore } from './state-store';

export class MemoryStateStore implements StateStore {
  private readonly docs = new DocTree();

  async get<T>(key: string): Promise<T | undefined> {
    const text = this.docs.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async put(key: string, value: unknown): Promise<void> {
    this.docs.set(key, JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    this.docs.delete(key);
  }

  async children(prefix: string): Promise<string[]> {
    return this.docs.children(prefix);
  }

  async batch(ops: readonly DocOp[]): Promise<void> {
    for (const op of ops) checkKey('put' in op ? op.put : op.delete);
    this.docs.apply(ops);
  }

  async close(): Promise<void> {}
}
