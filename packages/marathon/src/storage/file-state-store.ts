// The embedded default StateStore: one JSON file per key under `data/`, plus a write-ahead log.
// A write is durable once its record is appended and fsynced to `wal.log` (one fsync per batch,
// however many documents it holds); the documents themselves are written with rename and no
// fsync, and a checkpoint (`sync -f` of the file system, off the event loop) later makes them
// durable and lets the log be dropped. Opening the store replays whatever log survived: records
// are whole lines, so a record torn by a crash is ignored and its batch never happened.
import { execFile } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { checkKey, StateStoreError, type StateStore } from './state-store';

const DOC = 'doc.json';
const WAL = 'wal.log';
const WAL_CHECKPOINTING = 'wal.old.log';
/** How long after a write the documents are synced and the log trimmed. */
const CHECKPOINT_DELAY_MS = 1000;

type Op = { put: string; value: unknown } | { delete: string };

export class FileStateStore implements StateStore {
  private wal: number;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private checkpointing: Promise<void> | undefined;
  private closed = false;

  private constructor(private readonly root: string) {
    this.recover();
    this.wal = openSync(join(root, WAL), 'a');
  }

  static open(root: string): FileStateStore {
    mkdirSync(join(root, 'data'), { recursive: true });
    return new FileStateStore(root);
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

  put(key: string, value: unknown): Promise<void> {
    return this.batch([{ put: key, value }]);
  }

  delete(key: string): Promise<void> {
    return this.batch([{ delete: key }]);
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
    if (this.closed) throw new StateStoreError('State store is closed');
    if (ops.length === 0) return;
    for (const op of ops) checkKey('put' in op ? op.put : op.delete);
    writeSync(this.wal, `${JSON.stringify(ops)}\n`);
    fsyncSync(this.wal);
    this.apply(ops);
    this.checkpointTimer ??= setTimeout(() => void this.checkpoint(), CHECKPOINT_DELAY_MS).unref();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    await this.checkpointing;
    await this.checkpoint();
    this.closed = true;
    closeSync(this.wal);
  }

  /** Rotates the log, syncs the documents it covers, then drops it. */
  private checkpoint(): Promise<void> {
    this.checkpointTimer = undefined;
    if (this.checkpointing) return this.checkpointing;
    try {
      closeSync(this.wal);
      renameSync(join(this.root, WAL), join(this.root, WAL_CHECKPOINTING));
      this.wal = openSync(join(this.root, WAL), 'a');
    } catch {
      this.closed = true; // the directory went away under us: nothing left to keep durable
      return Promise.resolve();
    }
    this.checkpointing = promisify(execFile)('sync', ['-f', join(this.root, 'data')])
      .then(() => rmSync(join(this.root, WAL_CHECKPOINTING), { force: true }))
      .catch(() => undefined) // the log stays and is replayed on the next open
      .finally(() => (this.checkpointing = undefined));
    return this.checkpointing;
  }

  private apply(ops: readonly Op[]): void {
    for (const op of ops) {
      if ('put' in op) {
        const path = this.path(op.put);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(`${path}.tmp`, JSON.stringify(op.value));
        renameSync(`${path}.tmp`, path);
      } else {
        rmSync(this.dir(op.delete), { recursive: true, force: true });
      }
    }
  }

  /** Replays the logs a crash left (puts and deletes are idempotent), then makes the result durable. */
  private recover(): void {
    let replayed = false;
    for (const name of [WAL_CHECKPOINTING, WAL]) {
      let text: string;
      try {
        text = readFileSync(join(this.root, name), 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        let ops: Op[];
        try {
          ops = JSON.parse(line) as Op[];
        } catch {
          continue; // torn by the crash: that batch never completed
        }
        this.apply(ops);
        replayed = true;
      }
    }
    if (replayed) {
      for (const name of ['data', '.']) {
        const fd = openSync(join(this.root, name), 'r');
        fsyncSync(fd);
        closeSync(fd);
      }
    }
    rmSync(join(this.root, WAL_CHECKPOINTING), { force: true });
    writeFileSync(join(this.root, WAL), '');
  }
}
