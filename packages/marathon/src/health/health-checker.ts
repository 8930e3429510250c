// Runs one Marathon-side health check attempt (HTTP, HTTPS, TCP) against an instance. Thin I/O.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { AppHealthCheck } from '@tepui/protocol';
import type { CheckOutcome } from './health-state';

export interface CheckTarget {
  readonly host: string;
  readonly port: number;
}

export function runMarathonCheck(check: AppHealthCheck, target: CheckTarget, timeoutMs: number): Promise<CheckOutcome> {
  const protocol = check.protocol ?? 'HTTP';
  if (protocol === 'TCP') return tcp(target, timeoutMs);
  return http(check, target, timeoutMs, protocol === 'HTTPS');
}

function http(check: AppHealthCheck, target: CheckTarget, timeoutMs: number, tls: boolean): Promise<CheckOutcome> {
  const request = tls ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      { host: target.host, port: target.port, path: check.path ?? '/', method: 'GET', timeout: timeoutMs, rejectUnauthorized: false },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        if (status >= 100 && status < 200 && check.ignoreHttp1xx) resolve({ ignored: true });
        else if (status >= 200 && status < 400) resolve({ ok: true });
        else resolve({ ok: false, cause: `${status} ${res.statusMessage ?? ''}`.trim() });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`Timed out after ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ ok: false, cause: err.message }));
    req.end();
  });
}

function tcp(target: CheckTarget, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    const done = (outcome: CheckOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, cause: `Timed out after ${timeoutMs} ms` }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (err) => done({ ok: false, cause: err.message }));
  });
}
