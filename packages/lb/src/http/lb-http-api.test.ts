import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { AppDefinition } from '@tepui/protocol';
import type { LbSettings } from '../model/service';
import { LbController, type HaproxyDriver } from '../sync/lb-controller';
import { createLbHttpApi } from './lb-http-api';
import { LbMetrics } from './lb-metrics';

const settings: LbSettings = {
  groups: ['*'], strictMode: false, httpPort: 18080, httpsPort: 18443, appIdPort: 19091, statsPort: 0, bindAddress: '127.0.0.1',
  sslCerts: [], adminSocket: '/tmp/admin.sock', maxconn: 0, hardStopAfterSeconds: 5, logTarget: '',
};

function app(id: string, port: number, labels: Record<string, string> = {}): AppDefinition {
  return { id, labels, portDefinitions: [{ port, protocol: 'tcp' }], healthChecks: [], networks: [{ mode: 'host' }] } as unknown as AppDefinition;
}

describe('tepui-lb HTTP endpoint', () => {
  const apps = new Map([
    ['/web', { app: app('/web', 10001), tasks: [{ id: 'web.1', appId: '/web', host: '127.0.0.2', slaveId: 'a', state: 'TASK_RUNNING', ports: [20001], servicePorts: [], ipAddresses: [], healthCheckResults: [], localVolumes: [], role: '*' }] }],
    ['/bad', { app: app('/bad', 10002, { HAPROXY_0_MODE: 'udp' }), tasks: [] }],
  ]);
  const haproxy: HaproxyDriver = { check: async () => ({ valid: true }), apply: async () => {}, runtime: async () => {} };
  const registry = new Registry();
  let now = 1_000_000;
  let base = '';
  let server: ReturnType<typeof createLbHttpApi>;
  let controller: LbController;

  before(async () => {
    let metrics: LbMetrics | undefined;
    controller = new LbController(
      { app: (id) => apps.get(id), appIds: () => apps.keys() }, haproxy, settings, { resolveAll: async () => {}, ipOf: (h) => h },
      { reloaded: (r, s) => metrics!.reloaded(r, s), runtimeApplied: (c) => metrics!.runtimeApplied(c), failed: (k) => metrics!.failed(k), propagated: (s) => metrics!.propagated(s) },
      pino({ level: 'silent' }), () => now,
    );
    metrics = new LbMetrics(registry, () => controller.status(), () => ({ connected: true, resyncs: 2, stalls: 1 }), () => now);
    server = createLbHttpApi({ controller, marathon: () => ({ connected: true, marathon: 'http://m:8080' }), haproxyPid: () => 4242, registry, now: () => now });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((r) => server.close(() => r())));

  it('answers 503 on /health until HAProxy has a configuration', async () => {
    expect((await fetch(`${base}/health`)).status).to.equal(503);
    await controller.changed('all');
    now += 2500;
    expect((await fetch(`${base}/health`)).status).to.equal(200);
  });

  it('serves the running configuration with its generation', async () => {
    const res = await fetch(`${base}/v1/config`);
    expect(res.headers.get('x-tepui-lb-generation')).to.equal('1');
    expect(await res.text()).to.include('backend web_10001').and.include('127.0.0.2:20001');
  });

  it('reports the generation, age of the last update, apps left out and the Marathon stream', async () => {
    const status = (await (await fetch(`${base}/v1/status`)).json()) as Record<string, unknown>;
    expect(status).to.include({ generation: 1, reloads: 1, runtimeUpdates: 0, lastUpdateAgeSeconds: 2.5, lastError: null, haproxyPid: 4242, backends: 1, endpoints: 1 });
    expect(status.excluded).to.have.length(1);
    expect((status.excluded as Array<{ appId: string; reason: string }>)[0]).to.include({ appId: '/bad' });
    expect(status.marathon).to.deep.equal({ connected: true, marathon: 'http://m:8080' });
  });

  it('lists each backend’s servers by slot', async () => {
    const backends = (await (await fetch(`${base}/v1/backends`)).json()) as Array<Record<string, unknown>>;
    expect(backends).to.deep.equal([{
      backend: 'web_10001', appId: '/web', portIndex: 0, servicePort: 10001, mode: 'tcp', vhosts: [], slots: 8,
      servers: [{ server: 's1', taskId: 'web.1', host: '127.0.0.2', ip: '127.0.0.2', port: 20001, draining: false }],
    }]);
  });

  it('exports reloads, runtime updates, failures, propagation and the age of the last update to Prometheus', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).to.match(/^tepui_lb_reloads_total 1$/m);
    expect(text).to.match(/^tepui_lb_runtime_updates_total 0$/m);
    expect(text).to.match(/^tepui_lb_propagation_seconds_count 1$/m);
    expect(text).to.match(/^tepui_lb_last_update_age_seconds 2\.5$/m);
    expect(text).to.match(/^tepui_lb_excluded_apps 1$/m);
    expect(text).to.match(/^tepui_lb_marathon_stream_stalls 1$/m);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    expect((await fetch(`${base}/v2/apps`)).status).to.equal(404);
    const post = await fetch(`${base}/v1/config`, { method: 'POST' });
    expect(post.status).to.equal(405);
    expect(post.headers.get('allow')).to.equal('GET, HEAD');
  });
});
