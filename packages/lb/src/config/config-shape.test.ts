import { expect } from 'chai';
import type { BackendLayout } from '../model/layout';
import type { Service } from '../model/service';
import { endpoint, service } from './config-fixtures';
import { configShapeKey } from './config-shape';

const base = service('/a', 10001, { mode: 'http', vhosts: ['a.org'], healthCheck: { httpPath: '/h', intervalSeconds: 5, timeoutSeconds: 3, fall: 3 } });
const e1 = endpoint('t1', '10.0.0.1', 31000);
const e2 = endpoint('t2', '10.0.0.2', 31000);
const key = (svc: Service, slots: BackendLayout['slots']): string => configShapeKey({ service: svc, slots });

describe('config shape key', () => {
  const reference = key({ ...base, endpoints: [e1] }, [e1, undefined]);

  it('ignores which endpoints fill which slots, and their draining (Runtime API changes)', () => {
    expect(key({ ...base, endpoints: [e2, e1] }, [e2, e1])).to.equal(reference);
    expect(key({ ...base, endpoints: [] }, [undefined, undefined])).to.equal(reference);
    expect(key({ ...base, endpoints: [{ ...e1, draining: true }] }, [undefined, { ...e1, draining: true }])).to.equal(reference);
  });

  it('does not depend on the order the fields were written in', () => {
    const { vhosts, appId, ...rest } = base;
    expect(key({ ...rest, vhosts, appId, endpoints: [e1] }, [e1, undefined])).to.equal(reference);
  });

  const changes: Array<[string, Partial<Service>]> = [
    ['the mode', { mode: 'tcp' }], ['the balance', { balance: 'leastconn' }], ['the service port', { servicePort: 10002 }],
    ['the vhosts', { vhosts: ['a.org', 'b.org'] }], ['the path', { path: '/api' }], ['the weight', { backendWeight: 2 }],
    ['stickiness', { sticky: true }], ['the bind options', { bindOptions: 'accept-proxy' }], ['the certificate', { sslCert: '/c.pem' }],
    ['the health check', { healthCheck: { httpPath: '/h', intervalSeconds: 6, timeoutSeconds: 3, fall: 3 } }],
    ['no health check', { healthCheck: undefined }],
  ];
  for (const [name, change] of changes) {
    it(`changes with ${name}`, () => expect(key({ ...base, ...change, endpoints: [e1] }, [e1, undefined])).not.to.equal(reference));
  }

  it('changes with the number of slots', () => {
    expect(key({ ...base, endpoints: [e1] }, [e1])).not.to.equal(reference);
    expect(key({ ...base, endpoints: [e1] }, [e1, undefined, undefined])).not.to.equal(reference);
  });
});
