import { expect } from 'chai';
import type { LbSettings, Service } from '../model/service';
import { DesiredServices } from './desired-services';

const settings = { httpPort: 80, httpsPort: 443, appIdPort: 9091, statsPort: 9090, bindAddress: '*', sslCerts: [] } as unknown as LbSettings;

function service(appId: string, port: number, endpoints = 0): Service {
  return {
    appId, portIndex: 0, servicePort: port, backend: `${appId.slice(1)}_${port}`, mode: 'tcp', balance: 'roundrobin', bindAddress: '*', bindOptions: '',
    vhosts: [], backendWeight: 0, sticky: false, redirectToHttps: false, useHsts: false,
    endpoints: Array.from({ length: endpoints }, (_, i) => ({ taskId: `t${i}`, host: 'h', ip: '10.0.0.1', port: 20000 + i, draining: false })),
  };
}

describe('DesiredServices', () => {
  it('lists every app’s services by backend name, the second claim of a port left out with the holder named', () => {
    const desired = new DesiredServices(settings);
    desired.set('/web', { services: [service('/web', 10001)], excluded: [] });
    desired.set('/api', { services: [service('/api', 10000)], excluded: [] });
    desired.set('/zz', { services: [service('/zz', 10001)], excluded: [] });
    desired.set('/stats', { services: [service('/stats', 9090)], excluded: [] });
    expect(desired.services().map((s) => s.backend)).to.deep.equal(['api_10000', 'web_10001']);
    expect(desired.excluded().map((e) => [e.appId, e.reason])).to.deep.equal([
      ['/stats', 'port 9090 is already bound by the stats page'],
      ['/zz', 'port 10001 is already bound by /web (port index 0)'],
    ]);
  });

  it('patches a membership change in place, and re-claims ports when one moves', () => {
    const desired = new DesiredServices(settings);
    desired.set('/web', { services: [service('/web', 10001)], excluded: [] });
    desired.set('/api', { services: [service('/api', 10000)], excluded: [] });
    const before = desired.services();
    const grown = service('/web', 10001, 3);
    desired.set('/web', { services: [grown], excluded: [] });
    expect(desired.services()).to.equal(before);
    expect(desired.services()[1]).to.equal(grown);
    desired.set('/web', { services: [service('/web', 10005)], excluded: [] });
    expect(desired.services().map((s) => s.backend)).to.deep.equal(['api_10000', 'web_10005']);
  });

  it('leaves out a refused app until it changes, and drops an app that is gone', () => {
    const desired = new DesiredServices(settings);
    desired.set('/web', { services: [service('/web', 10001)], excluded: [] });
    desired.set('/api', { services: [service('/api', 10000)], excluded: [] });
    desired.refuse('/web', 'HAProxy refused its configuration: bad');
    expect(desired.services().map((s) => s.appId)).to.deep.equal(['/api']);
    expect(desired.excluded()).to.deep.equal([{ appId: '/web', reason: 'HAProxy refused its configuration: bad' }]);
    desired.set('/web', { services: [service('/web', 10001, 1)], excluded: [] });
    expect(desired.services().map((s) => s.appId)).to.deep.equal(['/api', '/web']);
    desired.set('/api', undefined);
    expect(desired.services().map((s) => s.appId)).to.deep.equal(['/web']);
    expect([...desired.appIds()]).to.deep.equal(['/web']);
  });
});
