// The agent's books: frameworks it runs work for, their executors (one run = one container),
// and each executor's tasks.
import type { Cancel, ExecutorEvent, ExecutorInfo, FrameworkInfo, KillPolicy, TaskInfo, TaskState, TaskStatus } from '@tepui/protocol';
import type { RunPaths } from '../checkpoint/checkpoint-store';

/** The command a synthesised command-executor ExecutorInfo carries (the agent runs its own launcher). */
export const COMMAND_EXECUTOR_COMMAND = 'tepui-command-executor';
/**
 * One Docker executor per framework on an agent runs every DOCKER task of that framework without
 * an executor of its own: a process (and its dockerode) per container would cost more than the
 * container itself.
 */
export const DOCKER_EXECUTOR_ID = 'tepui-docker-executor';
export const DOCKER_EXECUTOR_COMMAND = 'tepui-docker-executor';

/** How the agent talks to a subscribed executor: an HTTP stream, or an in-process fake. */
export interface ExecutorConnection {
  send(event: ExecutorEvent): void;
  close(): void;
}

export interface TaskEntry {
  readonly info: TaskInfo;
  state: TaskState;
  /** Sent to the executor in a LAUNCH (not merely queued). */
  launched: boolean;
  latestStatus?: TaskStatus;
  /** The master asked to kill it (with this policy): the KILL goes out again when the executor re-subscribes. */
  kill?: { readonly policy?: KillPolicy };
  /** Its URIs are still being fetched into its sandbox: it is sent to the executor after. */
  fetching?: boolean;
}

export type RunState = 'launching' | 'running' | 'terminating' | 'terminated';

export class ExecutorRun {
  state: RunState = 'launching';
  connection?: ExecutorConnection;
  pid?: number;
  registrationTimer?: Cancel;
  shutdownTimer?: Cancel;
  readonly tasks = new Map<string, TaskEntry>();
  readonly completedTasks: TaskEntry[] = [];
  /** Task groups waiting for the executor to subscribe. */
  readonly queuedGroups: TaskInfo[][] = [];
  /** A LAUNCH or LAUNCH_GROUP went out to it (Mesos' everSentTask). */
  everSentTask = false;
  /** Its sandbox was garbage-collected: the files API no longer serves it. */
  sandboxCollected = false;
  /** The container's URIs are being fetched: no process is started until they are in. */
  fetching = false;

  constructor(
    readonly frameworkId: string,
    readonly info: ExecutorInfo,
    readonly containerId: string,
    readonly paths: RunPaths | undefined,
    /** The agent synthesised this executor for a command task (executor id = task id). */
    readonly commandExecutor: boolean,
  ) {}

  get id(): string {
    return this.info.executor_id.value;
  }

  get live(): boolean {
    return this.state !== 'terminated';
  }

  queuedTasks(): TaskInfo[] {
    return [...this.tasks.values()].filter((t) => !t.launched).map((t) => t.info);
  }
}

export class FrameworkEntry {
  readonly executors = new Map<string, ExecutorRun>();
  readonly completedExecutors: ExecutorRun[] = [];

  constructor(public info: FrameworkInfo & { id: { value: string } }) {}

  get id(): string {
    return this.info.id.value;
  }

  get checkpoint(): boolean {
    return this.info.checkpoint === true;
  }

  get partitionAware(): boolean {
    return (this.info.capabilities ?? []).some((c) => c.type === 'PARTITION_AWARE');
  }

  /** The run holding `taskId`, if any. */
  runOf(taskId: string): ExecutorRun | undefined {
    for (const run of this.executors.values()) if (run.tasks.has(taskId)) return run;
    return undefined;
  }
}
