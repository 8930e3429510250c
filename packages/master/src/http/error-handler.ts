// The one place errors become HTTP responses. Mesos answers errors with a plain-text body.
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { RequestAborted } from '@tepui/protocol';
import { MasterError } from '../errors';

export function sendError(res: ServerResponse, err: unknown, log: Logger): void {
  if (res.headersSent || err instanceof RequestAborted) {
    res.destroy();
    return;
  }
  if (err instanceof MasterError) {
    const body = err.message;
    res.writeHead(err.status, {
      ...err.headers,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  log.error({ err }, 'request failed with an unexpected error');
  const body = 'Internal server error';
  res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
