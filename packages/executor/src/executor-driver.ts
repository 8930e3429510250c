// A typed client of the Mesos v1 executor API (POST /api/v1/executor on the agent), usable by
// Tepui's own executors and by custom ones. It keeps every update until the agent acknowledges
// it, and re-subscribes with them after an agent restart when the framework checkpoints.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import {
  RecordIODecoder, SystemClock, newStatusUuid, parseDuration, type Cancel, type Clock, type ExecutorCall,
  type ExecutorEvent, type TaskInfo, type TaskStatus,
} from '@tepui/protocol';

export interface ExecutorEnvironment {
  readonly frameworkId: string;
  readonly executorId: string;
  readonly agentEndpoint: string;
  readonly checkpoint: boolean;
  readonly recoveryTimeoutMs: number;
  readonly subscriptionBackoffMaxMs: number;
  readonly shutdownGracePeriodMs: number;
  readonly sandbox: string;
}

export class ExecutorEnvironmentError extends Error {}

/** Reads the environment the agent gives every executor (reference §4). */
export function readExecutorEnvironment(env: Readonly<Record<string, string | undefined>>): ExecutorEnvironment {
  const need = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new ExecutorEnvironmentError(`Expecting environment variable ${name} to be set`);
    return value;
  };
  const duration = (name: string, fallback: string) => parseDuration(env[name] ?? fallback);
  return {
    frameworkId: need('MESOS_FRAMEWORK_ID'),
    executorId: need('MESOS_EXECUTOR_ID'),
    agentEndpoint: need('MESOS_AGENT_ENDPOINT'),
    checkpoint: env.MESOS_CHECKPOINT === '1',
    recoveryTimeoutMs: duration('MESOS_RECOVERY_TIMEOUT', '15mins'),
    subscriptionBackoffMaxMs: duration('MESOS_SUBSCRIPTION_BACKOFF_MAX', '2secs'),
    shutdownGracePeriodMs: duration('MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD', '5secs'),
    sandbox: env.MESOS_SANDBOX ?? env.MESOS_DIRECTORY ?? process.cwd(),
  };
}

export interface ExecutorHandlers {
  event(event: ExecutorEvent): void;
  /** The agent is gone for good (no checkpointing, or the recovery timeout elapsed). */
  lost(reason: string): void;
}

export class ExecutorDriver {
  private readonly unackedUpdates = new Map<string, TaskStatus>();
  private readonly unackedTasks = new Map<string, TaskInfo>();
  // One socket: calls reach the agent in the order they were made (an UPDATE must never overtake
  // the one before it), as over Mesos' single libprocess connection.
  private readonly pool = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  private readonly clock: Clock;
  private subscribed = false;
  private stopped = false;
  private disconnectedSince?: number;
  private retry?: Cancel;
  private backoffMs = 100;
  private closeStream?: () => void;

  constructor(
    readonly env: ExecutorEnvironment,
    private readonly handlers: ExecutorHandlers,
    clock?: Clock,
  ) {
    this.clock = clock ?? new SystemClock();
  }

  private get url(): string {
    return `http://${this.env.agentEndpoint}/api/v1/executor`;
  }

  private base(): Pick<ExecutorCall, 'executor_id' | 'framework_id'> {
    return { executor_id: { value: this.env.executorId }, framework_id: { value: this.env.frameworkId } };
  }

  start(): void {
    this.subscribe();
  }

  stop(): void {
    this.stopped = true;
    this.retry?.();
    this.closeStream?.();
    this.pool.destroy();
  }

  /**
   * Tasks we were given and whose first update the agent has not acknowledged: they go with every
   * SUBSCRIBE, since the agent ends a staging task the executor does not list (TASK_DROPPED/LOST).
   */
  rememberTask(task: TaskInfo): void {
    this.unackedTasks.set(task.task_id.value, task);
  }

  get pendingUpdates(): number {
    return this.unackedUpdates.size;
  }

  /** Sends an update; it is re-sent on re-subscription until the agent acknowledges it. */
  update(status: Omit<TaskStatus, 'uuid' | 'source' | 'executor_id' | 'timestamp'>): TaskStatus {
    const full: TaskStatus = {
      ...status,
      uuid: newStatusUuid(),
      source: 'SOURCE_EXECUTOR',
      executor_id: { value: this.env.executorId },
      timestamp: this.clock.now() / 1000,
    };
    this.unackedUpdates.set(full.uuid!, full);
    this.post({ ...this.base(), type: 'UPDATE', update: { status: full } });
    return full;
  }

  sendMessage(data: string): void {
    this.post({ ...this.base(), type: 'MESSAGE', message: { data } });
  }

  private post(call: ExecutorCall): void {
    if (!this.subscribed) return; // re-sent with SUBSCRIBE once the agent is back
    const req = httpRequest(this.url, { method: 'POST', agent: this.pool, headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, (res) => {
      res.resume();
      if (res.statusCode !== 202) process.stderr.write(`executor call ${call.type} answered ${res.statusCode}\n`);
    });
    req.on('error', () => undefined); // the stream's end drives reconnection
    req.end(JSON.stringify(call));
  }

  private subscribe(): void {
    if (this.stopped) return;
    const call: ExecutorCall = {
      ...this.base(),
      type: 'SUBSCRIBE',
      subscribe: {
        unacknowledged_tasks: [...this.unackedTasks.values()],
        unacknowledged_updates: [...this.unackedUpdates.values()].map((status) => ({ status })),
      },
    };
    const req = httpRequest(this.url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        this.onDisconnected(`SUBSCRIBE answered ${res.statusCode}`);
        return;
      }
      this.subscribed = true;
      this.disconnectedSince = undefined;
      this.backoffMs = 100;
      const decoder = new RecordIODecoder();
      res.on('data', (chunk: Buffer) => {
        for (const record of decoder.push(chunk)) this.onEvent(JSON.parse(record.toString('utf8')) as ExecutorEvent);
      });
      const end = () => this.onDisconnected('agent closed the stream');
      res.on('end', end);
      res.on('close', end);
      res.on('error', end);
    });
    this.closeStream = () => req.destroy();
    req.on('error', (err) => this.onDisconnected(`cannot reach the agent: ${err.message}`));
    req.end(JSON.stringify(call));
  }

  private onEvent(event: ExecutorEvent): void {
    if (event.type === 'ACKNOWLEDGED' && event.acknowledged) {
      this.unackedUpdates.delete(event.acknowledged.uuid);
      this.unackedTasks.delete(event.acknowledged.task_id.value);
    }
    if (event.type === 'LAUNCH' && event.launch) this.rememberTask(event.launch.task);
    // Mesos' default executor lists a group's tasks too: the agent drops a staging task it is not told of.
    if (event.type === 'LAUNCH_GROUP' && event.launch_group) for (const task of event.launch_group.task_group.tasks) this.rememberTask(task);
    this.handlers.event(event);
  }

  private onDisconnected(reason: string): void {
    if (this.stopped) return;
    const wasSubscribed = this.subscribed;
    this.subscribed = false;
    this.closeStream = undefined;
    if (wasSubscribed && !this.env.checkpoint) {
      this.handlers.lost(`${reason}; the framework does not checkpoint`);
      return;
    }
    const now = this.clock.now();
    this.disconnectedSince ??= now;
    if (now - this.disconnectedSince > this.env.recoveryTimeoutMs) {
      this.handlers.lost(`${reason}; gave up after the recovery timeout`);
      return;
    }
    this.retry?.();
    const delay = Math.min(this.backoffMs, this.env.subscriptionBackoffMaxMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.env.subscriptionBackoffMaxMs);
    this.retry = this.clock.setTimer(delay, () => this.subscribe());
  }
}
