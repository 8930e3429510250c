// Requests from Marathon to the leading Mesos master (and to agents) on behalf of the web UI.
// Marathon knows the leader: it is the master its scheduler driver is subscribed to. Should that
// master have lost the lead meanwhile, its 307 names the new leader, which is followed.
import type { Clock } from '@tepui/protocol';
import { AgentUnreachable, MasterUnavailable, UpstreamRefused } from '../errors';
import { MAX_MASTER_REDIRECTS, redirectTarget } from './master-proxy-paths';

export interface MasterUpstream {
  /** `http://host:port` of the leading master as Marathon's driver knows it; undefined when none is. */
  readonly leadingMaster: () => string | undefined;
  /** How long a read may take before the UI is told the master is not available. */
  readonly timeoutMs: number;
  /** For how long what was read stays good (where a task's sandbox is). */
  readonly clock: Pick<Clock, 'now'>;
}

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 10_000;

/** The master's answer to a request, redirects followed; throws MasterUnavailable when it cannot be reached. */
export async function requestLeadingMaster(upstream: MasterUpstream, path: string, init: RequestInit = {}): Promise<Response> {
  const leader = upstream.leadingMaster();
  if (leader === undefined) throw new MasterUnavailable('Marathon is not subscribed to any master');
  let url = new URL(path, leader).toString();
  for (let hop = 0; ; hop++) {
    let res: Response;
    try {
      res = await fetch(url, { ...init, redirect: 'manual', signal: init.signal ?? AbortSignal.timeout(upstream.timeoutMs) });
    } catch (err) {
      throw new MasterUnavailable(`${url} did not answer (${err instanceof Error ? err.message : String(err)})`);
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || location === null) return res;
    await res.body?.cancel();
    const next = redirectTarget(location, url);
    if (next === undefined || hop >= MAX_MASTER_REDIRECTS) throw new MasterUnavailable(`${url} redirected to '${location}', which was not followed`);
    url = next;
  }
}

/** The master's JSON body of a GET (as bytes, passed on unparsed), or a typed error. */
export async function readLeadingMaster(upstream: MasterUpstream, path: string): Promise<{ body: Buffer; contentType: string }> {
  const res = await requestLeadingMaster(upstream, path, { headers: { Accept: 'application/json' } });
  const body = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new UpstreamRefused(`The Mesos master (${path})`, res.status, body.subarray(0, 300).toString('utf8').trim());
  return { body, contentType: res.headers.get('content-type') ?? 'application/json' };
}

/** A GET of an agent's endpoint; the body as bytes (the files API writes raw bytes into its JSON). */
export async function readAgent(agentBase: string, path: string, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
  let res: Response;
  try {
    res = await fetch(new URL(path, agentBase), { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new AgentUnreachable(agentBase, err instanceof Error ? err.message : String(err));
  }
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}
