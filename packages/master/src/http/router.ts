// Exact-path routing for the master's endpoints. Every master endpoint answers under both
// `/<path>` and `/master/<path>` (libprocess process id `master`), as Mesos does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { NotFound } from '../errors';
import { sendError } from './error-handler';

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly log: Logger;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

export class Router {
  private readonly routes = new Map<string, Handler>();
  private requestSeq = 0;

  constructor(private readonly log: Logger) {}

  /** Registers `path` and its `/master` alias. */
  master(path: string, handler: Handler): this {
    this.routes.set(path, handler);
    this.routes.set(`/master${path}`, handler);
    return this;
  }

  route(path: string, handler: Handler): this {
    this.routes.set(path, handler);
    return this;
  }

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const log = this.log.child({ reqId: ++this.requestSeq });
    const handler = this.routes.get(url.pathname.replace(/\/+$/, '') || '/');
    const ctx: RequestContext = { req, res, url, log };
    if (!handler) {
      req.resume();
      sendError(res, new NotFound(''), log);
      return;
    }
    try {
      const done = handler(ctx);
      if (done) done.catch((err: unknown) => sendError(res, err, log));
    } catch (err) {
      sendError(res, err, log);
    }
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, jsonp?: string | null): void {
  const json = JSON.stringify(body);
  const text = jsonp ? `${jsonp}(${json});` : json;
  res.writeHead(status, {
    'Content-Type': jsonp ? 'text/javascript' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}
