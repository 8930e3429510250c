// Which processes make up one executor's container. Mesos' posix isolator takes the process tree
// under the executor's pid; Tepui's executors start each task detached (its own session and
// process group, recorded in the sandbox), so a task whose executor died, or a daemon that left
// its parent, is still found by its group.
import type { ProcStat } from './proc-stat';

export interface ContainerRoots {
  /** The executor's pid, which also names its own session and group (the agent starts it detached). */
  readonly executorPid?: number;
  /** Process group ids of the tasks it started, from the sandbox's `.tepui-task.pgid` files. */
  readonly taskGroups: readonly number[];
}

/**
 * The processes of one container, each once: the executor, every task group or session member,
 * and all their descendants by parent pid. Processes outside are never counted, however the
 * roots are given (a group id 1, or one of the agent's own, would otherwise claim the host).
 */
export function containerProcesses(all: readonly ProcStat[], roots: ContainerRoots, exclude: ReadonlySet<number> = new Set()): ProcStat[] {
  const counts = (id: number | undefined): id is number => id !== undefined && id > 1 && !exclude.has(id);
  const executorPid = counts(roots.executorPid) ? roots.executorPid : undefined;
  const groups = new Set(roots.taskGroups.filter(counts));
  if (executorPid !== undefined) groups.add(executorPid);
  const children = new Map<number, ProcStat[]>();
  for (const p of all) {
    const siblings = children.get(p.ppid);
    if (siblings) siblings.push(p);
    else children.set(p.ppid, [p]);
  }
  const chosen = new Map<number, ProcStat>();
  const queue = all.filter((p) => p.pid === executorPid || groups.has(p.pgrp) || groups.has(p.session));
  while (queue.length > 0) {
    const p = queue.pop()!;
    if (chosen.has(p.pid) || exclude.has(p.pid)) continue;
    chosen.set(p.pid, p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return [...chosen.values()].sort((a, b) => a.pid - b.pid);
}
