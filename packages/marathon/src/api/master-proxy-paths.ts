// The pure decisions of the UI's read-only proxy of the leading Mesos master: which paths pass
// (a fixed allow-list of the master's read-only JSON endpoints), where a redirect from a
// non-leading master points, and how one operator-API event becomes one Server-Sent Event.
import { isJsonObject, type JsonObject } from './json-object';

/** Marathon's path prefix for the proxy; the master's own path follows it. */
export const MASTER_PROXY_PREFIX = '/ui/api/mesos';
/** The operator SUBSCRIBE stream, re-sent to the browser as Server-Sent Events. */
export const MASTER_EVENTS_PATH = `${MASTER_PROXY_PREFIX}/events`;

/** The master's endpoints the proxy reads; every one is a GET that changes nothing. */
export const PROXIED_MASTER_PATHS: readonly string[] = [
  '/master/state', '/master/state-summary', '/master/roles', '/master/frameworks', '/master/slaves', '/metrics/snapshot',
];

/** Redirects from standby masters followed before giving up (each names the leader it knows). */
export const MAX_MASTER_REDIRECTS = 3;

/** The master path a proxy request names (`/ui/api/mesos/master/roles` → `/master/roles`), or undefined if not allowed. */
export function proxiedMasterPath(requestPath: string): string | undefined {
  if (!requestPath.startsWith(`${MASTER_PROXY_PREFIX}/`)) return undefined;
  const path = requestPath.slice(MASTER_PROXY_PREFIX.length).replace(/\/+$/, '');
  return PROXIED_MASTER_PATHS.includes(path) ? path : undefined;
}

/**
 * The URL a master's redirect names. Mesos sends it protocol-relative (`//leader:5050/master/state`):
 * the scheme is the one the request used.
 */
export function redirectTarget(location: string, from: string): string | undefined {
  try {
    const url = new URL(location, from);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One RecordIO record of the operator event stream as one SSE message named by the event's type;
 * undefined for a record that is not an event. SUBSCRIBED is sent without its `get_state` (the
 * whole cluster, which the page reads from /master/state anyway), so a reconnect costs little.
 */
export function operatorEventToSse(record: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record);
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed) || typeof parsed.type !== 'string' || !/^[A-Z_]+$/.test(parsed.type)) return undefined;
  let event: JsonObject = parsed;
  if (parsed.type === 'SUBSCRIBED') {
    const subscribed = isJsonObject(parsed.subscribed) ? parsed.subscribed : {};
    event = { type: 'SUBSCRIBED', subscribed: { heartbeat_interval_seconds: subscribed.heartbeat_interval_seconds } };
  }
  return `event: ${parsed.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
