// What a standby Marathon does with a request (Marathon's LeaderProxyFilter): it forwards it to the
// leader and relays the answer, body and event streams included, marking both with X-Marathon-Via
// so a request never loops between two standbys. While no leader is known it waits a little, as
// Marathon does during an election, then answers 503. /ping is always answered here.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Clock } from '@tepui/protocol';
import type { Logger } from 'pino';

export const VIA_HEADER = 'x-marathon-via';
const NO_LEADER = 'Could not determine the current leader';
/** Marathon retries 10 × 250 ms before giving up on a leader during an election. */
const LEADER_WAIT_TRIES = 10;
const LEADER_WAIT_MS = 250;
/** Headers a reverse proxy does not pass on (Marathon drops host and connection too). */
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export interface LeaderProxyDeps {
  /** host:port of the leader, when known and not this Marathon. */
  readonly leader: () => string | undefined;
  /** host:port of this Marathon. */
  readonly self: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly timeoutMs?: number;
  /**
   * Handles a request again from the top (this Marathon may lead by then). Called when the leader
   * a body-less request was forwarded to refused the connection (it has just died) once another
   * leader is known, so that a client of a standby sees the new leader's answer, not the failover.
   */
  readonly redispatch?: (req: IncomingMessage, res: ServerResponse) => void;
}

/** How long a body-less request may wait for a dead leader's successor (a session timeout or two). */
const SUCCESSOR_WAIT_TRIES = 60;

export function createLeaderProxy(deps: LeaderProxyDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const via = `1.1 ${deps.self}`;
  const sendError = (res: ServerResponse, status: number, message: string): void => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message }));
  };
  const waitForLeader = async (): Promise<string | undefined> => {
    for (let i = 0; i < LEADER_WAIT_TRIES; i++) {
      const leader = deps.leader();
      if (leader) return leader;
      await new Promise<void>((resolve) => deps.clock.setTimer(LEADER_WAIT_MS, resolve));
    }
    return deps.leader();
  };

  return (req, res) => {
    if (req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname === '/ping') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('pong');
      return;
    }
    if (viaOf(req).includes(via)) {
      deps.log.error({ path: req.url }, 'proxy loop detected; refusing the request');
      sendError(res, 502, 'Detected proxying loop.');
      return;
    }
    req.pause();
    void waitForLeader().then((leader) => {
      if (!leader) return sendError(res, 503, NO_LEADER);
      forward(req, res, leader);
    });
  };

  function forward(req: IncomingMessage, res: ServerResponse, leader: string): void {
    const [host, port] = splitHostPort(leader);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    headers[VIA_HEADER] = [...viaOf(req), via].join(', ');
    headers['x-forwarded-for'] = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(',');
    const upstream = httpRequest({ host, port, method: req.method, path: req.url, headers, timeout: deps.timeoutMs ?? 0 }, (answer) => {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      out[VIA_HEADER] = via;
      res.writeHead(answer.statusCode ?? 502, out);
      // Event streams too: flushed as they come, for as long as either side stays.
      res.flushHeaders();
      answer.pipe(res);
    });
    upstream.on('timeout', () => {
      upstream.destroy();
      sendError(res, 504, 'Connection to leader timed out.');
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      deps.log.warn({ leader, err: err.message }, 'proxying to the leader failed');
      if (deps.redispatch && !res.headersSent && isBodiless(req) && (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET')) {
        void awaitSuccessor(leader).then((found) => {
          if (found) deps.redispatch!(req, res);
          else sendError(res, 502, 'Connection to leader refused.');
        });
        return;
      }
      sendError(res, 502, err.code === 'ECONNREFUSED' ? 'Connection to leader refused.' : 'Failed to successfully establish a connection to the leader.');
    });
    res.on('close', () => upstream.destroy());
    if (req.readableEnded) upstream.end(); // forwarded again after a failover: already read
    else {
      req.pipe(upstream);
      req.resume();
    }
  }

  async function awaitSuccessor(dead: string): Promise<boolean> {
    for (let i = 0; i < SUCCESSOR_WAIT_TRIES; i++) {
      await new Promise<void>((resolve) => deps.clock.setTimer(LEADER_WAIT_MS, resolve));
      const now = deps.leader();
      if (now !== undefined && now !== dead) return true;
    }
    return false;
  }
}

/** A request whose body is empty can be sent again as it was. */
function isBodiless(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] === undefined || req.headers['content-length'] === '0');
}

/** The Marathons a request already passed through. */
function viaOf(req: IncomingMessage): string[] {
  return String(req.headers[VIA_HEADER] ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

function splitHostPort(hostPort: string): [string, number] {
  const colon = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, colon).replace(/^\[|\]$/g, ''), Number(hostPort.slice(colon + 1))];
}
