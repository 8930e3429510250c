// Reads what usage sampling needs from /proc and from sandboxes. A process can end between being
// listed and being read; it is then left out, as it would be had it ended a moment sooner.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TASK_PGID_FILE } from '@tepui/protocol';
import { parseProcStat, parseRssBytes, type ProcStat } from './proc-stat';
import type { ProcessSample } from './resource-statistics';

const readOrUndefined = (path: string) => readFile(path, 'utf8').catch(() => undefined);

/** Every process on the host (as this agent sees /proc). */
export async function readProcStats(procRoot = '/proc'): Promise<ProcStat[]> {
  const pids = (await readdir(procRoot)).filter((name) => /^\d+$/.test(name));
  const texts = await Promise.all(pids.map((pid) => readOrUndefined(join(procRoot, pid, 'stat'))));
  return texts.flatMap((text) => {
    const stat = text === undefined ? undefined : parseProcStat(text);
    return stat ? [stat] : [];
  });
}

/** Each process with its resident memory; a process gone by now counts none. */
export async function sampleProcesses(stats: readonly ProcStat[], procRoot = '/proc'): Promise<ProcessSample[]> {
  return Promise.all(stats.map(async (stat) => {
    const status = await readOrUndefined(join(procRoot, String(stat.pid), 'status'));
    return { stat, rssBytes: status === undefined ? 0 : parseRssBytes(status) };
  }));
}

/**
 * The process groups an executor's tasks run in: the command executor records its task's group
 * in the sandbox, the default and Docker executors each task's under `tasks/<task id>/`.
 */
export async function readTaskGroups(sandbox: string | undefined): Promise<number[]> {
  if (!sandbox) return [];
  const taskDirs = await readdir(join(sandbox, 'tasks')).catch(() => [] as string[]);
  const files = [sandbox, ...taskDirs.map((t) => join(sandbox, 'tasks', t))].map((dir) => join(dir, TASK_PGID_FILE));
  const groups = await Promise.all(files.map(async (file) => Number((await readOrUndefined(file))?.trim())));
  return groups.filter((g) => Number.isSafeInteger(g) && g > 0);
}
