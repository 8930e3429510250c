// Growing a backend without a reload, against the real HAProxy 2.6: `add server` must work for
// exactly the backends `slotsGrowAtRuntime` names (every other one is grown by a reload instead),
// and a slot added so serves once filled, like a slot the configuration rendered.
import { expect } from 'chai';
import { renderHaproxyConfig } from '../config';
import { lbSettings, service } from '../config/config-fixtures';
import { slotsGrowAtRuntime } from '../config/render-backend';
import { HaproxyProcess } from '../haproxy/haproxy-process';
import { RuntimeApi } from '../haproxy/runtime-api';
import { startHttpBackend, type HttpBackend } from '../haproxy/test-support/http-backend';
import { httpGet } from '../haproxy/test-support/http-client';
import { freePorts, makeScratchDir, removeScratchDir } from '../haproxy/test-support/loopback';
import type { BackendLayout } from '../model/layout';
import type { Service } from '../model/service';
import { runtimeCommands } from './runtime-commands';

const SLOTS = 4;

describe('slot growth through the Runtime API, against a real HAProxy', () => {
  let dir: string | undefined;
  let haproxy: HaproxyProcess | undefined;
  let web: HttpBackend | undefined;
  afterEach(async () => {
    await haproxy?.stop();
    await web?.close();
    if (dir) await removeScratchDir(dir);
    haproxy = undefined;
    web = undefined;
    dir = undefined;
  });

  it('adds servers to backends with a dynamic balance algorithm only, and an added slot serves once filled', async () => {
    dir = await makeScratchDir();
    const [httpPort, httpsPort, statsPort, appIdPort, ...servicePorts] = await freePorts(4 + 13);
    const check = { intervalSeconds: 1, timeoutSeconds: 1, fall: 2, httpPath: '/' };
    const variants: Array<Partial<Service>> = [
      { balance: 'roundrobin' }, { balance: 'leastconn' }, { balance: 'first' }, { balance: 'random' }, { balance: 'random(3)' },
      { balance: 'roundrobin', mode: 'http', healthCheck: check },
      { balance: 'static-rr' }, { balance: 'source' }, { balance: 'rdp-cookie' },
      { balance: 'uri', mode: 'http' }, { balance: 'url_param id', mode: 'http' }, { balance: 'hdr(x-user)', mode: 'http' },
      { balance: 'roundrobin', mode: 'http', sticky: true },
    ];
    const services = variants.map((fields, i) => service(`/grow/v${i}`, servicePorts[i]!, { bindAddress: '127.0.0.1', ...fields }));
    const layouts: BackendLayout[] = services.map((s) => ({ service: s, slots: Array<undefined>(SLOTS).fill(undefined) }));
    const adminSocket = `${dir}/admin.sock`;
    const settings = lbSettings({ httpPort, httpsPort, statsPort, appIdPort, bindAddress: '127.0.0.1', adminSocket, hardStopAfterSeconds: 5, maxconn: 1000 });
    haproxy = new HaproxyProcess({ dir });
    await haproxy.start(renderHaproxyConfig(layouts, settings).text);
    const api = new RuntimeApi({ socketPath: adminSocket });

    const outcome = new Map<string, boolean>();
    for (const s of services) {
      const answers = await api.run(runtimeCommands([{ kind: 'add', backend: s.backend, slot: SLOTS, service: s }]));
      outcome.set(s.balance + (s.sticky ? ' sticky' : '') + (s.healthCheck ? ' checked' : ''), answers.every((a) => !a.failed));
    }
    const expected = new Map(services.map((s) => [s.balance + (s.sticky ? ' sticky' : '') + (s.healthCheck ? ' checked' : ''), slotsGrowAtRuntime(s)]));
    expect(outcome).to.deep.equal(expected);
    // Both kinds are present, or the comparison above proves little.
    expect(new Set(expected.values())).to.deep.equal(new Set([true, false]));

    // The added fifth slot of the checked backend, filled as a task joining would be: it serves.
    const checked = services[5]!;
    web = await startHttpBackend('added-slot');
    const endpoint = { taskId: 't5', host: '127.0.0.1', ip: '127.0.0.1', port: web.port, draining: false };
    await api.execute(runtimeCommands([{ kind: 'fill', backend: checked.backend, slot: SLOTS, endpoint, checked: true }]));
    const answer = await httpGet(checked.servicePort);
    expect(answer.body).to.equal('added-slot');
    const row = (await api.showServersState(checked.backend)).find((r) => r.server === `s${SLOTS + 1}`);
    expect(row).to.include({ port: web.port, operationalState: 'running', inMaintenance: false });
  });
});
