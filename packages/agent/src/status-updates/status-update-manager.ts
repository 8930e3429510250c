// The shell around UpdateStreams: checkpoints updates and acknowledgements, forwards heads to the
// master while registered, and retries due heads from one sweep timer (not one timer per task).
import type { Cancel, Clock, StatusUpdate } from '@tepui/protocol';
import type { CheckpointStore, RunPaths } from '../checkpoint/checkpoint-store';
import { UpdateStreams } from './update-streams';

interface Persistence {
  readonly store: CheckpointStore;
  readonly paths: RunPaths;
}

export class StatusUpdateManager {
  private readonly streams: UpdateStreams;
  private readonly persistence = new Map<string, Persistence>();
  private readonly frameworkStreams = new Map<string, number>();
  private sweepTimer?: Cancel;
  private forwarding = false;
  private readonly sweepMs: number;

  constructor(
    retryIntervalMinMs: number,
    private readonly clock: Clock,
    private readonly forward: (update: StatusUpdate) => void,
  ) {
    this.streams = new UpdateStreams(retryIntervalMinMs);
    this.sweepMs = Math.max(50, Math.min(1000, Math.floor(retryIntervalMinMs / 4)));
  }

  private key(frameworkId: string, taskId: string): string {
    return `${frameworkId}\u0000${taskId}`;
  }

  /** Accepts an update (checkpointing it first); false if its uuid was seen before or the task already ended. */
  push(update: StatusUpdate, paths: RunPaths | undefined, store: CheckpointStore | undefined, replay = false): boolean {
    const fw = update.framework_id.value;
    const taskId = update.status.task_id.value;
    const key = this.key(fw, taskId);
    const existed = this.streams.hasStream(fw, taskId);
    const head = this.streams.push(update, this.clock.now());
    if (head === 'duplicate' || head === 'terminated') return false;
    if (!existed) this.frameworkStreams.set(fw, (this.frameworkStreams.get(fw) ?? 0) + 1);
    if (paths && store) {
      this.persistence.set(key, { store, paths });
      if (!replay) store.appendUpdate(paths, taskId, update);
    }
    if (head && this.forwarding) this.forward(head);
    return true;
  }

  acknowledge(frameworkId: string, taskId: string, uuid: string, done: (closed: boolean) => void): void {
    const outcome = this.streams.acknowledge(frameworkId, taskId, uuid, this.clock.now());
    if (outcome.kind !== 'acked') return;
    const key = this.key(frameworkId, taskId);
    const persisted = this.persistence.get(key);
    persisted?.store.appendAck(persisted.paths, taskId, uuid);
    if (outcome.closed) {
      this.persistence.delete(key);
      const left = (this.frameworkStreams.get(frameworkId) ?? 1) - 1;
      if (left <= 0) this.frameworkStreams.delete(frameworkId);
      else this.frameworkStreams.set(frameworkId, left);
    }
    if (outcome.next && this.forwarding) this.forward(outcome.next);
    done(outcome.closed);
  }

  /** Registered with the master: send every head now and keep retrying. */
  resume(): void {
    this.forwarding = true;
    for (const head of this.streams.heads(this.clock.now())) this.forward(head);
    this.scheduleSweep();
  }

  /** Lost the master: hold updates until the next registration. */
  pause(): void {
    this.forwarding = false;
    this.sweepTimer?.();
    this.sweepTimer = undefined;
  }

  hasStream(frameworkId: string, taskId: string): boolean {
    return this.streams.hasStream(frameworkId, taskId);
  }

  hasFramework(frameworkId: string): boolean {
    return this.frameworkStreams.has(frameworkId);
  }

  pendingFor(frameworkId: string, taskId: string): readonly StatusUpdate[] {
    return this.streams.pendingFor(frameworkId, taskId);
  }

  get size(): number {
    return this.streams.size;
  }

  private scheduleSweep(): void {
    this.sweepTimer?.();
    this.sweepTimer = this.clock.setTimer(this.sweepMs, () => {
      if (!this.forwarding) return;
      for (const head of this.streams.due(this.clock.now())) this.forward(head);
      this.scheduleSweep();
    });
  }
}
