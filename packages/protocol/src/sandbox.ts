// Files in a task sandbox that the agent and Tepui's executors both rely on.

/** The command executor records its task's process group id here, so the agent can destroy the
 *  task even when the executor itself died (Mesos uses cgroups for this). */
export const TASK_PGID_FILE = '.tepui-task.pgid';
