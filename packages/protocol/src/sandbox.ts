// Files in a task sandbox that the agent and Tepui's executors both rely on.

/** The command executor records its task's process group id here, so the agent can destroy the
 *  task even when the executor itself died (Mesos uses cgroups for this). */
export const TASK_PGID_FILE = '.tepui-task.pgid';

/**
 * The sandbox of one task run by an executor that runs several (the default executor's task
 * groups, Tepui's shared Docker executor): `tasks/<task id>` below the executor's sandbox. The agent
 * fetches a task's URIs there before the executor starts it, so both must agree on the name.
 */
export function taskSandboxDir(executorSandbox: string, taskId: string): string {
  return `${executorSandbox.replace(/\/+$/, '')}/tasks/${taskId.split('/').join('_')}`;
}
