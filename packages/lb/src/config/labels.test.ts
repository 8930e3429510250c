import { expect } from 'chai';
import { appLabelErrors, groupsForPort, httpOnlyLabelErrors, parsePortLabels, type PortLabels } from './labels';

function parsed(labels: Record<string, string>, n = 0): PortLabels {
  const result = parsePortLabels(labels, n);
  if (!result.ok) throw new Error(`unexpected errors: ${result.errors.join('; ')}`);
  return result.value;
}

function errorsOf(labels: Record<string, string>, n = 0): readonly string[] {
  const result = parsePortLabels(labels, n);
  return result.ok ? [] : result.errors;
}

describe('HAProxy labels', () => {
  it('reads every supported label of port n, and only port n', () => {
    const value = parsed({
      HAPROXY_1_ENABLED: 'Yes', HAPROXY_1_VHOST: ' Shop.Example.org, www.shop.example.org ,', HAPROXY_1_MODE: 'HTTP',
      HAPROXY_1_BALANCE: 'url_param  userid', HAPROXY_1_PATH: '-i /api /v2', HAPROXY_1_BACKEND_WEIGHT: '-3',
      HAPROXY_1_PORT: '10080', HAPROXY_1_BIND_ADDR: '10.0.0.1', HAPROXY_1_BIND_OPTIONS: 'accept-proxy  alpn h2',
      HAPROXY_1_SSL_CERT: '/etc/ssl/shop.pem', HAPROXY_1_STICKY: 't', HAPROXY_1_REDIRECT_TO_HTTPS: 'y',
      HAPROXY_1_USE_HSTS: 'TRUE', HAPROXY_1_HTTP_BACKEND_PROXYPASS_PATH: '/shop', HAPROXY_0_MODE: 'nonsense',
    }, 1);
    expect(value).to.deep.equal({
      enabled: true, vhosts: ['shop.example.org', 'www.shop.example.org'], mode: 'http', balance: 'url_param userid',
      path: '-i /api /v2', backendWeight: -3, port: 10080, bindAddress: '10.0.0.1', bindOptions: 'accept-proxy alpn h2',
      sslCert: '/etc/ssl/shop.pem', sticky: true, redirectToHttps: true, useHsts: true, proxyPassPath: '/shop',
    });
    expect(parsed({})).to.deep.include({ enabled: false, vhosts: [], sticky: false, mode: undefined, balance: undefined });
  });

  it('accepts the HAProxy 2.6 balance algorithms and their argument forms', () => {
    for (const balance of [
      'roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'uri whole', 'uri len 10 depth 2', 'uri path-only',
      'url_param userid', 'url_param userid check_post 64', 'hdr(host)', 'hdr(Host) use_domain_only', 'random', 'random(3)',
      'rdp-cookie', 'rdp-cookie(mstshash)',
    ]) {
      expect(parsed({ HAPROXY_0_BALANCE: balance }).balance, balance).to.equal(balance);
    }
  });

  const rows: Array<{ name: string; labels: Record<string, string>; error: string }> = [
    { name: 'an unknown balance', labels: { HAPROXY_0_BALANCE: 'fastest' }, error: 'HAPROXY_0_BALANCE: unknown balance algorithm "fastest"' },
    { name: 'a balance smuggling a keyword', labels: { HAPROXY_0_BALANCE: 'roundrobin option foo' }, error: 'HAPROXY_0_BALANCE: unknown balance algorithm "roundrobin option foo"' },
    { name: 'url_param without a name', labels: { HAPROXY_0_BALANCE: 'url_param' }, error: 'HAPROXY_0_BALANCE: unknown balance algorithm "url_param"' },
    { name: 'a mode other than tcp/http', labels: { HAPROXY_0_MODE: 'udp' }, error: 'HAPROXY_0_MODE: mode must be tcp or http, got "udp"' },
    { name: 'a port that is no integer', labels: { HAPROXY_0_PORT: '80a' }, error: 'HAPROXY_0_PORT: "80a" is not a port (an integer 1..65535)' },
    { name: 'a port out of range', labels: { HAPROXY_0_PORT: '70000' }, error: 'HAPROXY_0_PORT: "70000" is not a port (an integer 1..65535)' },
    { name: 'port 0', labels: { HAPROXY_0_PORT: '0' }, error: 'HAPROXY_0_PORT: "0" is not a port (an integer 1..65535)' },
    { name: 'a weight that is no integer', labels: { HAPROXY_0_BACKEND_WEIGHT: '1.5' }, error: 'HAPROXY_0_BACKEND_WEIGHT: "1.5" is not an integer' },
    { name: 'a boolean that is neither', labels: { HAPROXY_0_STICKY: 'ture' }, error: 'HAPROXY_0_STICKY: expected true/t/yes/y or false/f/no/n, got "ture"' },
    { name: 'a PATH without a VHOST', labels: { HAPROXY_0_PATH: '/api' }, error: 'HAPROXY_0_PATH needs HAPROXY_0_VHOST' },
    { name: 'a redirect without a VHOST', labels: { HAPROXY_0_REDIRECT_TO_HTTPS: 'true' }, error: 'HAPROXY_0_REDIRECT_TO_HTTPS needs HAPROXY_0_VHOST' },
    { name: 'a proxypass path without a VHOST', labels: { HAPROXY_0_HTTP_BACKEND_PROXYPASS_PATH: '/a' }, error: 'HAPROXY_0_HTTP_BACKEND_PROXYPASS_PATH needs HAPROXY_0_VHOST' },
    { name: 'a newline (a second config line)', labels: { HAPROXY_0_BIND_OPTIONS: 'ssl\n  server x 1.2.3.4:80' }, error: 'HAPROXY_0_BIND_OPTIONS: contains a line break or control character' },
    { name: 'a carriage return', labels: { HAPROXY_0_VHOST: 'a.org\rb' }, error: 'HAPROXY_0_VHOST: contains a line break or control character' },
    { name: 'a comment in bind options', labels: { HAPROXY_0_BIND_OPTIONS: 'ssl # x' }, error: 'HAPROXY_0_BIND_OPTIONS: "ssl # x" contains a comment, quote or backslash' },
    { name: 'whitespace in a cert file name', labels: { HAPROXY_0_SSL_CERT: '/a.pem crt /b.pem' }, error: 'HAPROXY_0_SSL_CERT: "/a.pem crt /b.pem" is not a single file name (no spaces, #, quotes or backslashes)' },
    { name: 'a # in a bind address', labels: { HAPROXY_0_BIND_ADDR: '1.2.3.4#' }, error: 'HAPROXY_0_BIND_ADDR: "1.2.3.4#" is not a bind address' },
    { name: 'a vhost that is no host name', labels: { HAPROXY_0_VHOST: 'a.org,b c.org' }, error: 'HAPROXY_0_VHOST: "b c.org" is not a host name' },
    { name: 'a path with a keyword', labels: { HAPROXY_0_VHOST: 'a.org', HAPROXY_0_PATH: '/api or hdr(x)' }, error: 'HAPROXY_0_PATH: "/api or hdr(x)" is not a path prefix list (/prefix ..., optionally led by -i)' },
    { name: 'a proxypass path with regex syntax', labels: { HAPROXY_0_VHOST: 'a.org', HAPROXY_0_HTTP_BACKEND_PROXYPASS_PATH: '/a(.*)' }, error: 'HAPROXY_0_HTTP_BACKEND_PROXYPASS_PATH: "/a(.*)" is not a plain path (/a/b)' },
    { name: 'AUTH', labels: { HAPROXY_0_AUTH: 'realm:user:pw' }, error: "HAPROXY_0_AUTH is not supported by Tepui's load balancer" },
    { name: 'REVPROXY', labels: { HAPROXY_0_HTTP_BACKEND_REVPROXY_PATH: '/' }, error: "HAPROXY_0_HTTP_BACKEND_REVPROXY_PATH is not supported by Tepui's load balancer" },
    { name: 'REDIR', labels: { HAPROXY_0_HTTP_BACKEND_REDIR: '/x' }, error: "HAPROXY_0_HTTP_BACKEND_REDIR is not supported by Tepui's load balancer" },
    { name: 'a network ACL', labels: { HAPROXY_0_BACKEND_NETWORK_ALLOWED_ACL: '10.0.0.0/8' }, error: "HAPROXY_0_BACKEND_NETWORK_ALLOWED_ACL is not supported by Tepui's load balancer" },
    { name: 'a borrowed health check', labels: { HAPROXY_0_BACKEND_HEALTHCHECK_PORT_INDEX: '1' }, error: "HAPROXY_0_BACKEND_HEALTHCHECK_PORT_INDEX is not supported by Tepui's load balancer" },
    { name: 'a template override', labels: { HAPROXY_0_FRONTEND_HEAD: 'frontend x' }, error: "HAPROXY_0_FRONTEND_HEAD is not supported by Tepui's load balancer" },
  ];
  for (const row of rows) {
    it(`refuses ${row.name}`, () => expect(errorsOf(row.labels)).to.deep.equal([row.error]));
  }

  it('reports every problem of a port at once, and none of other ports', () => {
    expect(errorsOf({ HAPROXY_0_MODE: 'udp', HAPROXY_0_AUTH: 'x', HAPROXY_1_AUTH: 'y' })).to.deep.equal([
      'HAPROXY_0_MODE: mode must be tcp or http, got "udp"', "HAPROXY_0_AUTH is not supported by Tepui's load balancer",
    ]);
  });

  it('takes the per-port group over the app group', () => {
    const labels = { HAPROXY_GROUP: 'external, internal', HAPROXY_1_GROUP: 'admin' };
    expect(groupsForPort(labels, 0)).to.deep.equal(['external', 'internal']);
    expect(groupsForPort(labels, 1)).to.deep.equal(['admin']);
    expect(groupsForPort({}, 0)).to.deep.equal([]);
  });

  it('refuses app-level labels it does not implement and labels of ports the app lacks', () => {
    expect(appLabelErrors({ HAPROXY_GROUP: 'x', HAPROXY_0_VHOST: 'a.org', OTHER: 'y' }, 1)).to.deep.equal([]);
    expect(appLabelErrors({ HAPROXY_DEPLOYMENT_GROUP: 'shop', HAPROXY_2_VHOST: 'a.org' }, 2)).to.deep.equal([
      'HAPROXY_2_VHOST names port index 2, but the app has 2 service port(s)',
      "HAPROXY_DEPLOYMENT_GROUP is not supported by Tepui's load balancer",
    ]);
  });

  it('refuses http-only labels on a tcp port, naming what made it tcp', () => {
    const sticky = parsed({ HAPROXY_0_STICKY: 'true', HAPROXY_0_BALANCE: 'uri' });
    expect(httpOnlyLabelErrors(sticky, 'http', 0)).to.deep.equal([]);
    expect(httpOnlyLabelErrors(sticky, 'tcp', 0)).to.deep.equal([
      'HAPROXY_0_STICKY needs http mode (set HAPROXY_0_MODE=http)', 'HAPROXY_0_BALANCE needs http mode (set HAPROXY_0_MODE=http)',
    ]);
    const vhostTcp = parsed({ HAPROXY_0_VHOST: 'a.org', HAPROXY_0_MODE: 'tcp' });
    expect(httpOnlyLabelErrors(vhostTcp, 'tcp', 0)).to.deep.equal(['HAPROXY_0_VHOST needs http mode (HAPROXY_0_MODE is tcp)']);
  });
});
