import { expect } from 'chai';
import type { AppDefinition, TaskInfo } from '@tepui/protocol';
import { buildTaskInfo, newLaunchTaskId, taskNameOf } from './task-builder';
import { javaDoubleString, portsEnv } from './task-environment';
import { app, scalar } from './test-fixtures';

const opts = { taskId: 'shop_web.instance-u1._app.1', agentId: 'S1', hostname: 'a1.example', frameworkRole: 'marathon' };
const build = (a: AppDefinition, hostPorts: Array<number | undefined> = [31000]): TaskInfo =>
  buildTaskInfo(a, { resources: [scalar('cpus', 1), scalar('mem', 128)], hostPorts }, opts);
const envOf = (t: TaskInfo): Record<string, string | undefined> =>
  Object.fromEntries((t.command ?? t.executor?.command)!.environment!.variables!.map((v) => [v.name, v.value]));

describe('task builder', () => {
  it('names the task after the reversed app id and forms Marathon task ids', () => {
    expect(taskNameOf('/shop/web')).to.equal('web.shop');
    expect(newLaunchTaskId('/shop/web', 'u1')).to.equal('shop_web.instance-u1._app.1');
    const t = build(app());
    expect(t).to.deep.include({ name: 'web.shop', task_id: { value: opts.taskId }, agent_id: { value: 'S1' } });
    expect(t.resources!.every((r) => r.allocation_info?.role === 'marathon')).to.equal(true);
  });

  it('cmd runs through the shell; args run as argv', () => {
    expect(build(app({ cmd: 'echo hi' })).command).to.deep.include({ shell: true, value: 'echo hi' });
    const argv = build(app({ cmd: undefined, args: ['/bin/server', '--port', '80'] })).command;
    expect(argv).to.deep.include({ shell: false, value: '/bin/server', arguments: ['/bin/server', '--port', '80'] });
    const docker = build(app({ cmd: undefined, args: ['--x'], container: { type: 'DOCKER', docker: { image: 'img' } } })).command!;
    expect(docker.value).to.equal(undefined);
    expect(docker.arguments).to.deep.equal(['--x']);
  });

  describe('environment', () => {
    it('has the task context, resources in Java number format, ports and HOST', () => {
      const env = envOf(build(app({ cpus: 0.5, mem: 128, disk: 0 })));
      expect(env).to.deep.include({
        MESOS_TASK_ID: opts.taskId, MARATHON_APP_ID: '/shop/web', MARATHON_APP_VERSION: '2024-05-01T10:00:00.000Z',
        MARATHON_APP_RESOURCE_CPUS: '0.5', MARATHON_APP_RESOURCE_MEM: '128.0', MARATHON_APP_RESOURCE_DISK: '0.0', MARATHON_APP_RESOURCE_GPUS: '0',
        HOST: 'a1.example', PORT0: '31000', PORT: '31000', PORTS: '31000', PORT_31000: '31000', PORT_DEFAULT: '31000',
        MARATHON_APP_LABELS: '',
      });
      expect(env).to.not.have.property('MARATHON_APP_DOCKER_IMAGE');
    });

    it('PORT_<n> uses the declared port, PORT_<NAME> the host port', () => {
      const a = app({ portDefinitions: [{ port: 10000, name: 'http' }, { port: 0, name: 'admin' }] });
      const env = envOf(build(a, [31001, 31002]));
      expect(env).to.deep.include({ PORT0: '31001', PORT1: '31002', PORT_10000: '31001', PORT_31002: '31002', PORT_HTTP: '31001', PORT_ADMIN: '31002', PORT: '31001', PORTS: '31001,31002' });
    });

    it('no ports → no PORT variables', () => {
      const env = envOf(build(app({ portDefinitions: [] }), []));
      expect(Object.keys(env).filter((k) => k.startsWith('PORT'))).to.deep.equal([]);
    });

    it('container-only mappings export their container port', () => {
      expect(Object.fromEntries(portsEnv([8080, 0], [undefined, 31000], ['web', undefined], () => 0))).to.deep.include({
        PORT0: '8080', PORT1: '31000', PORT_8080: '8080', PORT_31000: '31000', PORTS: '31000',
      });
      const generated = Object.fromEntries(portsEnv([0], [undefined], [undefined], () => 0));
      expect(generated).to.deep.include({ PORT0: '1025', PORT_1025: '1025', PORT: '1025', PORTS: '1025' });
    });

    it('labels become MARATHON_APP_LABEL_<KEY>, escaped and upper-cased', () => {
      const env = envOf(build(app({ labels: { 'HAPROXY_GROUP': 'external', 'my.label-x': 'v', big: 'x'.repeat(600) } })));
      expect(env).to.deep.include({ MARATHON_APP_LABELS: 'HAPROXY_GROUP MY_LABEL_X', MARATHON_APP_LABEL_HAPROXY_GROUP: 'external', MARATHON_APP_LABEL_MY_LABEL_X: 'v' });
      expect(env).to.not.have.property('MARATHON_APP_LABEL_BIG');
    });

    it('app env wins over Marathon variables; secrets are references', () => {
      const a = app({ env: { PORT0: 'mine', FOO: 'bar', DB: { secret: 'db' } }, secrets: { db: { source: '/prod/db' } } });
      const vars = build(a).command!.environment!.variables!;
      expect(vars.filter((v) => v.name === 'PORT0')).to.deep.equal([{ name: 'PORT0', type: 'VALUE', value: 'mine' }]);
      expect(vars.find((v) => v.name === 'FOO')?.value).to.equal('bar');
      expect(vars.find((v) => v.name === 'DB')).to.deep.equal({ name: 'DB', type: 'SECRET', secret: { type: 'REFERENCE', reference: { name: '/prod/db' } } });
    });

    it('docker image is exported', () => {
      expect(envOf(build(app({ container: { type: 'DOCKER', docker: { image: 'nginx:1' } } }))).MARATHON_APP_DOCKER_IMAGE).to.equal('nginx:1');
    });

    it('formats doubles as Java does', () => {
      expect([1, 0.25, 128, 0, 1e7, 0.0001].map(javaDoubleString)).to.deep.equal(['1.0', '0.25', '128.0', '0.0', '1.0E7', '1.0E-4']);
    });
  });

  it('labels, discovery with named ports per protocol, kill policy', () => {
    const a = app({ labels: { team: 'shop' }, taskKillGracePeriodSeconds: 30, portDefinitions: [{ port: 0, name: 'dns', protocol: 'udp,tcp', labels: { VIP_0: '1.2.3.4:53' } }] });
    const t = build(a);
    expect(t.labels).to.deep.equal({ labels: [{ key: 'team', value: 'shop' }] });
    expect(t.kill_policy).to.deep.equal({ grace_period: { nanoseconds: 30e9 } });
    expect(t.discovery).to.deep.equal({
      visibility: 'FRAMEWORK', name: 'web.shop',
      ports: { ports: ['udp', 'tcp'].map((protocol) => ({ number: 31000, protocol, name: 'dns', labels: { labels: [{ key: 'VIP_0', value: '1.2.3.4:53' }] } })) },
    });
  });

  describe('health checks', () => {
    it('translates MESOS_HTTP with defaults and the host port', () => {
      const t = build(app({ healthChecks: [{ protocol: 'HTTP' }, { protocol: 'MESOS_HTTP', path: '/health', portIndex: 0 }] }));
      expect(t.health_check).to.deep.equal({
        type: 'HTTP', http: { scheme: 'http', port: 31000, path: '/health', protocol: 'IPv4' },
        delay_seconds: 15, interval_seconds: 60, timeout_seconds: 20, consecutive_failures: 3, grace_period_seconds: 300,
      });
    });

    it('translates COMMAND and MESOS_TCP; Marathon-side checks are not sent', () => {
      expect(build(app({ healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' }, intervalSeconds: 5 }] })).health_check)
        .to.deep.include({ type: 'COMMAND', command: { shell: true, value: 'true' }, interval_seconds: 5 });
      expect(build(app({ healthChecks: [{ protocol: 'MESOS_TCP', port: 8080 }] })).health_check).to.deep.include({ type: 'TCP', tcp: { port: 8080, protocol: 'IPv4' } });
      // The executor probes the IPv6 loopback when asked to (Mesos TCPCheckInfo.protocol).
      expect(build(app({ healthChecks: [{ protocol: 'MESOS_TCP', port: 8080, ipProtocol: 'IPv6' }] })).health_check).to.deep.include({ type: 'TCP', tcp: { port: 8080, protocol: 'IPv6' } });
      expect(build(app({ healthChecks: [{ protocol: 'TCP' }] })).health_check).to.equal(undefined);
    });

    it('prefers the container port of a mapping', () => {
      const a = app({
        networks: [{ mode: 'container/bridge' }], portDefinitions: [],
        container: { type: 'DOCKER', docker: { image: 'nginx' }, portMappings: [{ containerPort: 80, hostPort: 0 }] },
        healthChecks: [{ protocol: 'MESOS_HTTPS' }],
      });
      expect(build(a).health_check!.http).to.deep.include({ scheme: 'https', port: 80 });
    });
  });

  describe('containers', () => {
    it('DOCKER bridge: port mappings with assigned host ports, containerPort 0 = host port', () => {
      const a = app({
        networks: [{ mode: 'container/bridge' }], portDefinitions: [],
        container: {
          type: 'DOCKER', docker: { image: 'nginx', privileged: false, parameters: [{ key: 'label', value: 'x' }] },
          volumes: [{ containerPath: '/data', hostPath: '/srv', mode: 'RO' }],
          portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }, { containerPort: 0, hostPort: 0, protocol: 'udp,tcp' }],
        },
      });
      const t = build(a, [31000, 31001]);
      expect(t.container).to.deep.equal({
        type: 'DOCKER', volumes: [{ container_path: '/data', host_path: '/srv', mode: 'RO' }],
        docker: {
          image: 'nginx', network: 'BRIDGE', privileged: false, force_pull_image: false, parameters: [{ key: 'label', value: 'x' }],
          port_mappings: [
            { host_port: 31000, container_port: 80, protocol: 'tcp' },
            { host_port: 31001, container_port: 31001, protocol: 'udp' },
            { host_port: 31001, container_port: 31001, protocol: 'tcp' },
          ],
        },
      });
      expect(t.command).to.deep.include({ shell: true, value: 'sleep 1000' });
    });

    it('MESOS with a Docker image on a CNI network', () => {
      const a = app({
        networks: [{ mode: 'container', name: 'dcos' }], portDefinitions: [],
        container: { type: 'MESOS', docker: { image: 'redis', forcePullImage: true }, portMappings: [{ containerPort: 6379, name: 'redis' }] },
      });
      const t = build(a, [undefined]);
      expect(t.container).to.deep.equal({ type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: 'redis' }, cached: false } }, network_infos: [{ name: 'dcos' }] });
      expect(t.discovery!.ports!.ports).to.deep.equal([{ number: 6379, protocol: 'tcp', name: 'redis', labels: { labels: [{ key: 'network-scope', value: 'container' }, { key: 'network-name', value: 'dcos' }] } }]);
      expect(envOf(t)).to.deep.include({ PORT0: '6379', PORT_6379: '6379' });
    });

    it('host-network apps without a container get none', () => {
      expect(build(app()).container).to.equal(undefined);
    });
  });

  it('custom executors get an ExecutorInfo and the app as data', () => {
    const t = build(app({ executor: '/opt/exec', cmd: 'run.sh' }));
    expect(t.command).to.equal(undefined);
    expect(t.executor!.executor_id.value).to.equal(`marathon-${opts.taskId}`);
    expect(t.executor!.command!.value).to.equal(`chmod ug+rx '/opt/exec' && exec '/opt/exec' run.sh`);
    expect(JSON.parse(Buffer.from(t.data!, 'base64').toString()).id).to.equal('/shop/web');
  });

  it('fetch URIs and user go on the command', () => {
    const c = build(app({ user: 'nobody', fetch: [{ uri: 'http://x/a.tgz' }, { uri: 'http://x/b', executable: true, extract: false, destPath: 'bin/b' }] })).command!;
    expect(c.user).to.equal('nobody');
    expect(c.uris).to.deep.equal([
      { value: 'http://x/a.tgz', extract: true, executable: false, cache: false },
      { value: 'http://x/b', extract: false, executable: true, cache: false, output_file: 'bin/b' },
    ]);
  });
});
