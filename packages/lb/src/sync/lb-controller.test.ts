import { expect } from 'chai';
import pino from 'pino';
import type { AppDefinition, MarathonTaskJson } from '@tepui/protocol';
import type { LbSettings } from '../model/service';
import { LbController, type AppWithTasks, type ConfigCheck, type HaproxyDriver, type SyncObserver } from './lb-controller';

const settings: LbSettings = {
  groups: ['external'], strictMode: false, httpPort: 18080, httpsPort: 18443, appIdPort: 19091, statsPort: 0, bindAddress: '127.0.0.1',
  sslCerts: [], adminSocket: '/tmp/admin.sock', maxconn: 1000, hardStopAfterSeconds: 5, logTarget: '',
};

function app(id: string, servicePort: number, labels: Record<string, string> = {}): AppDefinition {
  return {
    id, cmd: 'x', instances: 1, cpus: 0.1, mem: 16, disk: 0, gpus: 0, executor: '', constraints: [], fetch: [], backoffSeconds: 1, backoffFactor: 1.15,
    maxLaunchDelaySeconds: 300, healthChecks: [], readinessChecks: [], dependencies: [], upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
    labels: { HAPROXY_GROUP: 'external', ...labels }, networks: [{ mode: 'host' }], portDefinitions: [{ port: servicePort, protocol: 'tcp' }], requirePorts: false,
    killSelection: 'YOUNGEST_FIRST', unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
  } as AppDefinition;
}

function task(appId: string, id: string, port: number, state = 'TASK_RUNNING'): MarathonTaskJson {
  return {
    id, appId, host: '127.0.0.2', slaveId: 'a1', state, ports: [port], servicePorts: [], ipAddresses: [], healthCheckResults: [], localVolumes: [], role: '*',
  };
}

class FakeSource {
  readonly apps = new Map<string, AppWithTasks>();
  app(id: string) {
    return this.apps.get(id);
  }
  appIds() {
    return this.apps.keys();
  }
  set(a: AppDefinition, tasks: MarathonTaskJson[]) {
    this.apps.set(a.id, { app: a, tasks });
  }
}

class FakeHaproxy implements HaproxyDriver {
  applied: string[] = [];
  commands: string[][] = [];
  refuseLineContaining: string | undefined;
  failRuntime = false;
  checks = 0;
  async check(text: string): Promise<ConfigCheck> {
    this.checks++;
    if (this.refuseLineContaining === undefined) return { valid: true };
    const line = text.split('\n').findIndex((l) => l.includes(this.refuseLineContaining!));
    return line < 0 ? { valid: true } : { valid: false, problems: [{ line: line + 1, message: `bad line ${line + 1}` }] };
  }
  async apply(text: string) {
    this.applied.push(text);
  }
  async runtime(commands: readonly string[]) {
    if (this.failRuntime) throw new Error('No such server.');
    this.commands.push([...commands]);
  }
}

const observer: SyncObserver = { reloaded() {}, runtimeApplied() {}, failed() {}, propagated() {} };
const hosts = { resolveAll: async () => {}, ipOf: (h: string) => h };

function setup() {
  const source = new FakeSource();
  const haproxy = new FakeHaproxy();
  const controller = new LbController(source, haproxy, settings, hosts, observer, pino({ level: 'silent' }));
  return { source, haproxy, controller };
}

describe('LbController', () => {
  it('starts HAProxy with the first configuration, then changes membership through the Runtime API only', async () => {
    const { source, haproxy, controller } = setup();
    source.set(app('/web', 10001), [task('/web', 'web.1', 20001)]);
    await controller.changed('all');
    expect(haproxy.applied).to.have.length(1);
    expect(haproxy.applied[0]).to.include('backend web_10001').and.include('127.0.0.2:20001');

    source.set(app('/web', 10001), [task('/web', 'web.1', 20001), task('/web', 'web.2', 20002)]);
    await controller.changed(['/web']);
    expect(haproxy.applied).to.have.length(1);
    expect(haproxy.commands).to.deep.equal([[
      'set server web_10001/s2 addr 127.0.0.2 port 20002', 'set server web_10001/s2 weight 1', 'set server web_10001/s2 state ready',
    ]]);
    source.set(app('/web', 10001), [task('/web', 'web.1', 20001, 'TASK_KILLING'), task('/web', 'web.2', 20002)]);
    await controller.changed(['/web']);
    expect(haproxy.commands[1]).to.deep.equal(['set server web_10001/s1 state drain']);
    expect(controller.status()).to.include({ reloads: 1, runtimeUpdates: 2, generation: 3, endpoints: 2 });
    expect(controller.currentConfig()).to.include('127.0.0.2:20002');
  });

  it('starts HAProxy on the first news from Marathon, even of no apps', async () => {
    const { haproxy, controller } = setup();
    await controller.changed([]);
    expect(haproxy.applied).to.have.length(1);
    expect(haproxy.applied[0]).to.include('frontend marathon_http_in');
  });

  it('gives a backend that outgrows its slots more through the Runtime API (add server), without a reload', async () => {
    const { source, haproxy, controller } = setup();
    source.set(app('/web', 10001), [task('/web', 'web.0', 20001)]);
    await controller.changed('all');
    source.set(app('/web', 10001), Array.from({ length: 9 }, (_, i) => task('/web', `web.${i}`, 20001 + i)));
    await controller.changed(['/web']);
    expect(haproxy.applied).to.have.length(1);
    const batch = haproxy.commands[0]!;
    const added = batch.filter((c) => c.startsWith('add server'));
    // 8 slots held 1 task; 9 arrived unannounced: a scale-up under way, room for 4× (64 slots).
    expect(added).to.have.length(56);
    expect(added[0]).to.equal('add server web_10001/s9 127.0.0.1:1 id 9 disabled');
    expect(added[55]).to.equal('add server web_10001/s64 127.0.0.1:1 id 64 disabled');
    expect(batch.indexOf('set server web_10001/s9 addr 127.0.0.2 port 20009')).to.be.greaterThan(batch.indexOf(added[55]!));
    expect(controller.layouts()[0]!.slots).to.have.length(64);
    expect(controller.currentConfig()).to.include('server-template s 10-64 127.0.0.1:1 disabled');
    expect(controller.status()).to.include({ reloads: 1, runtimeUpdates: 1, endpoints: 9 });
  });

  it('reloads without a separate haproxy -c when a backend HAProxy cannot add servers to outgrows its slots', async () => {
    const { source, haproxy, controller } = setup();
    // `balance source` hashes over a static map: HAProxy refuses `add server` there.
    const hashed = { HAPROXY_0_BALANCE: 'source' };
    source.set(app('/web', 10001, hashed), [task('/web', 'web.0', 20001)]);
    await controller.changed('all');
    expect(haproxy.checks).to.equal(1);
    source.set(app('/web', 10001, hashed), Array.from({ length: 9 }, (_, i) => task('/web', `web.${i}`, 20001 + i)));
    await controller.changed(['/web']);
    expect(haproxy.applied).to.have.length(2);
    expect(haproxy.commands).to.deep.equal([]);
    expect(haproxy.checks).to.equal(1);
    source.set(app('/web', 10001, { HAPROXY_0_BALANCE: 'leastconn' }), []);
    await controller.changed(['/web']);
    expect(haproxy.checks).to.equal(2);
  });

  it('reloads for a new service port', async () => {
    const { source, haproxy, controller } = setup();
    source.set(app('/web', 10001), []);
    await controller.changed('all');
    source.set(app('/api', 10002), []);
    await controller.changed(['/api']);
    expect(haproxy.applied).to.have.length(2);
    expect(haproxy.applied[1]).to.include('backend api_10002');
  });

  it('leaves out an app with a bad label, with the reason, and serves the others', async () => {
    const { source, haproxy, controller } = setup();
    source.set(app('/web', 10001), []);
    source.set(app('/bad', 10002, { HAPROXY_0_BALANCE: 'fastest' }), []);
    await controller.changed('all');
    expect(haproxy.applied[0]).to.include('backend web_10001').and.not.include('bad_10002');
    expect(controller.status().excluded.map((e) => e.appId)).to.deep.equal(['/bad']);
    expect(controller.status().excluded[0]!.reason).to.include('HAPROXY_0_BALANCE');
  });

  it('leaves out the app whose lines HAProxy’s check refuses, and retries it when it changes', async () => {
    const { source, haproxy, controller } = setup();
    source.set(app('/web', 10001), []);
    source.set(app('/odd', 10002), []);
    haproxy.refuseLineContaining = 'odd_10002';
    await controller.changed('all');
    expect(haproxy.applied[0]).to.include('web_10001').and.not.include('odd_10002');
    expect(controller.status().excluded).to.have.length(1);
    expect(controller.status().excluded[0]).to.include({ appId: '/odd' });
    haproxy.refuseLineContaining = undefined;
    await controller.changed(['/odd']);
    expect(haproxy.applied[1]).to.include('odd_10002');
    expect(controller.status().excluded).to.deep.equal([]);
  });

  it('keeps the running configuration and reports the error when HAProxy refuses a line of no app', async () => {
    const { source, haproxy, controller } = setup();
    source.set(app('/web', 10001), []);
    await controller.changed('all');
    haproxy.refuseLineContaining = 'global';
    source.set(app('/api', 10002), []);
    await controller.changed(['/api']);
    expect(haproxy.applied).to.have.length(1);
    expect(controller.status().lastError?.message).to.include('HAProxy refused the configuration');
  });

  it('falls back to a reload when a runtime command fails', async () => {
    const { source, haproxy, controller } = setup();
    source.set(app('/web', 10001), []);
    await controller.changed('all');
    haproxy.failRuntime = true;
    source.set(app('/web', 10001), [task('/web', 'web.1', 20001)]);
    await controller.changed(['/web']);
    expect(controller.status().lastError?.message).to.equal('No such server.');
    haproxy.failRuntime = false;
    await controller.changed(['/web']);
    expect(haproxy.applied).to.have.length(2);
    expect(haproxy.applied[1]).to.include('127.0.0.2:20001');
  });

  it('collapses changes that arrive during a sync into one more', async () => {
    const { source, haproxy, controller } = setup();
    source.set(app('/web', 10001), []);
    const first = controller.changed('all');
    source.set(app('/web', 10001), [task('/web', 'web.1', 20001)]);
    void controller.changed(['/web']);
    source.set(app('/web', 10001), [task('/web', 'web.1', 20001), task('/web', 'web.2', 20002)]);
    await Promise.all([first, controller.changed(['/web'])]);
    expect(haproxy.applied.length + haproxy.commands.length).to.be.at.most(2);
    expect(controller.status().endpoints).to.equal(2);
  });

  it('drops an app that is gone from Marathon', async () => {
    const { source, haproxy, controller } = setup();
    source.set(app('/web', 10001), []);
    await controller.changed('all');
    source.apps.delete('/web');
    await controller.changed(['/web']);
    expect(haproxy.applied[1]).to.not.include('web_10001');
  });
});
