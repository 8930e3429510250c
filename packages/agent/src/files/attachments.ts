// What the agent attaches to its files API (Mesos' Slave attaches each executor run's directory in
// src/slave/slave.cpp): the run's sandbox under its own real path, and for each executor the newest
// run under both `<work_dir>/slaves/<agent>/frameworks/<fw>/executors/<ex>/runs/latest` and the
// virtual `/frameworks/<fw>/executors/<ex>/runs/latest`. Mesos keeps them until the sandbox is
// garbage-collected; Tepui keeps them as long as it remembers the run (completed ones included).
import { posix } from 'node:path';

export interface SandboxRun {
  readonly frameworkId: string;
  readonly executorId: string;
  readonly sandbox: string;
}

export function virtualLatestPath(frameworkId: string, executorId: string): string {
  return `/frameworks/${frameworkId}/executors/${executorId}/runs/latest`;
}

/** `runs` oldest first: the last run of an executor is the one `latest` names. */
export function sandboxAttachments(runs: Iterable<SandboxRun>): Map<string, string> {
  const attached = new Map<string, string>();
  for (const run of runs) {
    attached.set(run.sandbox, run.sandbox);
    attached.set(posix.join(posix.dirname(run.sandbox), 'latest'), run.sandbox);
    attached.set(virtualLatestPath(run.frameworkId, run.executorId), run.sandbox);
  }
  return attached;
}
