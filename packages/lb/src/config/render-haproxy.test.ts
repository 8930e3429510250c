import { expect } from 'chai';
import fc from 'fast-check';
import type { BackendLayout } from '../model/layout';
import { aliveResult, endpoint, layout, lbSettings, marathonApp, marathonTask, resolveAgent, service } from './config-fixtures';
import { renderHaproxyConfig } from './render-haproxy';
import { servicesForApp } from './services';

/** The lines of one section, from its header up to the next blank line. */
function sectionOf(text: string, header: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no section "${header}" in:\n${text}`);
  const end = lines.indexOf('', start);
  return lines.slice(start, end < 0 ? undefined : end).map((l) => l.trim());
}

const settings = lbSettings({ sslCerts: ['/etc/ssl/cert.pem'] });

describe('haproxy.cfg rendering', () => {
  it('renders the B.4 example (marathon-lb), its servers as slots', () => {
    const app = marathonApp('/shop/web', {
      labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'shop.example.org' }, portDefinitions: [{ port: 10001 }],
      healthChecks: [{ protocol: 'HTTP', path: '/healthz', intervalSeconds: 5, timeoutSeconds: 3, maxConsecutiveFailures: 2 }],
    });
    const healthy = { healthCheckResults: [aliveResult] };
    const tasks = [marathonTask('t2', 'agent-2', [31005], healthy), marathonTask('t3', 'agent-3', [31012], healthy)];
    const [svc] = servicesForApp(app, tasks, settings, resolveAgent).services;
    const { text } = renderHaproxyConfig([layout(svc)], settings);
    expect(sectionOf(text, 'frontend marathon_http_in')).to.deep.equal([
      'frontend marathon_http_in', 'bind *:80', 'mode http',
      'acl host_shop_example_org_shop_web hdr(host) -i shop.example.org',
      'use_backend shop_web_10001 if host_shop_example_org_shop_web',
    ]);
    expect(sectionOf(text, 'frontend marathon_http_appid_in')).to.deep.equal([
      'frontend marathon_http_appid_in', 'bind *:9091', 'mode http',
      'acl app__shop_web hdr(x-marathon-app-id) -i /shop/web', 'use_backend shop_web_10001 if app__shop_web',
    ]);
    expect(sectionOf(text, 'frontend marathon_https_in')).to.deep.equal([
      'frontend marathon_https_in', 'bind *:443 ssl crt /etc/ssl/cert.pem', 'mode http',
      'use_backend shop_web_10001 if { ssl_fc_sni shop.example.org }',
    ]);
    expect(sectionOf(text, 'frontend shop_web_10001')).to.deep.equal(['frontend shop_web_10001', 'bind *:10001', 'mode http', 'use_backend shop_web_10001']);
    expect(sectionOf(text, 'backend shop_web_10001')).to.deep.equal([
      'backend shop_web_10001', 'balance roundrobin', 'mode http', 'option forwardfor',
      'http-request set-header X-Forwarded-Port %[dst_port]', 'http-request add-header X-Forwarded-Proto https if { ssl_fc }',
      'option httpchk GET /healthz', 'timeout check 3s',
      'server s1 10.0.2.7:31005 id 1 check inter 5s fall 3', 'server s2 10.0.2.8:31012 id 2 check inter 5s fall 3',
    ]);
  });

  it('writes the head: global without master-worker, defaults, stats with Prometheus', () => {
    const { text } = renderHaproxyConfig([], lbSettings({ logTarget: 'stderr format short local0', hardStopAfterSeconds: 120 }));
    expect(sectionOf(text, 'global')).to.deep.equal([
      'global', 'maxconn 50000', 'hard-stop-after 120s', 'stats socket /var/run/haproxy/admin.sock mode 600 level admin expose-fd listeners',
      'log stderr format short local0', 'spread-checks 5',
    ]);
    expect(sectionOf(text, 'defaults')).to.include.members(['log global', 'retries 3', 'option redispatch 1', 'timeout tunnel 3600s']);
    expect(sectionOf(text, 'listen stats')).to.include('http-request use-service prometheus-exporter if { path /metrics }');
    expect(text).not.to.include('master-worker');
    expect(text).not.to.include('load-server-state-from-file');
  });

  it('always writes the shared http and app-id frontends, the https one only with certificates, stats only with a port', () => {
    const { text } = renderHaproxyConfig([], lbSettings({ statsPort: 0, bindAddress: '10.0.0.1' }));
    expect(sectionOf(text, 'frontend marathon_http_in')).to.deep.equal(['frontend marathon_http_in', 'bind 10.0.0.1:80', 'mode http']);
    expect(sectionOf(text, 'frontend marathon_http_appid_in')).to.have.length(3);
    expect(text).not.to.include('marathon_https_in');
    expect(text).not.to.include('listen stats');
  });

  it('renders free slots: runs as one server-template, a lone one with its id, sticky ones each with a cookie', () => {
    const plain = service('/a', 10001, { endpoints: [endpoint('t1', '10.0.0.1', 31000), endpoint('t2', '10.0.0.2', 31000, true)] });
    const slots: BackendLayout = { service: plain, slots: [undefined, plain.endpoints[0], undefined, undefined, undefined, plain.endpoints[1]] };
    expect(sectionOf(renderHaproxyConfig([slots], settings).text, 'backend a_10001').slice(3)).to.deep.equal([
      'server s1 127.0.0.1:1 id 1 disabled', 'server s2 10.0.0.1:31000 id 2', 'server-template s 3-5 127.0.0.1:1 disabled',
      'server s6 10.0.0.2:31000 id 6 weight 0',
    ]);
    const sticky = { ...plain, mode: 'http' as const, sticky: true, healthCheck: { intervalSeconds: 2, timeoutSeconds: 1, fall: 2, port: 9000 } };
    const lines = sectionOf(renderHaproxyConfig([layout(sticky, 2)], settings).text, 'backend a_10001');
    expect(lines).to.include('cookie mesosphere_server_id insert indirect nocache');
    expect(lines.filter((l) => l.startsWith('server')).map((l) => l.replace(/cookie [0-9a-f]{10}/, 'cookie C'))).to.deep.equal([
      'server s1 10.0.0.1:31000 id 1 check inter 2s fall 2 port 9000 cookie C',
      'server s2 10.0.0.2:31000 id 2 check inter 2s fall 2 port 9000 cookie C weight 0',
      'server s3 127.0.0.1:1 id 3 disabled check inter 2s fall 2 port 9000 cookie C',
      'server s4 127.0.0.1:1 id 4 disabled check inter 2s fall 2 port 9000 cookie C',
    ]);
    const cookies = lines.map((l) => /cookie ([0-9a-f]{10})/.exec(l)?.[1]).filter((c) => c !== undefined);
    expect(new Set(cookies).size).to.equal(4);
  });

  it('renders HSTS, proxypass and per-port TLS with HAProxy 2.6 directives', () => {
    const svc = service('/a', 10001, {
      mode: 'http', vhosts: ['a.org'], useHsts: true, proxyPassPath: '/v1.2/', sslCert: '/etc/ssl/a.pem', bindOptions: 'alpn h2', bindAddress: '::',
    });
    const { text } = renderHaproxyConfig([layout(svc)], settings);
    expect(sectionOf(text, 'frontend a_10001')).to.include('bind :::10001 ssl crt /etc/ssl/a.pem alpn h2');
    expect(sectionOf(text, 'backend a_10001')).to.include.members([
      'http-response set-header Strict-Transport-Security max-age=15768000',
      'http-request set-header Host a.org', "http-request replace-path '^/v1\\.2/?(.*)' '/\\1'",
    ]);
  });

  it('orders vhost rules by weight then name, redirects first; keeps the ACLs of two ports apart', () => {
    const services = [
      service('/z', 10001, { mode: 'http', vhosts: ['z.org'] }),
      service('/b', 10002, { mode: 'http', vhosts: ['b.org', 'www.b.org'], redirectToHttps: true }),
      service('/c', 10003, { mode: 'http', vhosts: ['c.org'], path: '-i /api', backendWeight: 1 }),
      service('/c', 10004, { portIndex: 1, mode: 'http', vhosts: ['c.org'] }),
    ];
    expect(sectionOf(renderHaproxyConfig(services.map((s) => layout(s)), settings).text, 'frontend marathon_http_in').slice(3)).to.deep.equal([
      'acl host_b_org_b hdr(host) -i b.org', 'acl host_b_org_b hdr(host) -i www.b.org',
      'redirect scheme https code 301 if !{ ssl_fc } host_b_org_b',
      'acl host_c_org_c_10003 hdr(host) -i c.org', 'acl path_c_10003 path_beg -i /api', 'use_backend c_10003 if host_c_org_c_10003 path_c_10003',
      'acl host_c_org_c_10004 hdr(host) -i c.org', 'use_backend c_10004 if host_c_org_c_10004',
      'acl host_z_org_z hdr(host) -i z.org', 'use_backend z_10001 if host_z_org_z',
    ]);
  });

  it('is the same text whatever the order of the layouts', () => {
    const layouts = [
      layout(service('/a', 10001, { mode: 'http', vhosts: ['a.org'], endpoints: [endpoint('t', '10.0.0.1', 1)] }), 1),
      layout(service('/a', 10002, { mode: 'http', vhosts: ['a.org'] })),
      layout(service('/b/c', 10003, { vhosts: [] }), 3),
      layout(service('/b', 10004, { mode: 'http', vhosts: ['b.org'], backendWeight: 2 })),
    ];
    const expected = renderHaproxyConfig(layouts, settings).text;
    fc.assert(fc.property(fc.shuffledSubarray(layouts, { minLength: layouts.length }), (shuffled) => {
      expect(renderHaproxyConfig(shuffled, settings).text).to.equal(expected);
    }));
  });

  it('maps every line an app contributed back to that app', () => {
    const layouts = [
      layout(service('/shop/web', 10001, { mode: 'http', vhosts: ['shop.org'], endpoints: [endpoint('t', '10.0.0.1', 31000)] })),
      layout(service('/db', 5432), 2),
    ];
    const { text, owners } = renderHaproxyConfig(layouts, settings);
    const lines = text.split('\n');
    const ownerOf = (needle: string): string | undefined => {
      const line = lines.findIndex((l) => l.includes(needle)) + 1;
      return owners.find((o) => line >= o.firstLine && line <= o.lastLine)?.appId;
    };
    expect(ownerOf('bind *:10001')).to.equal('/shop/web');
    expect(ownerOf('server s1 10.0.0.1:31000')).to.equal('/shop/web');
    expect(ownerOf('acl host_shop_org_shop_web')).to.equal('/shop/web');
    expect(ownerOf('use_backend shop_web_10001 if { ssl_fc_sni shop.org }')).to.equal('/shop/web');
    expect(ownerOf('acl app__shop_web')).to.equal('/shop/web');
    expect(ownerOf('bind *:5432')).to.equal('/db');
    expect(ownerOf('server-template s 1-2')).to.equal('/db');
    expect(ownerOf('bind *:80')).to.equal(undefined);
    expect(ownerOf('frontend marathon_https_in')).to.equal(undefined);
    for (const owner of owners) {
      const owned = lines.slice(owner.firstLine - 1, owner.lastLine);
      expect(owned[0], 'no range starts with a blank line').not.to.equal('');
      const other = owner.appId === '/db' ? 'shop_web' : 'db_5432';
      expect(owned.join('\n')).not.to.include(other);
    }
    expect(owners.every((o, i) => i === 0 || owners[i - 1].lastLine < o.firstLine), 'ranges do not overlap').to.equal(true);
  });
});
