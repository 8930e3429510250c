import { expect } from 'chai';
import { parseLbOptions } from './lb-options';

describe('tepui-lb command line', () => {
  it('takes marathon-lb flags, several Marathons and groups', () => {
    const o = parseLbOptions(['--marathon', 'http://a:8080', '--marathon', 'http://b:8080,http://c:8080', '--group', 'external', '--sse', '--health-check', '--haproxy-dir', '/tmp/lb']);
    expect(o.marathon).to.deep.equal(['http://a:8080', 'http://b:8080', 'http://c:8080']);
    expect(o.settings.groups).to.deep.equal(['external']);
    expect(o.settings).to.include({ httpPort: 80, httpsPort: 443, appIdPort: 9091, statsPort: 9090, bindAddress: '*', adminSocket: '/tmp/lb/admin.sock' });
    expect(o.apiPort).to.equal(9095);
  });

  it('sets the shared frontends’ ports and bind address', () => {
    const o = parseLbOptions(['--marathon=http://m:8080', '--group=*', '--http-port=18080', '--stats-port=0', '--bind-address=127.0.0.1', '--ssl-certs=/a.pem,/b.pem']);
    expect(o.settings).to.include({ httpPort: 18080, statsPort: 0, bindAddress: '127.0.0.1' });
    expect(o.settings.sslCerts).to.deep.equal(['/a.pem', '/b.pem']);
    expect(parseLbOptions(['--marathon=http://m:8080', '--group=*', '--nbthread=1']).settings.nbthread).to.equal(1);
  });

  for (const [argv, message] of [
    [['--group=x'], '--marathon'],
    [['--marathon=http://m'], '--group'],
    [['--marathon=ftp://m', '--group=x'], '--marathon'],
    [['--marathon=http://m', '--group=x', '--http-port=70000'], '--http-port'],
    [['--marathon=http://m', '--group=x', '--bind-address=a b'], '--bind-address'],
    [['--marathon=http://m', '--group=x', '--resync-seconds=-1'], '--resync-seconds'],
    [['--marathon=http://m', '--group=x', '--nbthread=1.5'], '--nbthread'],
    [['--marathon=http://m', '--group=x', '--dont-bind-http-https'], 'dont-bind-http-https'],
  ] as const) {
    it(`refuses ${argv.join(' ')} naming ${message}`, () => {
      expect(() => parseLbOptions(argv)).to.throw(message);
    });
  }
});
