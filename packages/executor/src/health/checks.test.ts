// The check runners against real local sockets: HTTP(S) statuses, TCP connects, timeouts,
// closed ports, IPv6, and COMMAND exit codes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { healthCheckTarget, runHealthCheck, type HealthCheckTarget } from './checks';

function listen(server: Server | ReturnType<typeof createTcpServer>, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise((r) => server.close(r));
  return port;
}

const ctx = { cwd: tmpdir(), env: process.env, timeoutMs: 1000 };
const target = (check: Parameters<typeof healthCheckTarget>[0]): HealthCheckTarget => {
  const t = healthCheckTarget(check);
  if (!t) throw new Error('no target');
  return t;
};

describe('health check runners (real sockets)', function () {
  this.timeout(10_000);
  let status = 200;
  let http: Server;
  let httpPort: number;
  let silent: Server;
  let silentPort: number;

  before(async () => {
    http = createHttpServer((req, res) => res.writeHead(req.url === '/health' ? status : 404).end());
    httpPort = await listen(http);
    silent = createHttpServer(() => undefined); // accepts, never answers
    silentPort = await listen(silent);
  });
  after(() => {
    http.close();
    silent.closeAllConnections();
    silent.close();
  });

  const httpRows: Array<{ status: number; healthy: boolean }> = [
    { status: 200, healthy: true }, { status: 204, healthy: true }, { status: 302, healthy: true }, { status: 399, healthy: true },
    { status: 400, healthy: false }, { status: 404, healthy: false }, { status: 503, healthy: false },
  ];
  for (const row of httpRows) {
    it(`HTTP: status ${row.status} is ${row.healthy ? 'healthy' : 'unhealthy'}`, async () => {
      status = row.status;
      expect(await runHealthCheck(target({ type: 'HTTP', http: { port: httpPort, path: '/health' } }), ctx)).to.equal(row.healthy);
    });
  }

  it('HTTP: a path without a leading slash, and a refused connection', async () => {
    status = 200;
    expect(await runHealthCheck(target({ type: 'HTTP', http: { port: httpPort, path: 'health' } }), ctx)).to.equal(true);
    expect(await runHealthCheck(target({ type: 'HTTP', http: { port: await closedPort(), path: '/health' } }), ctx)).to.equal(false);
  });

  it('HTTP: a server that never answers fails within the timeout', async () => {
    const started = Date.now();
    expect(await runHealthCheck(target({ type: 'HTTP', http: { port: silentPort } }), { ...ctx, timeoutMs: 300 })).to.equal(false);
    expect(Date.now() - started).to.be.within(250, 3000);
  });

  it('HTTPS: checked without verifying the certificate, as Mesos (curl -k) does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tepui-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const https = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_q, res) => res.writeHead(200).end());
      const port = await listen(https);
      try {
        expect(await runHealthCheck(target({ type: 'HTTP', http: { scheme: 'https', port } }), ctx)).to.equal(true);
      } finally {
        https.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('HTTP over IPv6 goes to ::1', async () => {
    const v6 = createHttpServer((_q, res) => res.writeHead(200).end());
    const port = await listen(v6, '::1');
    try {
      expect(await runHealthCheck(target({ type: 'HTTP', http: { port, protocol: 'IPv6' } }), ctx)).to.equal(true);
      expect(await runHealthCheck(target({ type: 'HTTP', http: { port, protocol: 'IPv4' } }), ctx)).to.equal(false);
    } finally {
      v6.close();
    }
  });

  it('TCP: healthy when the port accepts a connection, unhealthy when refused', async () => {
    expect(await runHealthCheck(target({ type: 'TCP', tcp: { port: httpPort } }), ctx)).to.equal(true);
    expect(await runHealthCheck(target({ type: 'TCP', tcp: { port: await closedPort() } }), ctx)).to.equal(false);
  });

  it('COMMAND: healthy on exit 0, in the given directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tepui-check-'));
    try {
      execFileSync('touch', [join(dir, 'ready')]);
      expect(await runHealthCheck(target({ type: 'COMMAND', command: { value: 'test -f ready' } }), { ...ctx, cwd: dir })).to.equal(true);
      expect(await runHealthCheck(target({ type: 'COMMAND', command: { value: 'test -f missing' } }), { ...ctx, cwd: dir })).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a check that names nothing to run has no target', () => {
    expect(healthCheckTarget({ type: 'HTTP' })).to.equal(undefined);
    expect(healthCheckTarget({ type: 'COMMAND', command: { value: '' } })).to.equal(undefined);
    expect(healthCheckTarget({ tcp: { port: 1 } })).to.deep.equal({ kind: 'TCP', tcp: { port: 1 } });
  });
});
