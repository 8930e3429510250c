// The health-check runners: one attempt each, bounded by the check's timeout. Thin I/O.
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HealthCheck } from '@tepui/protocol';

export interface CheckContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

function commandCheck(check: HealthCheck, ctx: CheckContext): Promise<boolean> {
  const command = check.command;
  return new Promise((resolve) => {
    const shell = command?.shell !== false;
    const child = shell
      ? spawn('/bin/sh', ['-c', command?.value ?? 'true'], { cwd: ctx.cwd, env: ctx.env, stdio: 'ignore', detached: true })
      : spawn(command?.value ?? 'true', (command?.arguments ?? []).slice(1), { cwd: ctx.cwd, env: ctx.env, stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already exited
      }
      resolve(false);
    }, ctx.timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

function httpCheck(check: HealthCheck, ctx: CheckContext): Promise<boolean> {
  const http = check.http!;
  const scheme = http.scheme ?? 'http';
  const request = scheme === 'https' ? httpsRequest : httpRequest;
  const path = http.path ?? '/';
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: http.port, path: path.startsWith('/') ? path : `/${path}`, method: 'GET', timeout: ctx.timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(http.statuses?.length ? http.statuses.includes(status) : status >= 200 && status < 400);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function tcpCheck(check: HealthCheck, ctx: CheckContext): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: check.tcp!.port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ctx.timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function runHealthCheck(check: HealthCheck, ctx: CheckContext): Promise<boolean> {
  const type = check.type ?? (check.http ? 'HTTP' : check.tcp ? 'TCP' : 'COMMAND');
  if (type === 'HTTP' && check.http) return httpCheck(check, ctx);
  if (type === 'TCP' && check.tcp) return tcpCheck(check, ctx);
  return commandCheck(check, ctx);
}
