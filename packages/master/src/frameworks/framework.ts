// What the master knows about one framework: its info, its subscription, its tasks and offers.
import type { Cancel, FrameworkInfo, Task } from '@tepui/protocol';
import type { RecordIOStream } from '../http/recordio-stream';

export interface SchedulerSubscription {
  readonly streamId: string;
  readonly stream: RecordIOStream;
}

export class Framework {
  subscription?: SchedulerSubscription;
  /** True while the framework may receive offers (connected and not deactivated). */
  active = false;
  /** Learned from a re-registering agent and not yet re-subscribed (after master failover). */
  recovered = false;
  registeredTime: number;
  reregisteredTime?: number;
  unregisteredTime?: number;
  failoverTimer?: Cancel;
  readonly tasks = new Map<string, Task>();
  readonly unreachableTasks = new Map<string, Task>();
  readonly completedTasks: Task[] = [];
  readonly offers = new Set<string>();
  readonly suppressedRoles = new Set<string>();

  constructor(
    public info: FrameworkInfo & { id: { value: string } },
    now: number,
  ) {
    this.registeredTime = now;
  }

  get id(): string {
    return this.info.id.value;
  }

  get connected(): boolean {
    return this.subscription !== undefined;
  }

  /** The roles the framework subscribes with: `roles` for MULTI_ROLE frameworks, else the single `role`. */
  get roles(): string[] {
    return frameworkRoles(this.info);
  }

  hasCapability(type: string): boolean {
    return (this.info.capabilities ?? []).some((c) => c.type === type);
  }

  get partitionAware(): boolean {
    return this.hasCapability('PARTITION_AWARE');
  }

  get multiRole(): boolean {
    return this.hasCapability('MULTI_ROLE');
  }

  /** Moves a task to the completed list, keeping at most `limit` of them. */
  completeTask(task: Task, limit: number): void {
    this.tasks.delete(task.task_id.value);
    this.unreachableTasks.delete(task.task_id.value);
    this.completedTasks.push(task);
    if (this.completedTasks.length > limit) this.completedTasks.splice(0, this.completedTasks.length - limit);
  }
}

export function frameworkRoles(info: FrameworkInfo): string[] {
  const multiRole = (info.capabilities ?? []).some((c) => c.type === 'MULTI_ROLE');
  if (multiRole) return [...(info.roles ?? [])];
  return [info.role ?? '*'];
}
