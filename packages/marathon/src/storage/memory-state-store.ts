// An in-memory StateStore for unit tests of the layers above it.
import { checkKey, type StateStore } from './state-store';

export class MemoryStateStore implements StateStore {
  private readonly docs = new Map<string, string>();

  async get<T>(key: string): Promise<T | undefined> {
    checkKey(key);
    const text = this.docs.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async put(key: string, value: unknown): Promise<void> {
    checkKey(key);
    this.docs.set(key, JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    for (const k of [...this.docs.keys()]) if (k === key || k.startsWith(`${key}/`)) this.docs.delete(k);
  }

  async children(prefix: string): Promise<string[]> {
    const base = prefix === '/' ? '' : prefix;
    if (base) checkKey(base);
    const names = new Set<string>();
    for (const k of this.docs.keys()) {
      if (!k.startsWith(`${base}/`)) continue;
      names.add(k.slice(base.length + 1).split('/')[0]!);
    }
    return [...names].sort();
  }

  async batch(ops: ReadonlyArray<{ put: string; value: unknown } | { delete: string }>): Promise<void> {
    for (const op of ops) {
      if ('put' in op) checkKey(op.put);
      else checkKey(op.delete);
    }
    for (const op of ops) {
      if ('put' in op) await this.put(op.put, op.value);
      else await this.delete(op.delete);
    }
  }

  async close(): Promise<void> {}
}
