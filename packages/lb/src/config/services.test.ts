import { expect } from 'chai';
import type { AppDefinition, MarathonTaskJson } from '@tepui/protocol';
import type { LbSettings } from '../model/service';
import { aliveResult, lbSettings, marathonApp, marathonTask, resolveAgent } from './config-fixtures';
import { servicesForApp } from './services';

const external = { HAPROXY_GROUP: 'external' };

function run(app: AppDefinition, tasks: MarathonTaskJson[] = [], settings: LbSettings = lbSettings()) {
  return servicesForApp(app, tasks, settings, resolveAgent);
}

/** `ip:port` of each service's endpoints (`~` marks draining), keyed by backend. */
function endpointsOf(app: AppDefinition, tasks: MarathonTaskJson[], settings?: LbSettings): Record<string, string[]> {
  return Object.fromEntries(run(app, tasks, settings).services.map((s) => [s.backend, s.endpoints.map((e) => `${e.draining ? '~' : ''}${e.ip}:${e.port}`)]));
}

describe('services of an app', () => {
  it('turns the B.4 example app into one http service with the health check repeated', () => {
    const app = marathonApp('/shop/web', {
      labels: { ...external, HAPROXY_0_VHOST: 'shop.example.org' }, portDefinitions: [{ port: 10001 }],
      healthChecks: [{ protocol: 'HTTP', path: '/healthz', portIndex: 0, intervalSeconds: 5, timeoutSeconds: 3, maxConsecutiveFailures: 2 }],
    });
    const healthy = { healthCheckResults: [aliveResult] };
    const { services, excluded } = run(app, [marathonTask('t3', 'agent-3', [31012], healthy), marathonTask('t2', 'agent-2', [31005], healthy)]);
    expect(excluded).to.deep.equal([]);
    expect(services).to.deep.equal([{
      appId: '/shop/web', portIndex: 0, servicePort: 10001, backend: 'shop_web_10001', mode: 'http', balance: 'roundrobin',
      bindAddress: '*', bindOptions: '', vhosts: ['shop.example.org'], backendWeight: 0, sticky: false, redirectToHttps: false,
      useHsts: false, healthCheck: { httpPath: '/healthz', intervalSeconds: 5, timeoutSeconds: 3, fall: 3 },
      endpoints: [
        { taskId: 't2', host: 'agent-2', ip: '10.0.2.7', port: 31005, draining: false },
        { taskId: 't3', host: 'agent-3', ip: '10.0.2.8', port: 31012, draining: false },
      ],
      plannedEndpoints: app.instances,
    }]);
  });

  describe('group filter and strict mode', () => {
    const twoPorts = (labels: Record<string, string>) => marathonApp('/a', { labels, portDefinitions: [{ port: 10001 }, { port: 10002 }] });
    const rows: Array<{ name: string; labels: Record<string, string>; settings: Partial<LbSettings>; ports: number[] }> = [
      { name: 'an app in the group', labels: external, settings: {}, ports: [10001, 10002] },
      { name: 'an app in another group', labels: { HAPROXY_GROUP: 'internal' }, settings: {}, ports: [] },
      { name: 'an app in one of its groups', labels: { HAPROXY_GROUP: 'internal,external' }, settings: {}, ports: [10001, 10002] },
      { name: 'an app without a group', labels: {}, settings: {}, ports: [] },
      { name: 'an app without a group, LB on *', labels: {}, settings: { groups: ['*'] }, ports: [10001, 10002] },
      { name: 'a per-port group', labels: { HAPROXY_GROUP: 'internal', HAPROXY_1_GROUP: 'external' }, settings: {}, ports: [10002] },
      { name: 'strict mode without ENABLED', labels: external, settings: { strictMode: true }, ports: [] },
      { name: 'strict mode, port 1 enabled', labels: { ...external, HAPROXY_1_ENABLED: 'true', HAPROXY_0_ENABLED: 'no' }, settings: { strictMode: true }, ports: [10002] },
      { name: 'ENABLED=false outside strict mode', labels: { ...external, HAPROXY_0_ENABLED: 'false' }, settings: {}, ports: [10001, 10002] },
    ];
    for (const row of rows) {
      it(row.name, () => {
        const { services, excluded } = run(twoPorts(row.labels), [], lbSettings(row.settings));
        expect(services.map((s) => s.servicePort)).to.deep.equal(row.ports);
        expect(excluded).to.deep.equal([]);
      });
    }

    it('says nothing about the bad labels of an app it does not serve', () => {
      expect(run(twoPorts({ HAPROXY_GROUP: 'internal', HAPROXY_0_AUTH: 'x', HAPROXY_DEPLOYMENT_GROUP: 'y' }))).to.deep.equal({ services: [], excluded: [] });
    });
  });

  describe('exclusions', () => {
    it('excludes only the port whose labels are wrong', () => {
      const app = marathonApp('/a', { labels: { ...external, HAPROXY_1_AUTH: 'r:u:p' }, portDefinitions: [{ port: 10001 }, { port: 10002 }] });
      const { services, excluded } = run(app);
      expect(services.map((s) => s.servicePort)).to.deep.equal([10001]);
      expect(excluded).to.deep.equal([{ appId: '/a', portIndex: 1, reason: "HAPROXY_1_AUTH is not supported by Tepui's load balancer" }]);
    });

    it('excludes the whole app for an app-level label it does not implement', () => {
      const { services, excluded } = run(marathonApp('/a', { labels: { ...external, HAPROXY_DEPLOYMENT_ALT_PORT: '10005' } }));
      expect(services).to.deep.equal([]);
      expect(excluded).to.deep.equal([{ appId: '/a', reason: "HAPROXY_DEPLOYMENT_ALT_PORT is not supported by Tepui's load balancer" }]);
    });

    const rows: Array<{ name: string; app: Partial<AppDefinition>; labels?: Record<string, string>; reason: string }> = [
      { name: 'sticky on a tcp port', app: {}, labels: { HAPROXY_0_STICKY: 'true' }, reason: 'HAPROXY_0_STICKY needs http mode (set HAPROXY_0_MODE=http)' },
      { name: 'a UDP port', app: { portDefinitions: [{ port: 10001, protocol: 'udp' }] }, reason: 'HAProxy balances TCP only; this port is UDP' },
      { name: 'no service port', app: { portDefinitions: [{ port: 0 }] }, reason: 'port index 0 has no service port (set HAPROXY_0_PORT)' },
      {
        name: 'a health check path that would break the file',
        app: { healthChecks: [{ protocol: 'HTTP', path: '/x y' }] }, labels: { HAPROXY_0_MODE: 'http' },
        reason: 'health check path "/x y" is not a plain URL path',
      },
    ];
    for (const row of rows) {
      it(`excludes ${row.name}`, () => {
        const { services, excluded } = run(marathonApp('/a', { ...row.app, labels: { ...external, ...row.labels } }));
        expect(services).to.deep.equal([]);
        expect(excluded).to.deep.equal([{ appId: '/a', portIndex: 0, reason: row.reason }]);
      });
    }
  });

  describe('tasks', () => {
    const app = marathonApp('/a', { labels: external, portDefinitions: [{ port: 10001 }, { port: 10002 }] });

    it('serves RUNNING tasks, drains KILLING ones, and leaves every other state out', () => {
      const tasks = ['TASK_RUNNING', 'TASK_KILLING', 'TASK_LOST', 'TASK_UNREACHABLE', 'TASK_STAGING', 'TASK_STARTING', 'TASK_FINISHED', 'TASK_KILLED']
        .map((state, i) => marathonTask(`t${i}`, 'agent-1', [31000 + i, 32000 + i], { state }));
      expect(endpointsOf(app, tasks)).to.deep.equal({ a_10001: ['10.0.2.6:31000', '~10.0.2.6:31001'], a_10002: ['10.0.2.6:32000', '~10.0.2.6:32001'] });
    });

    it('zips task ports with service ports by position; a task missing a port is left out of that one', () => {
      const tasks = [marathonTask('t1', 'agent-2', [31000]), marathonTask('t2', 'agent-1', [31005, 31006])];
      expect(endpointsOf(app, tasks)).to.deep.equal({ a_10001: ['10.0.2.6:31005', '10.0.2.7:31000'], a_10002: ['10.0.2.6:31006'] });
    });

    it('keeps a port with no endpoints as a service, so its frontend stays bound', () => {
      expect(endpointsOf(app, [])).to.deep.equal({ a_10001: [], a_10002: [] });
    });

    it('needs a host that resolves (an IPv4 literal is used as it is)', () => {
      const tasks = [marathonTask('t1', '', [31000]), marathonTask('t2', 'unknown-agent', [31001]), marathonTask('t3', '192.168.1.9', [31002])];
      expect(endpointsOf(app, tasks).a_10001).to.deep.equal(['192.168.1.9:31002']);
    });

    it('sorts endpoints by (host, port)', () => {
      const tasks = [marathonTask('t1', 'agent-2', [31001]), marathonTask('t2', 'agent-1', [31009]), marathonTask('t3', 'agent-1', [31002])];
      expect(endpointsOf(app, tasks).a_10001).to.deep.equal(['10.0.2.6:31002', '10.0.2.6:31009', '10.0.2.7:31001']);
    });

    it('with health checks, serves a running task only once it has results and all are alive', () => {
      const checked = { ...app, portDefinitions: [{ port: 10001 }], healthChecks: [{ protocol: 'TCP' as const }, { protocol: 'COMMAND' as const, command: { value: 'true' } }] };
      const dead = { ...aliveResult, alive: false };
      const tasks = [
        marathonTask('no-results', 'agent-1', [31000]),
        marathonTask('all-alive', 'agent-1', [31001], { healthCheckResults: [aliveResult, aliveResult] }),
        marathonTask('one-dead', 'agent-1', [31002], { healthCheckResults: [aliveResult, dead] }),
        marathonTask('killing-dead', 'agent-1', [31003], { state: 'TASK_KILLING', healthCheckResults: [dead] }),
      ];
      expect(endpointsOf(checked, tasks).a_10001).to.deep.equal(['10.0.2.6:31001', '~10.0.2.6:31003']);
    });

    it('reaches IP-per-task apps at the task IP and container port', () => {
      const ipPerTask = marathonApp('/a', {
        labels: external, networks: [{ mode: 'container', name: 'dcos' }], portDefinitions: [],
        container: { type: 'DOCKER', docker: { image: 'x' }, portMappings: [{ containerPort: 8080, servicePort: 10001 }] },
      });
      const task = marathonTask('t1', 'agent-1', [], { ipAddresses: [{ ipAddress: 'fd00::5', protocol: 'IPv6' }, { ipAddress: '9.0.0.5', protocol: 'IPv4' }] });
      expect(endpointsOf(ipPerTask, [task])).to.deep.equal({ a_10001: ['9.0.0.5:8080'] });
    });

    it('reaches bridge apps at the agent and host port, under the mapping service port', () => {
      const bridge = marathonApp('/a', {
        labels: external, networks: [{ mode: 'container/bridge' }], portDefinitions: [],
        container: { type: 'DOCKER', docker: { image: 'x' }, portMappings: [{ containerPort: 80, hostPort: 0, servicePort: 10007 }] },
      });
      expect(endpointsOf(bridge, [marathonTask('t1', 'agent-2', [31044])])).to.deep.equal({ a_10007: ['10.0.2.7:31044'] });
    });
  });

  describe('labels applied', () => {
    it('HAPROXY_{n}_PORT replaces the service port in the bind and the backend name', () => {
      const [svc] = run(marathonApp('/a', { labels: { ...external, HAPROXY_0_PORT: '10099', HAPROXY_0_BIND_ADDR: '10.1.1.1' } })).services;
      expect(svc).to.deep.include({ servicePort: 10099, backend: 'a_10099', bindAddress: '10.1.1.1' });
    });

    it('decides the mode: vhost or HTTP check → http, MODE wins, otherwise tcp', () => {
      const mode = (labels: Record<string, string>, protocol?: 'HTTP' | 'TCP' | 'MESOS_HTTP') =>
        run(marathonApp('/a', { labels: { ...external, ...labels }, healthChecks: protocol ? [{ protocol }] : [] })).services[0]?.mode;
      expect(mode({})).to.equal('tcp');
      expect(mode({ HAPROXY_0_VHOST: 'a.org' })).to.equal('http');
      expect(mode({}, 'HTTP')).to.equal('http');
      expect(mode({}, 'MESOS_HTTP')).to.equal('tcp');
      expect(mode({ HAPROXY_0_MODE: 'tcp' }, 'HTTP')).to.equal('tcp');
      expect(mode({ HAPROXY_0_MODE: 'http' })).to.equal('http');
    });

    it('matches health checks by portIndex or explicit port; HTTPS and tcp-port checks only connect', () => {
      const app = marathonApp('/a', {
        labels: { ...external, HAPROXY_1_MODE: 'http' }, portDefinitions: [{ port: 10001 }, { port: 10002 }],
        healthChecks: [{ protocol: 'HTTPS', port: 10002, path: '/s', intervalSeconds: 10 }, { protocol: 'HTTP', portIndex: 0, path: '/h' }],
      });
      const [first, second] = run(app).services;
      expect(first.healthCheck).to.deep.equal({ httpPath: '/h', intervalSeconds: 60, timeoutSeconds: 20, fall: 4 });
      expect(second.healthCheck).to.deep.equal({ intervalSeconds: 10, timeoutSeconds: 20, fall: 4, port: 10002 });
      const admin = marathonApp('/a', { labels: external, healthChecks: [{ protocol: 'TCP', port: 9990, maxConsecutiveFailures: 0 }] });
      expect(run(admin).services[0].healthCheck).to.deep.equal({ intervalSeconds: 60, timeoutSeconds: 20, fall: 1, port: 9990 });
      const other = marathonApp('/a', { labels: external, healthChecks: [{ protocol: 'TCP', portIndex: 1 }, { protocol: 'COMMAND' }] });
      expect(run(other).services[0].healthCheck).to.equal(undefined);
    });

    it('lifts a path rule of weight 0 to weight 1', () => {
      const weight = (labels: Record<string, string>) => run(marathonApp('/a', { labels: { ...external, HAPROXY_0_VHOST: 'a.org', ...labels } })).services[0].backendWeight;
      expect([weight({}), weight({ HAPROXY_0_PATH: '/api' }), weight({ HAPROXY_0_PATH: '/api', HAPROXY_0_BACKEND_WEIGHT: '5' })]).to.deep.equal([0, 1, 5]);
    });
  });
});
