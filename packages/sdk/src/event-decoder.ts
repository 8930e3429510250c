// Turns one RecordIO record of the SUBSCRIBE stream into a typed event. The record is untrusted:
// every field the SDK or a framework relies on is checked by a type guard before it is typed,
// and unknown fields pass through (Mesos adds fields over time; clients must ignore them).
import type {
  AgentID, ExecutorID, FrameworkID, MasterInfo, Offer, OfferID, Resource, TaskStatus,
} from '@tepui/protocol';
import { TASK_STATES } from '@tepui/protocol';
import { InvalidEventError } from './errors';

export interface SubscribedEvent {
  readonly type: 'SUBSCRIBED';
  readonly frameworkId: FrameworkID;
  readonly heartbeatIntervalSeconds?: number;
  readonly masterInfo?: MasterInfo;
}

export interface FailureInfo {
  readonly agentId?: AgentID;
  readonly executorId?: ExecutorID;
  /** The executor's wait status, when an executor exited. */
  readonly status?: number;
}

export interface ExecutorMessage {
  readonly agentId: AgentID;
  readonly executorId: ExecutorID;
  /** The raw bytes the executor sent (base64 on the wire). */
  readonly data: Buffer;
}

/** A scheduler event, narrowed by `type`. Events the SDK has no handler for arrive as OTHER. */
export type DriverEvent =
  | SubscribedEvent
  | { readonly type: 'OFFERS'; readonly offers: readonly Offer[] }
  | { readonly type: 'RESCIND'; readonly offerId: OfferID }
  | { readonly type: 'UPDATE'; readonly status: TaskStatus }
  | { readonly type: 'MESSAGE'; readonly message: ExecutorMessage }
  | { readonly type: 'FAILURE'; readonly failure: FailureInfo }
  | { readonly type: 'ERROR'; readonly message: string }
  | { readonly type: 'HEARTBEAT' }
  /** INVERSE_OFFERS, UPDATE_OPERATION_STATUS and types newer than this SDK, passed through untyped. */
  | { readonly type: 'OTHER'; readonly eventType: string; readonly event: Readonly<Record<string, unknown>> };

type Json = Record<string, unknown>;

const KNOWN_STATES: ReadonlySet<string> = new Set(TASK_STATES);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is { value: string } {
  return isObject(v) && typeof v.value === 'string';
}

function isOptionalId(v: unknown): v is { value: string } | undefined {
  return v === undefined || isId(v);
}

function isResource(v: unknown): v is Resource {
  if (!isObject(v) || typeof v.name !== 'string') return false;
  if (v.type === 'SCALAR') return isObject(v.scalar) && typeof v.scalar.value === 'number';
  if (v.type === 'RANGES') return isObject(v.ranges) && (v.ranges.range === undefined || Array.isArray(v.ranges.range));
  if (v.type === 'SET') return isObject(v.set) && (v.set.item === undefined || Array.isArray(v.set.item));
  return false;
}

function isOffer(v: unknown): v is Offer {
  return (
    isObject(v) && isId(v.id) && isId(v.framework_id) && isId(v.agent_id) && typeof v.hostname === 'string' &&
    (v.resources === undefined || (Array.isArray(v.resources) && v.resources.every(isResource)))
  );
}

function isTaskStatus(v: unknown): v is TaskStatus {
  return (
    isObject(v) && isId(v.task_id) && typeof v.state === 'string' && KNOWN_STATES.has(v.state) &&
    isOptionalId(v.agent_id) && isOptionalId(v.executor_id) &&
    (v.uuid === undefined || typeof v.uuid === 'string') && (v.message === undefined || typeof v.message === 'string')
  );
}

function isMasterInfo(v: unknown): v is MasterInfo {
  return isObject(v) && typeof v.id === 'string';
}

function member(event: Json, name: string): Json {
  const value = event[name];
  if (!isObject(value)) throw new InvalidEventError(`${String(event.type)} event without '${name}'`);
  return value;
}

function decodeObject(event: Json): DriverEvent {
  switch (event.type) {
    case 'SUBSCRIBED': {
      const s = member(event, 'subscribed');
      if (!isId(s.framework_id)) throw new InvalidEventError('SUBSCRIBED without framework_id');
      const interval = typeof s.heartbeat_interval_seconds === 'number' ? s.heartbeat_interval_seconds : undefined;
      const masterInfo = isMasterInfo(s.master_info) ? s.master_info : undefined;
      return { type: 'SUBSCRIBED', frameworkId: { value: s.framework_id.value }, heartbeatIntervalSeconds: interval, masterInfo };
    }
    case 'OFFERS': {
      const offers = member(event, 'offers').offers ?? [];
      if (!Array.isArray(offers) || !offers.every(isOffer)) throw new InvalidEventError('OFFERS with a malformed offer');
      for (const o of offers) o.resources ??= [];
      return { type: 'OFFERS', offers };
    }
    case 'RESCIND': {
      const offerId = member(event, 'rescind').offer_id;
      if (!isId(offerId)) throw new InvalidEventError('RESCIND without offer_id');
      return { type: 'RESCIND', offerId };
    }
    case 'UPDATE': {
      const status = member(event, 'update').status;
      if (!isTaskStatus(status)) throw new InvalidEventError('UPDATE with a malformed status');
      return { type: 'UPDATE', status };
    }
    case 'MESSAGE': {
      const m = member(event, 'message');
      if (!isId(m.agent_id) || !isId(m.executor_id)) throw new InvalidEventError('MESSAGE without agent_id/executor_id');
      const data = typeof m.data === 'string' ? Buffer.from(m.data, 'base64') : Buffer.alloc(0);
      return { type: 'MESSAGE', message: { agentId: m.agent_id, executorId: m.executor_id, data } };
    }
    case 'FAILURE': {
      const f = member(event, 'failure');
      if (!isOptionalId(f.agent_id) || !isOptionalId(f.executor_id)) throw new InvalidEventError('FAILURE with malformed ids');
      const status = typeof f.status === 'number' ? f.status : undefined;
      return { type: 'FAILURE', failure: { agentId: f.agent_id, executorId: f.executor_id, status } };
    }
    case 'ERROR': {
      // The proto nests the message under `error`; Mesos' docs once showed it at top level. Read both.
      const nested = isObject(event.error) ? event.error.message : undefined;
      const message = typeof nested === 'string' ? nested : typeof event.message === 'string' ? event.message : 'unknown error';
      return { type: 'ERROR', message };
    }
    case 'HEARTBEAT':
      return { type: 'HEARTBEAT' };
    default:
      // Clients ignore event types they don't know, so a newer master doesn't break them.
      if (typeof event.type !== 'string') throw new InvalidEventError("event without a 'type'");
      return { type: 'OTHER', eventType: event.type, event };
  }
}

/** Decodes one record; throws InvalidEventError when it is not JSON or not a well-formed event. */
export function decodeSchedulerEvent(record: Buffer | string): DriverEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof record === 'string' ? record : record.toString('utf8'));
  } catch (err) {
    throw new InvalidEventError(`not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isObject(parsed)) throw new InvalidEventError('not a JSON object');
  return decodeObject(parsed);
}
