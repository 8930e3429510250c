import { expect } from 'chai';
import { MasterEndpoints, parseMasterUrl, resolveRedirect } from './master-endpoints';

describe('master endpoints', () => {
  const parse = [
    { text: 'http://m1:5050', expect: { hostname: 'm1', port: 5050, path: '/api/v1/scheduler', base: 'http://m1:5050' } },
    { text: 'm1:5050', expect: { hostname: 'm1', port: 5050, path: '/api/v1/scheduler', base: 'http://m1:5050' } },
    { text: 'http://m1:5050/', expect: { hostname: 'm1', port: 5050, path: '/api/v1/scheduler' } },
    { text: 'http://m1:5050/api/v1/scheduler', expect: { hostname: 'm1', port: 5050, path: '/api/v1/scheduler' } },
    { text: 'https://m1/mesos', expect: { protocol: 'https:', hostname: 'm1', port: 443, path: '/mesos/api/v1/scheduler' } },
    { text: 'http://[::1]:5050', expect: { hostname: '::1', port: 5050 } },
  ];
  for (const c of parse) {
    it(`parses ${c.text}`, () => expect(parseMasterUrl(c.text)).to.include(c.expect));
  }

  it('rejects what is not an http(s) URL', () => {
    expect(() => parseMasterUrl('zk://zk1:2181/mesos')).to.throw(/expected http/);
    expect(() => new MasterEndpoints([])).to.throw(/at least one master/);
  });

  const redirects = [
    { name: 'scheme-less Location, as Mesos sends it', location: '//m2:5050/api/v1/scheduler', expect: { protocol: 'http:', hostname: 'm2', port: 5050, path: '/api/v1/scheduler' } },
    { name: 'keeps https from the request', from: 'https://m1:5050', location: '//m2:5443/api/v1/scheduler', expect: { protocol: 'https:', hostname: 'm2', port: 5443 } },
    { name: 'absolute Location', location: 'http://m3:6060/api/v1/scheduler', expect: { hostname: 'm3', port: 6060 } },
    { name: 'path-only Location stays on the same host', location: '/api/v1/scheduler', expect: { hostname: 'm1', port: 5050 } },
  ];
  for (const c of redirects) {
    it(`redirect: ${c.name}`, () => expect(resolveRedirect(c.location, parseMasterUrl(c.from ?? 'http://m1:5050'))).to.include(c.expect));
  }

  it('follows redirects and cycles through the configured masters', () => {
    const m = new MasterEndpoints('http://m1:5050, http://m2:5050');
    expect(m.current?.hostname).to.equal('m1');
    expect(m.redirect('//leader:5050/api/v1/scheduler').hostname).to.equal('leader');
    expect(m.current?.hostname).to.equal('leader');
    expect(m.next()?.hostname).to.equal('m2');
    expect(m.next()?.hostname).to.equal('m1');
  });

  it('goes back to the one configured master after a redirect led to a master that failed', () => {
    const m = new MasterEndpoints('http://m1:5050');
    m.redirect('//gone:5050/api/v1/scheduler');
    expect(m.next()?.hostname).to.equal('m1');
  });

  it('follows the leader a detector names, with no configured master', () => {
    const m = new MasterEndpoints(undefined, true);
    expect(m.current).to.equal(undefined);
    m.detected('10.0.1.1:5050');
    expect(m.current?.base).to.equal('http://10.0.1.1:5050');
    expect(m.next()?.base, 'no list to move along').to.equal('http://10.0.1.1:5050');
    // A standby's stale redirect names a master that has gone: after the failure, back to the detected one.
    expect(m.redirect('//10.0.1.9:5050/api/v1/scheduler').base).to.equal('http://10.0.1.9:5050');
    expect(m.next()?.base).to.equal('http://10.0.1.1:5050');
    expect(() => new MasterEndpoints(undefined)).to.throw('at least one master is needed');
  });
});
