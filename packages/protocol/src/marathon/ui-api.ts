// What Marathon serves its web UI under /ui/api/ beyond the v2 API (Tepui's own, not Marathon's).

/** The sandbox files of a task the UI may read: the task's output, nothing else. */
export type TaskOutputFile = 'stdout' | 'stderr';

export const TASK_OUTPUT_FILES: readonly TaskOutputFile[] = ['stdout', 'stderr'];

/**
 * GET /ui/api/tasks/{taskId}/files/read?file=stdout&offset=&length=: a window of the file as the
 * agent's /files/read returned it, cut back to whole UTF-8 characters. `offset` is where `data`
 * starts (for offset=-1: the file's size, with no data); `nextOffset` is where the next read
 * starts, so a reader that follows the file never splits or repeats a character.
 */
export interface TaskFileChunk {
  readonly data: string;
  readonly offset: number;
  readonly nextOffset: number;
}
