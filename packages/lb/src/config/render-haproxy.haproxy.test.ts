// The one test of this folder that runs a program: the real HAProxy 2.6 (`haproxy -c`) must accept
// what the renderer writes, without a single warning (a warning is HAProxy ignoring something).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppDefinition, MarathonTaskJson } from '@tepui/protocol';
import type { BackendLayout } from '../model/layout';
import type { LbSettings } from '../model/service';
import { aliveResult, lbSettings, marathonApp, marathonTask, resolveAgent } from './config-fixtures';
import { renderHaproxyConfig } from './render-haproxy';
import { servicesForApp } from './services';

function checkWithHaproxy(dir: string, text: string): { status: number | null; output: string } {
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, text);
  const result = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
  if (result.error) throw new Error(`haproxy could not run (is HAProxy 2.6 installed?): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A self-signed certificate and key in one PEM, as HAProxy's `crt` wants; undefined without openssl. */
function selfSignedPem(dir: string): string | undefined {
  const [key, cert, pem] = ['k.pem', 'c.pem', 'cert.pem'].map((f) => join(dir, f));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=shop.example.org', '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (made.error || made.status !== 0) return undefined;
  writeFileSync(pem, spawnSync('cat', [cert, key], { encoding: 'utf8' }).stdout);
  return pem;
}

function layoutsOf(apps: Array<[AppDefinition, MarathonTaskJson[]]>, settings: LbSettings): BackendLayout[] {
  return apps.flatMap(([app, tasks]) => {
    const { services, excluded } = servicesForApp(app, tasks, settings, resolveAgent);
    expect(excluded, app.id).to.deep.equal([]);
    // Two free slots after the endpoints, one before: every kind of server line appears.
    return services.map((service) => ({ service, slots: [undefined, ...service.endpoints, undefined, undefined] }));
  });
}

describe('haproxy.cfg accepted by HAProxy 2.6', function () {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tepui-lb-config-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a rich configuration without warnings', function () {
    const pem = selfSignedPem(dir);
    // Without openssl only the TLS parts are left out; everything else is still checked.
    if (pem === undefined) console.log('    (openssl is missing: checked without TLS certificates)');
    const settings = lbSettings({ sslCerts: pem ? [pem] : [], logTarget: 'stderr format short local0', adminSocket: join(dir, 'admin.sock') });
    const group = { HAPROXY_GROUP: 'external' };
    const healthy = { healthCheckResults: [aliveResult] };
    const apps: Array<[AppDefinition, MarathonTaskJson[]]> = [
      [marathonApp('/shop/web', {
        labels: {
          ...group, HAPROXY_0_VHOST: 'shop.example.org,www.shop.example.org', HAPROXY_0_STICKY: 'true', HAPROXY_0_USE_HSTS: 'true',
          HAPROXY_0_REDIRECT_TO_HTTPS: 'true', HAPROXY_1_VHOST: 'shop.example.org', HAPROXY_1_PATH: '-i /api /v2',
          HAPROXY_1_HTTP_BACKEND_PROXYPASS_PATH: '/api', HAPROXY_1_BALANCE: 'url_param userid check_post 64', HAPROXY_1_BACKEND_WEIGHT: '3',
        },
        portDefinitions: [{ port: 10001 }, { port: 10002 }],
        healthChecks: [{ protocol: 'HTTP', path: '/healthz?full=1', portIndex: 0, intervalSeconds: 5, timeoutSeconds: 3, maxConsecutiveFailures: 2 }],
      }), [
        marathonTask('w1', 'agent-1', [31000, 31001], healthy),
        marathonTask('w2', 'agent-2', [31000, 31001], { ...healthy, state: 'TASK_KILLING' }),
      ]],
      [marathonApp('/db/postgres', {
        labels: { ...group, HAPROXY_0_BALANCE: 'leastconn', HAPROXY_0_BIND_ADDR: '127.0.0.1' }, portDefinitions: [{ port: 5432 }],
        healthChecks: [{ protocol: 'TCP', port: 5433, intervalSeconds: 2, timeoutSeconds: 1 }],
      }), [marathonTask('p1', 'agent-3', [31432], healthy)]],
      [marathonApp('/secure', {
        labels: {
          ...group, HAPROXY_0_MODE: 'http', HAPROXY_0_BALANCE: 'hdr(host) use_domain_only', HAPROXY_0_BIND_OPTIONS: 'alpn h2,http/1.1',
          ...(pem ? { HAPROXY_0_SSL_CERT: pem } : {}),
        },
        portDefinitions: [{ port: 10443 }],
      }), [marathonTask('s1', 'agent-1', [31443])]],
      [marathonApp('/nobody/home', { labels: { ...group, HAPROXY_0_VHOST: 'empty.example.org' }, portDefinitions: [{ port: 10009 }] }), []],
      [marathonApp('/ip/per-task', {
        labels: group, networks: [{ mode: 'container', name: 'overlay' }], portDefinitions: [],
        container: { type: 'DOCKER', docker: { image: 'x' }, portMappings: [{ containerPort: 8080, servicePort: 10010 }] },
      }), [marathonTask('i1', 'agent-1', [], { ipAddresses: [{ ipAddress: '9.0.0.5', protocol: 'IPv4' }] })]],
      ...['roundrobin', 'static-rr', 'first', 'source', 'random', 'random(3)', 'rdp-cookie', 'rdp-cookie(mstshash)'].map((balance, i): [AppDefinition, MarathonTaskJson[]] => [
        marathonApp(`/balance/tcp-${i}`, { labels: { ...group, HAPROXY_0_BALANCE: balance }, portDefinitions: [{ port: 11000 + i }] }),
        [marathonTask(`b${i}`, 'agent-2', [32000 + i])],
      ]),
      ...['uri', 'uri whole', 'uri len 10 depth 2', 'uri path-only', 'url_param id', 'hdr(x-user)'].map((balance, i): [AppDefinition, MarathonTaskJson[]] => [
        marathonApp(`/balance/http-${i}`, { labels: { ...group, HAPROXY_0_MODE: 'http', HAPROXY_0_BALANCE: balance }, portDefinitions: [{ port: 12000 + i }] }),
        [marathonTask(`h${i}`, 'agent-3', [33000 + i])],
      ]),
    ];
    const { text } = renderHaproxyConfig(layoutsOf(apps, settings), settings);
    // What the file must contain for the check to mean something.
    for (const needle of ['server-template s ', 'check inter 2s fall 4 port 5433', ' weight 0', 'cookie mesosphere_server_id', 'redirect scheme https', 'replace-path', 'prometheus-exporter']) {
      expect(text).to.include(needle);
    }
    if (pem) expect(text).to.include(`bind *:10443 ssl crt ${pem} alpn h2,http/1.1`).and.include(`bind *:443 ssl crt ${pem}`);
    const { status, output } = checkWithHaproxy(dir, text);
    expect(output.split('\n').filter((l) => /WARNING|ALERT/.test(l)), text).to.deep.equal([]);
    expect(status).to.equal(0);
  });

  it("points HAProxy's own error at the app whose labels caused it", () => {
    // Bind options are free-form (HAProxy knows its keywords best), so a wrong one reaches HAProxy.
    const settings = lbSettings({ adminSocket: join(dir, 'admin.sock') });
    const apps: Array<[AppDefinition, MarathonTaskJson[]]> = [
      [marathonApp('/good', { labels: { HAPROXY_GROUP: 'external' }, portDefinitions: [{ port: 10001 }] }), []],
      [marathonApp('/broken', { labels: { HAPROXY_GROUP: 'external', HAPROXY_0_BIND_OPTIONS: 'no-such-option' }, portDefinitions: [{ port: 10002 }] }), []],
    ];
    const rendered = renderHaproxyConfig(layoutsOf(apps, settings), settings);
    const { status, output } = checkWithHaproxy(dir, rendered.text);
    expect(status).not.to.equal(0);
    const line = Number(/parsing \[[^\]]*:(\d+)\]/.exec(output)?.[1]);
    expect(rendered.owners.find((o) => line >= o.firstLine && line <= o.lastLine)?.appId, output).to.equal('/broken');
  });
});
