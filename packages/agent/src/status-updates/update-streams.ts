// The decisions of the status update manager (Mesos' src/slave/task_status_update_manager.cpp),
// as plain data with time passed in: one stream per task, only the head in flight, retried with
// doubling intervals until acknowledged by uuid; a terminal update acknowledged closes the stream.
import { isTerminalState, type StatusUpdate } from '@tepui/protocol';

export const STATUS_UPDATE_RETRY_INTERVAL_MAX_MS = 10 * 60 * 1000;

interface Stream {
  readonly frameworkId: string;
  readonly taskId: string;
  readonly pending: StatusUpdate[];
  /** uuids ever accepted on this stream, so an executor resending an update is not duplicated. */
  readonly seen: Set<string>;
  nextRetryAt?: number;
  retryIntervalMs: number;
  terminated: boolean;
}

export type AckOutcome =
  | { kind: 'unknown-stream' }
  | { kind: 'stale' } // not the head's uuid: an old or duplicate acknowledgement
  | { kind: 'acked'; next?: StatusUpdate; closed: boolean };

function streamKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

export class UpdateStreams {
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly retryIntervalMinMs: number) {}

  /**
   * Adds an update to its task's stream. Returns it if it became the head (send it now),
   * 'duplicate' if its uuid was already accepted, 'terminated' if the task already had a terminal
   * update (nothing may follow one, as in Mesos), or undefined if it waits behind the head.
   */
  push(update: StatusUpdate, now: number): StatusUpdate | 'duplicate' | 'terminated' | undefined {
    const key = streamKey(update.framework_id.value, update.status.task_id.value);
    let stream = this.streams.get(key);
    if (!stream) {
      stream = {
        frameworkId: update.framework_id.value, taskId: update.status.task_id.value,
        pending: [], seen: new Set(), retryIntervalMs: this.retryIntervalMinMs, terminated: false,
      };
      this.streams.set(key, stream);
    }
    const uuid = update.status.uuid;
    if (uuid !== undefined && stream.seen.has(uuid)) return 'duplicate';
    if (stream.terminated) return 'terminated';
    if (uuid !== undefined) stream.seen.add(uuid);
    if (isTerminalState(update.status.state)) stream.terminated = true;
    stream.pending.push(update);
    if (stream.pending.length > 1) return undefined;
    this.armRetry(stream, now, true);
    return this.head(stream);
  }

  /** The framework acknowledged `uuid` for this task. */
  acknowledge(frameworkId: string, taskId: string, uuid: string, now: number): AckOutcome {
    const stream = this.streams.get(streamKey(frameworkId, taskId));
    if (!stream || stream.pending.length === 0) return { kind: 'unknown-stream' };
    if (stream.pending[0]!.status.uuid !== uuid) return { kind: 'stale' };
    const acked = stream.pending.shift()!;
    const closed = isTerminalState(acked.status.state);
    if (closed) {
      this.streams.delete(streamKey(frameworkId, taskId));
      return { kind: 'acked', closed: true };
    }
    if (stream.pending.length === 0) {
      stream.nextRetryAt = undefined;
      return { kind: 'acked', closed: false };
    }
    this.armRetry(stream, now, true);
    return { kind: 'acked', next: this.head(stream), closed: false };
  }

  /** Heads whose retry time has come; each one's interval doubles, up to the maximum. */
  due(now: number): StatusUpdate[] {
    const out: StatusUpdate[] = [];
    for (const stream of this.streams.values()) {
      if (stream.nextRetryAt === undefined || stream.nextRetryAt > now || stream.pending.length === 0) continue;
      this.armRetry(stream, now, false);
      out.push(this.head(stream));
    }
    return out;
  }

  /** Every head, for resending after (re)registration; retry intervals start over. */
  heads(now: number): StatusUpdate[] {
    const out: StatusUpdate[] = [];
    for (const stream of this.streams.values()) {
      if (stream.pending.length === 0) continue;
      this.armRetry(stream, now, true);
      out.push(this.head(stream));
    }
    return out;
  }

  /** Updates not yet acknowledged for one task, oldest first. */
  pendingFor(frameworkId: string, taskId: string): readonly StatusUpdate[] {
    return this.streams.get(streamKey(frameworkId, taskId))?.pending ?? [];
  }

  hasStream(frameworkId: string, taskId: string): boolean {
    return this.streams.has(streamKey(frameworkId, taskId));
  }

  /** Drops every stream of a framework (it was removed). */
  removeFramework(frameworkId: string): void {
    for (const [key, stream] of this.streams) if (stream.frameworkId === frameworkId) this.streams.delete(key);
  }

  get size(): number {
    return this.streams.size;
  }

  private head(stream: Stream): StatusUpdate {
    const head = stream.pending[0]!;
    const latest = stream.pending[stream.pending.length - 1]!.status.state;
    return latest === head.status.state ? head : { ...head, latest_state: latest };
  }

  private armRetry(stream: Stream, now: number, reset: boolean): void {
    if (reset) stream.retryIntervalMs = this.retryIntervalMinMs;
    else stream.retryIntervalMs = Math.min(stream.retryIntervalMs * 2, STATUS_UPDATE_RETRY_INTERVAL_MAX_MS);
    stream.nextRetryAt = now + stream.retryIntervalMs;
  }
}
