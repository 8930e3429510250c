// The health-check runners: one attempt each, bounded by the check's timeout. Thin I/O.
// As Mesos' checkers do (src/checks/checker_process.cpp): COMMAND runs a shell command and is
// healthy on exit 0; HTTP(S) GETs the task's port and is healthy on a status in [200, 399];
// TCP is healthy when a connection opens. HTTP and TCP go to the loopback of the task's network,
// which for a process task is the host's.
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { CommandInfo, HealthCheck } from '@tepui/protocol';

export interface CommandCheckContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

export type HealthCheckTarget =
  | { readonly kind: 'COMMAND'; readonly command: CommandInfo }
  | { readonly kind: 'HTTP'; readonly http: NonNullable<HealthCheck['http']> }
  | { readonly kind: 'TCP'; readonly tcp: NonNullable<HealthCheck['tcp']> };

/** What a check runs, or undefined for a check that names nothing runnable. */
export function healthCheckTarget(check: HealthCheck): HealthCheckTarget | undefined {
  const type = check.type ?? (check.http ? 'HTTP' : check.tcp ? 'TCP' : check.command ? 'COMMAND' : undefined);
  if (type === 'COMMAND' && check.command?.value) return { kind: 'COMMAND', command: check.command };
  if (type === 'HTTP' && check.http) return { kind: 'HTTP', http: check.http };
  if (type === 'TCP' && check.tcp) return { kind: 'TCP', tcp: check.tcp };
  return undefined;
}

/** Mesos checks IPv6 targets at ::1, IPv4 ones at 127.0.0.1. */
export function loopbackFor(protocol: string | undefined): string {
  return protocol === 'IPv6' ? '::1' : '127.0.0.1';
}

export function commandCheck(command: CommandInfo, ctx: CommandCheckContext): Promise<boolean> {
  return new Promise((resolve) => {
    const child = command.shell !== false
      ? spawn('/bin/sh', ['-c', command.value ?? 'true'], { cwd: ctx.cwd, env: ctx.env, stdio: 'ignore', detached: true })
      : spawn(command.value ?? 'true', (command.arguments ?? []).slice(1), { cwd: ctx.cwd, env: ctx.env, stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the check's process group has already exited
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

export function httpCheck(http: NonNullable<HealthCheck['http']>, host: string, timeoutMs: number): Promise<boolean> {
  const request = http.scheme === 'https' ? httpsRequest : httpRequest;
  const path = http.path ?? '/';
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      req.destroy();
      resolve(false);
    }, timeoutMs);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
    };
    // Mesos runs curl with -k: the certificate is not what is checked.
    const req = request({ host, port: http.port, path: path.startsWith('/') ? path : `/${path}`, method: 'GET', rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      finish(http.statuses?.length ? http.statuses.includes(status) : status >= 200 && status < 400);
    });
    req.on('error', () => finish(false));
    req.end();
  });
}

export function tcpCheck(tcp: NonNullable<HealthCheck['tcp']>, host: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: tcp.port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** One attempt of a process task's check: its network is the host's. */
export function runHealthCheck(target: HealthCheckTarget, ctx: CommandCheckContext): Promise<boolean> {
  switch (target.kind) {
    case 'COMMAND':
      return commandCheck(target.command, ctx);
    case 'HTTP':
      return httpCheck(target.http, loopbackFor(target.http.protocol), ctx.timeoutMs);
    case 'TCP':
      return tcpCheck(target.tcp, loopbackFor(target.tcp.protocol), ctx.timeoutMs);
  }
}
