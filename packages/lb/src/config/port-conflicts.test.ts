import { expect } from 'chai';
import { lbSettings, service } from './config-fixtures';
import { excludePortConflicts } from './port-conflicts';

describe('port conflicts between services', () => {
  const settings = lbSettings({ sslCerts: ['/c.pem'] });

  it('keeps the first claim by (appId, portIndex) whatever the order, and names the holder', () => {
    const a = service('/a', 10000);
    const b = service('/b', 10000);
    const c = service('/c', 10001);
    for (const input of [[a, b, c], [c, b, a]]) {
      const { services, excluded } = excludePortConflicts(input, settings);
      expect(services.map((s) => s.appId)).to.deep.equal(['/a', '/c']);
      expect(excluded).to.deep.equal([{ appId: '/b', portIndex: 0, reason: 'port 10000 is already bound by /a (port index 0)' }]);
    }
  });

  it("never gives away the LB's own ports", () => {
    const { excluded } = excludePortConflicts([service('/a', 80), service('/b', 443), service('/c', 9090), service('/d', 9091)], settings);
    expect(excluded.map((e) => e.reason)).to.deep.equal([
      'port 80 is already bound by the HTTP vhost frontend', 'port 443 is already bound by the HTTPS vhost frontend',
      'port 9090 is already bound by the stats page', 'port 9091 is already bound by the app-id frontend',
    ]);
    expect(excludePortConflicts([service('/b', 443)], lbSettings({ sslCerts: [] })).excluded).to.deep.equal([]);
  });

  it('lets two specific addresses share a port', () => {
    const { services } = excludePortConflicts([service('/a', 10000, { bindAddress: '10.0.0.1' }), service('/b', 10000, { bindAddress: '10.0.0.2' })], settings);
    expect(services).to.have.length(2);
    expect(excludePortConflicts([service('/a', 10000, { bindAddress: '10.0.0.1' }), service('/b', 10000)], settings).services).to.have.length(1);
  });
});
