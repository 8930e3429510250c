// Pure decisions behind reading a task's output through Marathon: which agent holds the task
// (the master's /master/slaves `pid`), where its sandbox is (the agent's /state), which files may
// be read (stdout and stderr, nothing else), and how a window of bytes becomes text that a reader
// following the file can continue without splitting a character.
import { taskSandboxDir, TASK_OUTPUT_FILES, type TaskFileChunk, type TaskOutputFile } from '@tepui/protocol';
import { isJsonObject, type JsonObject } from './json-object';

/** Mesos' agents cap one read at 16 pages; asking for more gains nothing. */
export const MAX_TASK_FILE_READ = 16 * 4096;

const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const objects = (value: unknown): JsonObject[] => list(value).filter(isJsonObject);

/**
 * `http://ip:port` of an agent from the master's /master/slaves. Its `pid` (`slave(1)@ip:port`)
 * is the address the agent serves on, as the Mesos web UI uses it; hostname:port otherwise.
 */
export function agentBaseOf(slaves: unknown, agentId: string): string | undefined {
  const agent = objects(isJsonObject(slaves) ? slaves.slaves : undefined).find((a) => a.id === agentId);
  if (!agent) return undefined;
  const pid = typeof agent.pid === 'string' ? /@([^@/]+:\d+)$/.exec(agent.pid)?.[1] : undefined;
  if (pid !== undefined) return `http://${pid}`;
  if (typeof agent.hostname === 'string' && typeof agent.port === 'number') return `http://${agent.hostname}:${agent.port}`;
  return undefined;
}

const holdsTask = (executor: JsonObject, taskId: string): JsonObject | undefined =>
  [...objects(executor.tasks), ...objects(executor.queued_tasks), ...objects(executor.completed_tasks)].find((t) => t.id === taskId);

/**
 * The task's sandbox from the agent's /state: the directory of the executor that runs it, or for
 * an executor that runs several (the default executor's task groups, the Docker executor)
 * `tasks/<task id>` below it, as the executors lay them out. Newest run first, so a task id
 * reused after a restart finds the current sandbox.
 */
export function taskSandboxOf(agentState: unknown, taskId: string): string | undefined {
  if (!isJsonObject(agentState)) return undefined;
  const frameworks = [...objects(agentState.frameworks), ...objects(agentState.completed_frameworks)];
  for (const framework of frameworks) {
    for (const executor of [...objects(framework.executors), ...objects(framework.completed_executors)]) {
      const task = holdsTask(executor, taskId);
      if (!task || typeof executor.directory !== 'string' || executor.directory === '') continue;
      // A command task's executor carries the task's id (Mesos) and the task names no executor (its /state).
      const ownExecutor = executor.id === taskId || task.executor_id === '' || task.executor_id === undefined;
      return ownExecutor ? executor.directory : taskSandboxDir(executor.directory, taskId);
    }
  }
  return undefined;
}

export function parseOutputFile(value: unknown): TaskOutputFile | undefined {
  return TASK_OUTPUT_FILES.find((f) => f === value);
}

/** The agent path of an output file: always directly in the sandbox, whatever the request said. */
export function taskOutputPath(sandbox: string, file: TaskOutputFile): string {
  return `${sandbox.replace(/\/+$/, '')}/${file}`;
}

export type ParsedWindow = { readonly ok: true; readonly offset: number; readonly length: number } | { readonly ok: false; readonly error: string };

/** `offset` (-1, the default, asks for the size only) and `length` (capped at one agent read). */
export function parseReadWindow(offset: unknown, length: unknown): ParsedWindow {
  const integer = (v: unknown, fallback: number): number | undefined =>
    v === undefined ? fallback : typeof v === 'string' && /^-?\d{1,15}$/.test(v) ? Number(v) : undefined;
  const at = integer(offset, -1);
  const count = integer(length, MAX_TASK_FILE_READ);
  if (at === undefined || at < -1) return { ok: false, error: 'offset must be an integer ≥ -1' };
  if (count === undefined || count < 1) return { ok: false, error: 'length must be a positive integer' };
  return { ok: true, offset: at, length: Math.min(count, MAX_TASK_FILE_READ) };
}

/** The agent's /files/read query for a window of a file. */
export function agentReadPath(path: string, offset: number, length: number): string {
  const query = new URLSearchParams({ path, offset: String(offset), length: String(length) });
  return `/files/read?${query.toString()}`;
}

/**
 * The bytes and offset of an agent's /files/read answer. The agent writes the file's bytes into
 * the JSON string as they are (Mesos does the same), so the body is read as Latin-1, where one
 * character is one byte, and the bytes come back exactly even when a read split a character.
 */
export function decodeAgentRead(body: Buffer): { bytes: Buffer; offset: number } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('latin1'));
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed) || typeof parsed.data !== 'string' || typeof parsed.offset !== 'number') return undefined;
  return { bytes: Buffer.from(parsed.data, 'latin1'), offset: parsed.offset };
}

/** How many leading bytes form whole UTF-8 characters: a character cut at the end waits for the next read. */
export function wholeUtf8Length(bytes: Buffer): number {
  const end = bytes.length;
  // A character is at most 4 bytes: look back at most 3 for the lead byte of a cut one.
  for (let back = 1; back <= Math.min(3, end); back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return size > back ? end - back : end;
  }
  return end;
}

export function taskFileChunk(bytes: Buffer, offset: number): TaskFileChunk {
  const whole = wholeUtf8Length(bytes);
  return { data: bytes.subarray(0, whole).toString('utf8'), offset, nextOffset: offset + whole };
}
