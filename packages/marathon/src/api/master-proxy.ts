// The web UI's read-only window on the leading Mesos master, so the browser never needs to reach
// the master (no CORS, no redirects to a leader it cannot resolve):
//   GET /ui/api/mesos/<path> for the allow-list in master-proxy-paths.ts, passed through as is;
//   GET /ui/api/mesos/events: the operator API's SUBSCRIBE stream as Server-Sent Events.
// Nothing else under /ui/api/mesos passes: other paths are 404, other methods 405, so no operator
// call that changes the cluster can be sent through Marathon.
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { RecordIODecoder } from '@tepui/protocol';
import { MethodNotAllowed, UnknownRoute, UpstreamRefused } from '../errors';
import { MASTER_EVENTS_PATH, MASTER_PROXY_PREFIX, operatorEventToSse, proxiedMasterPath } from './master-proxy-paths';
import { readLeadingMaster, requestLeadingMaster, type MasterUpstream } from './master-upstream';

const isRead = (req: Request): boolean => req.method === 'GET' || req.method === 'HEAD';

export function masterProxyRoutes(upstream: MasterUpstream, log: Logger): Router {
  const router = Router();
  router.all(MASTER_EVENTS_PATH, async (req, res) => {
    if (!isRead(req)) throw new MethodNotAllowed(req.method, req.path);
    await streamOperatorEvents(upstream, res, log);
  });
  router.all(`${MASTER_PROXY_PREFIX}/*path`, async (req, res) => {
    const path = proxiedMasterPath(req.path);
    if (path === undefined) throw new UnknownRoute(req.path);
    if (!isRead(req)) throw new MethodNotAllowed(req.method, req.path);
    const { body, contentType } = await readLeadingMaster(upstream, path);
    res.status(200).type(contentType).send(body);
  });
  return router;
}

/**
 * Subscribes to the leader's operator API and re-sends each event as it comes. When either side
 * goes away the other is closed: the page's EventSource reconnects and reads everything again.
 */
async function streamOperatorEvents(upstream: MasterUpstream, res: Response, log: Logger): Promise<void> {
  const abort = new AbortController();
  const connectTimer = setTimeout(() => abort.abort(new Error('no answer to SUBSCRIBE')), upstream.timeoutMs);
  res.on('close', () => abort.abort(new Error('the browser went away')));
  const master = await requestLeadingMaster(upstream, '/api/v1', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ type: 'SUBSCRIBE' }),
    signal: abort.signal,
  }).finally(() => clearTimeout(connectTimer));
  if (!master.ok || master.body === null) {
    const text = master.ok ? '' : (await master.text()).slice(0, 300).trim();
    throw new UpstreamRefused('The Mesos master (operator SUBSCRIBE)', master.status, text);
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-store', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  res.write(': subscribed to the leading Mesos master\n\n');
  const decoder = new RecordIODecoder();
  try {
    for await (const chunk of master.body) {
      for (const record of decoder.push(Buffer.from(chunk))) {
        const message = operatorEventToSse(record.toString('utf8'));
        if (message !== undefined) res.write(message);
      }
    }
  } catch (err) {
    if (!abort.signal.aborted) log.info({ err: err instanceof Error ? err.message : String(err) }, 'operator event stream from the master ended');
  } finally {
    abort.abort();
    res.end();
  }
}
