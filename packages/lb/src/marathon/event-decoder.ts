// Turns one `data:` payload of /v2/events into a typed MarathonEvent, checking the fields the view
// reads. Untrusted text comes in; what comes out is built field by field, never cast. Fields the view
// does not need get Marathon's empty value when missing, so an older or newer Marathon's variation
// costs nothing; a missing id or state is malformed (the follower then resyncs).
import type { DeploymentPlanJson, DeploymentStepJson, MarathonEvent } from '@tepui/protocol';

/** The event types the load balancer asks /v2/events for (`?event_type=`, Marathon 1.3.7+). */
export const LB_EVENT_TYPES = [
  'status_update_event',
  'health_status_changed_event',
  'unhealthy_instance_kill_event',
  'api_post_event',
  'deployment_info',
  'deployment_step_success',
  'deployment_success',
  'deployment_failed',
  'app_terminated_event',
  'group_change_success',
] as const;

export type DecodedEvent =
  | { readonly kind: 'event'; readonly event: MarathonEvent }
  /** Valid, but of a type the load balancer does not follow (a Marathon that ignores the filter). */
  | { readonly kind: 'ignored'; readonly eventType: string }
  | { readonly kind: 'malformed'; readonly reason: string };

class Malformed extends Error {}

type Json = Record<string, unknown>;

export function decodeMarathonEvent(data: string): DecodedEvent {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (err) {
    return { kind: 'malformed', reason: `event is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!isJson(value) || typeof value.eventType !== 'string') return { kind: 'malformed', reason: 'event has no eventType' };
  try {
    const event = build(value, value.eventType);
    return event ? { kind: 'event', event } : { kind: 'ignored', eventType: value.eventType };
  } catch (err) {
    if (err instanceof Malformed) return { kind: 'malformed', reason: `${value.eventType}: ${err.message}` };
    throw err;
  }
}

function build(o: Json, eventType: string): MarathonEvent | undefined {
  const timestamp = optString(o, 'timestamp');
  switch (eventType) {
    case 'status_update_event':
      return {
        eventType, timestamp,
        slaveId: optString(o, 'slaveId'), taskId: string(o, 'taskId'), taskStatus: string(o, 'taskStatus'),
        message: optString(o, 'message'), appId: string(o, 'appId'), host: optString(o, 'host'),
        ipAddresses: ipAddresses(o.ipAddresses), ports: ports(o.ports), version: optString(o, 'version'),
      };
    case 'health_status_changed_event': {
      if (typeof o.alive !== 'boolean') throw new Malformed('alive is not a boolean');
      // `instanceId` since 1.4; `taskId` before (go-marathon still reads that key).
      const instanceId = typeof o.instanceId === 'string' ? o.instanceId : string(o, 'taskId');
      return { eventType, timestamp, appId: string(o, 'appId'), instanceId, version: optString(o, 'version'), alive: o.alive };
    }
    case 'unhealthy_instance_kill_event':
      return {
        eventType, timestamp, appId: string(o, 'appId'), taskId: string(o, 'taskId'), instanceId: optString(o, 'instanceId'),
        version: optString(o, 'version'), reason: optString(o, 'reason'), host: optString(o, 'host'), slaveId: optString(o, 'slaveId'),
      };
    case 'app_terminated_event':
      return { eventType, timestamp, appId: string(o, 'appId') };
    case 'api_post_event':
      return { eventType, timestamp, clientIp: optString(o, 'clientIp'), uri: optString(o, 'uri'), appDefinition: o.appDefinition };
    case 'group_change_success':
      return { eventType, timestamp, groupId: optString(o, 'groupId'), version: optString(o, 'version') };
    case 'deployment_info':
    case 'deployment_step_success':
      return { eventType, timestamp, plan: plan(o.plan), currentStep: step(o.currentStep) };
    case 'deployment_success':
      return { eventType, timestamp, id: optString(o, 'id'), plan: plan(o.plan) };
    case 'deployment_failed':
      return { eventType, timestamp, id: optString(o, 'id'), plan: plan(o.plan), ...(typeof o.reason === 'string' ? { reason: o.reason } : {}) };
    default:
      return undefined;
  }
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function string(o: Json, key: string): string {
  const value = o[key];
  if (typeof value !== 'string' || value === '') throw new Malformed(`${key} is not a non-empty string`);
  return value;
}

function optString(o: Json, key: string): string {
  const value = o[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Malformed(`${key} is not a string`);
  return value;
}

function ports(value: unknown): number[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((p) => Number.isInteger(p))) throw new Malformed('ports is not an array of integers');
  return value.map(Number);
}

function ipAddresses(value: unknown): Array<{ ipAddress: string; protocol: 'IPv4' | 'IPv6' }> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Malformed('ipAddresses is not an array');
  return value.map((a: unknown) => {
    if (!isJson(a) || typeof a.ipAddress !== 'string') throw new Malformed('an ipAddresses entry has no ipAddress');
    return { ipAddress: a.ipAddress, protocol: a.protocol === 'IPv6' ? 'IPv6' : 'IPv4' };
  });
}

/** Light plans (Marathon 1.6+): only the apps each step touches matter, and only for the log. */
function plan(value: unknown): DeploymentPlanJson {
  if (!isJson(value)) return { id: '', steps: [], version: '' };
  return {
    id: optString(value, 'id'),
    steps: Array.isArray(value.steps) ? value.steps.map(step) : [],
    version: optString(value, 'version'),
  };
}

function step(value: unknown): DeploymentStepJson {
  if (!isJson(value) || !Array.isArray(value.actions)) return { actions: [] };
  return {
    actions: value.actions.flatMap((a: unknown) =>
      isJson(a) && typeof a.action === 'string' && typeof a.app === 'string' ? [{ action: a.action, app: a.app }] : []),
  };
}
