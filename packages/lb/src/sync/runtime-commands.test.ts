import { expect } from 'chai';
import type { Service } from '../model/service';
import { runtimeCommands } from './runtime-commands';

function service(extra: Partial<Service> = {}): Service {
  return {
    appId: '/web', portIndex: 0, servicePort: 10000, backend: 'web_10000', mode: 'http', balance: 'roundrobin', bindAddress: '*', bindOptions: '',
    vhosts: [], backendWeight: 0, sticky: false, redirectToHttps: false, useHsts: false, endpoints: [], ...extra,
  };
}

describe('runtimeCommands', () => {
  it('adds a slot as the configuration renders a free one', () => {
    expect(runtimeCommands([{ kind: 'add', backend: 'web_10000', slot: 8, service: service() }])).to.deep.equal([
      'add server web_10000/s9 127.0.0.1:1 id 9 disabled',
    ]);
  });

  it('enables the checks of an added slot whose backend has them (HAProxy leaves them off)', () => {
    const checked = service({ healthCheck: { intervalSeconds: 2, timeoutSeconds: 1, fall: 3, httpPath: '/health' } });
    expect(runtimeCommands([{ kind: 'add', backend: 'web_10000', slot: 15, service: checked }])).to.deep.equal([
      'add server web_10000/s16 127.0.0.1:1 id 16 disabled check inter 2s fall 3',
      'enable health web_10000/s16',
    ]);
  });

  it('fills, drains and frees a slot', () => {
    const endpoint = { taskId: 't1', host: 'agent-1', ip: '10.0.0.1', port: 31000, draining: false };
    expect(runtimeCommands([
      { kind: 'fill', backend: 'web_10000', slot: 0, endpoint, checked: true },
      { kind: 'drain', backend: 'web_10000', slot: 0 },
      { kind: 'free', backend: 'web_10000', slot: 0 },
    ])).to.deep.equal([
      'set server web_10000/s1 addr 10.0.0.1 port 31000', 'set server web_10000/s1 weight 1', 'set server web_10000/s1 health up',
      'set server web_10000/s1 state ready', 'set server web_10000/s1 state drain', 'set server web_10000/s1 state maint',
    ]);
  });
});
