// A task's stdout/stderr tail as data, following the file the way the Mesos UI's pailer does: a
// first read at offset -1 learns the size, the next reads the last 32 KiB, and from then on each
// read starts where the last one ended; a full read is followed at once, a short one after a
// second. What is shown is bounded, so a chatty task cannot fill the tab's memory.
import type { TaskFileChunk, TaskOutputFile } from '@tepui/protocol';
import type { TaskSummary } from './marathon-wire';
import { isRecord } from './wire-read';

/** The pailer's first window: the last 8 pages of the file. */
export const TAIL_BYTES = 32 * 1024;
/** One read: the agent's cap (16 pages). */
export const READ_BYTES = 64 * 1024;
/** A short read means the end was reached; read on after this long. */
export const FOLLOW_MS = 1_000;
/** The pailer trims its view to this many characters. */
export const MAX_SHOWN_CHARS = 50_000;

export interface TaskLog {
  readonly taskId: string;
  readonly file: TaskOutputFile;
  readonly text: string;
  /** Where the next read starts; undefined until the file's size is known. */
  readonly nextOffset?: number;
  readonly error?: string;
}

export function startTaskLog(taskId: string, file: TaskOutputFile): TaskLog {
  return { taskId, file, text: '' };
}

/** The read to make next: the size first, then on from the last offset. */
export function nextRead(log: TaskLog): { readonly offset: number; readonly length: number } {
  return log.nextOffset === undefined ? { offset: -1, length: 1 } : { offset: log.nextOffset, length: READ_BYTES };
}

/** Marathon's URL for a read (GET /ui/api/tasks/{taskId}/files/read). */
export function taskFileUrl(taskId: string, file: TaskOutputFile, read: { readonly offset: number; readonly length: number }): string {
  return `/ui/api/tasks/${encodeURIComponent(taskId)}/files/read?file=${file}&offset=${read.offset}&length=${read.length}`;
}

export function decodeTaskFileChunk(body: unknown): TaskFileChunk | undefined {
  if (!isRecord(body) || typeof body.data !== 'string' || typeof body.offset !== 'number' || typeof body.nextOffset !== 'number') return undefined;
  return { data: body.data, offset: body.offset, nextOffset: body.nextOffset };
}

/** Keeps the last `max` characters, starting at a line where one is near. */
export function trimToTail(text: string, max = MAX_SHOWN_CHARS): string {
  if (text.length <= max) return text;
  const tail = text.slice(text.length - max);
  const newline = tail.indexOf('\n');
  return newline >= 0 && newline < 200 ? tail.slice(newline + 1) : tail;
}

export interface ChunkResult {
  readonly log: TaskLog;
  /** When to read again: at once after a full read (more is waiting), else after FOLLOW_MS. */
  readonly readAgainMs: number;
}

export function applyChunk(log: TaskLog, chunk: TaskFileChunk, asked: { readonly offset: number; readonly length: number }): ChunkResult {
  if (asked.offset === -1) {
    // The size: start the tail where its last window begins.
    return { log: { ...log, nextOffset: Math.max(0, chunk.offset - TAIL_BYTES), error: undefined }, readAgainMs: 0 };
  }
  let data = chunk.data;
  // The tail's first window starts mid-file: drop the partial first line.
  if (log.text === '' && asked.offset > 0) {
    const newline = data.indexOf('\n');
    data = newline >= 0 ? data.slice(newline + 1) : data;
  }
  const read = chunk.nextOffset - chunk.offset;
  return {
    log: { ...log, text: trimToTail(log.text + data), nextOffset: chunk.nextOffset, error: undefined },
    readAgainMs: read >= asked.length - 3 ? 0 : FOLLOW_MS,
  };
}

export function failedRead(log: TaskLog, message: string): ChunkResult {
  return { log: { ...log, error: message }, readAgainMs: FOLLOW_MS * 3 };
}

/** The task shown first: the newest running one, else the newest. */
export function defaultLogTask(tasks: readonly TaskSummary[]): string | undefined {
  const at = (t: TaskSummary): string => t.startedAt ?? t.stagedAt ?? '';
  const sorted = [...tasks].sort((a, b) => (at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0));
  return (sorted.find((t) => t.state === 'TASK_RUNNING') ?? sorted[0])?.id;
}
