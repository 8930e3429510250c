// The embedded default StateStore: one JSON file per key under a directory, written atomically
// (temp file + fsync + rename). Batches go through a write-ahead journal so a crash mid-batch is
// completed (or discarded, if the journal itself is torn) on the next open.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkKey, StateStoreError, type StateStore } from './state-store';

const DOC = 'doc.json';
const JOURNAL = 'journal.json';

type Op = { put: string; value: unknown } | { delete: string };

function writeDurably(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export class FileStateStore implements StateStore {
  private constructor(private readonly root: string) {}

  static open(root: string): FileStateStore {
    mkdirSync(root, { recursive: true });
    const store = new FileStateStore(root);
    store.replayJournal();
    return store;
  }

  private path(key: string): string {
    return join(this.root, 'data', ...checkKey(key), DOC);
  }

  private dir(key: string): string {
    return key === '/' ? join(this.root, 'data') : join(this.root, 'data', ...checkKey(key));
  }

  async get<T>(key: string): Promise<T | undefined> {
    let text: string;
    try {
      text = readFileSync(this.path(key), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new StateStoreError(`State document '${key}' is corrupt`, key);
    }
  }

  async put(key: string, value: unknown): Promise<void> {
    writeDurably(this.path(key), JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    rmSync(this.dir(key), { recursive: true, force: true });
  }

  async children(prefix: string): Promise<string[]> {
    try {
      return readdirSync(this.dir(prefix), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async batch(ops: readonly Op[]): Promise<void> {
    for (const op of ops) checkKey('put' in op ? op.put : op.delete);
    const journal = join(this.root, JOURNAL);
    writeDurably(journal, JSON.stringify(ops));
    this.apply(ops);
    rmSync(journal, { force: true });
  }

  async close(): Promise<void> {}

  private apply(ops: readonly Op[]): void {
    for (const op of ops) {
      if ('put' in op) writeDurably(this.path(op.put), JSON.stringify(op.value));
      else rmSync(this.dir(op.delete), { recursive: true, force: true });
    }
  }

  /** A journal left by a crash is applied again (puts and deletes are idempotent). */
  private replayJournal(): void {
    const journal = join(this.root, JOURNAL);
    let ops: Op[] | undefined;
    try {
      ops = JSON.parse(readFileSync(journal, 'utf8')) as Op[];
    } catch {
      ops = undefined; // none, or torn before it was complete: the batch never happened
    }
    if (ops) this.apply(ops);
    rmSync(journal, { force: true });
  }
}
