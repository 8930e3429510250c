// The embedded default StateStore, built the way ZooKeeper keeps its own data: every document in
// memory, every change appended to a write-ahead log (`wal.log`, one fsync per batch however many
// documents it holds), and from time to time a snapshot of the whole tree (`snapshot.jsonl`,
// written beside the old one and renamed over it) after which the log it covers is dropped.
// Opening the store loads the snapshot and replays the logs; log records are whole lines, so a
// record torn by a crash is ignored and its batch never happened. Replaying a record the snapshot
// already holds changes nothing: every operation sets or removes a whole document.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { DocTree, type DocOp } from './doc-tree';
import { checkKey, StateStoreError, type StateStore } from './state-store';

const WAL = 'wal.log';
const WAL_CHECKPOINTING = 'wal.old.log';
const SNAPSHOT = 'snapshot.jsonl';
/** Snapshot once the log holds this much, or this long after the first unsnapshotted write. */
const SNAPSHOT_AFTER_BYTES = 16 * 1024 * 1024;
const SNAPSHOT_AFTER_MS = 30_000;

export class FileStateStore implements StateStore {
  private readonly docs = new DocTree();
  private wal: number;
  private walBytes = 0;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private snapshotting: Promise<void> | undefined;
  private closed = false;

  private constructor(private readonly root: string) {
    this.recover();
    this.wal = openSync(join(root, WAL), 'a');
    this.walBytes = statSync(join(root, WAL)).size;
  }

  static open(root: string): FileStateStore {
    mkdirSync(root, { recursive: true });
    return new FileStateStore(root);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = this.docs.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  put(key: string, value: unknown): Promise<void> {
    return this.batch([{ put: key, value }]);
  }

  delete(key: string): Promise<void> {
    return this.batch([{ delete: key }]);
  }

  async children(prefix: string): Promise<string[]> {
    return this.docs.children(prefix);
  }

  async batch(ops: readonly DocOp[]): Promise<void> {
    if (this.closed) throw new StateStoreError('State store is closed');
    if (ops.length === 0) return;
    for (const op of ops) checkKey('put' in op ? op.put : op.delete);
    // Each document is serialised once, for the log record and the tree alike.
    const jsons = ops.map((op) => ('put' in op ? JSON.stringify(op.value) : undefined));
    const record = `[${ops.map((op, n) => ('put' in op ? `{"put":${JSON.stringify(op.put)},"value":${jsons[n]}}` : JSON.stringify(op))).join(',')}]\n`;
    writeSync(this.wal, record);
    fsyncSync(this.wal);
    this.walBytes += record.length;
    ops.forEach((op, n) => ('put' in op ? this.docs.set(op.put, jsons[n]!) : this.docs.delete(op.delete)));
    if (this.walBytes >= SNAPSHOT_AFTER_BYTES) void this.snapshot();
    else this.snapshotTimer ??= setTimeout(() => void this.snapshot(), SNAPSHOT_AFTER_MS).unref();
  }

  async close(): Promise<void> {
    if (this.closed) {
      if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
      return;
    }
    await this.snapshotting;
    if (this.walBytes > 0) await this.snapshot();
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.closed = true;
    closeSync(this.wal);
  }

  /** Rotates the log, writes the tree as it is at that moment, then drops the rotated log. */
  private snapshot(): Promise<void> {
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
    if (this.snapshotting) return this.snapshotting;
    try {
      closeSync(this.wal);
      renameSync(join(this.root, WAL), join(this.root, WAL_CHECKPOINTING));
      this.wal = openSync(join(this.root, WAL), 'a');
    } catch {
      this.closed = true; // the directory is gone: nothing is left to keep durable
      return Promise.resolve();
    }
    this.walBytes = 0;
    const lines: string[] = [];
    for (const [key, json] of this.docs.entries()) lines.push(`${JSON.stringify(key)}\t${json}\n`);
    this.snapshotting = this.writeSnapshot(lines.join(''))
      .then(() => rmSync(join(this.root, WAL_CHECKPOINTING), { force: true }))
      .catch(() => undefined) // the rotated log stays and is replayed on the next open
      .finally(() => (this.snapshotting = undefined));
    return this.snapshotting;
  }

  private async writeSnapshot(text: string): Promise<void> {
    const tmp = join(this.root, `${SNAPSHOT}.tmp`);
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    renameSync(tmp, join(this.root, SNAPSHOT));
    const dir = openSync(this.root, 'r');
    fsyncSync(dir);
    closeSync(dir);
  }

  private recover(): void {
    for (const line of readLines(join(this.root, SNAPSHOT))) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      this.docs.set(JSON.parse(line.slice(0, tab)) as string, line.slice(tab + 1));
    }
    for (const name of [WAL_CHECKPOINTING, WAL]) {
      for (const line of readLines(join(this.root, name))) {
        let ops: DocOp[];
        try {
          ops = JSON.parse(line) as DocOp[];
        } catch {
          continue; // torn by the crash: that batch never completed
        }
        this.docs.apply(ops);
      }
    }
    // Fold what was replayed into the snapshot at once, so the logs can start empty.
    const lines: string[] = [];
    for (const [key, json] of this.docs.entries()) lines.push(`${JSON.stringify(key)}\t${json}\n`);
    const tmp = join(this.root, `${SNAPSHOT}.tmp`);
    writeFileSync(tmp, lines.join(''));
    const fd = openSync(tmp, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(this.root, SNAPSHOT));
    rmSync(join(this.root, WAL_CHECKPOINTING), { force: true });
    writeFileSync(join(this.root, WAL), '');
  }
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  } catch {
    return [];
  }
}
