import { expect } from 'chai';
import { SUPPORTED_DOCKER_PARAMETERS } from '@tepui/protocol';
import { ValidationFailed } from '../errors';
import { appDefinitionJson, parseAppDefinition, parseAppUpdate, parseGroupUpdate, type AppParseOptions } from './index';

const ok = { id: '/shop/web', cmd: 'sleep 60' };
const docker = { type: 'DOCKER', docker: { image: 'busybox' } };

function details(fn: () => unknown): Array<{ path: string; errors: string[] }> {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationFailed) return err.details;
    throw err;
  }
  throw new Error('expected a 422');
}

interface Row {
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly opts?: AppParseOptions;
  readonly path: string;
  readonly error: string;
}

// Each field Tepui would otherwise accept, echo back and not act on.
const REFUSED: Row[] = [
  { name: 'residency', body: { ...ok, residency: { relaunchEscalationTimeoutSeconds: 10 } }, path: '/residency', error: 'resident apps' },
  { name: 'a persistent volume', body: { ...ok, container: { ...docker, volumes: [{ containerPath: 'data', mode: 'RW', persistent: { size: 10 } }] } }, path: '/container/volumes(0)/persistent', error: 'persistent volumes' },
  { name: 'an external volume', body: { ...ok, container: { ...docker, volumes: [{ containerPath: '/data', mode: 'RW', external: { name: 'v', provider: 'dvdi' } }] } }, path: '/container/volumes(0)/external', error: 'external volumes' },
  { name: 'a secret volume', body: { ...ok, container: { ...docker, volumes: [{ containerPath: '/s', secret: 'db' }] } }, path: '/container/volumes(0)/secret', error: 'secret volumes' },
  { name: 'a volume that is none of these', body: { ...ok, container: { ...docker, volumes: [{ containerPath: '/s' }] } }, path: '/container/volumes(0)/hostPath', error: 'other than host volumes' },
  { name: 'a host volume of a MESOS container', body: { ...ok, container: { type: 'MESOS', volumes: [{ containerPath: '/data', hostPath: '/tmp' }] } }, path: '/container/volumes(0)/hostPath', error: 'host volumes in MESOS containers' },
  { name: 'secrets', body: { ...ok, secrets: { db: { source: '/prod/db' } } }, path: '/secrets', error: 'secrets' },
  { name: 'a secret-valued env (feature on)', body: { ...ok, env: { DB: { secret: 'db' } } }, opts: { features: new Set(['secrets']) }, path: '/env/DB', error: 'secret-valued environment variables' },
  { name: 'resourceLimits', body: { ...ok, resourceLimits: { cpus: 'unlimited', mem: 512 } }, path: '/resourceLimits', error: 'resource limits' },
  { name: 'a MESOS container with a Docker image', body: { ...ok, container: { type: 'MESOS', docker: { image: 'redis' } } }, path: '/container/docker', error: 'images in MESOS containers' },
  { name: 'a MESOS container with an AppC image', body: { ...ok, container: { type: 'MESOS', appc: { image: 'coreos.com/etcd' } } }, path: '/container/appc', error: 'AppC images' },
  { name: 'a MESOS container on a CNI network', body: { ...ok, container: { type: 'MESOS' }, networks: [{ mode: 'container', name: 'dcos' }] }, path: '/networks', error: 'container networks without a DOCKER container' },
  { name: 'a MESOS container on the bridge', body: { ...ok, container: { type: 'MESOS' }, networks: [{ mode: 'container/bridge' }] }, path: '/networks', error: 'container networks without a DOCKER container' },
  { name: 'a container network without a container', body: { ...ok, networks: [{ mode: 'container', name: 'dcos' }] }, path: '/networks', error: 'container networks without a DOCKER container' },
  { name: 'ipAddress without a container', body: { ...ok, ipAddress: { networkName: 'dcos' } }, path: '/networks', error: 'container networks without a DOCKER container' },
  { name: 'ipAddress discovery ports', body: { ...ok, container: docker, ipAddress: { networkName: 'dcos', discovery: { ports: [{ number: 80, name: 'http', protocol: 'tcp' }] } } }, path: '/ipAddress/discovery', error: 'discovery ports' },
  { name: 'ipAddress security groups', body: { ...ok, container: docker, ipAddress: { networkName: 'dcos', groups: ['web'] } }, path: '/ipAddress/groups', error: 'security groups' },
  { name: 'a role other than --mesos_role', body: { ...ok, role: 'dev' }, path: '/role', error: 'got dev, expected one of: [*]' },
  { name: 'the default role when --mesos_role is another', body: { ...ok, role: '*' }, opts: { defaultRole: 'marathon' }, path: '/role', error: 'got *, expected one of: [marathon]' },
  { name: 'acceptedResourceRoles outside * and the role', body: { ...ok, acceptedResourceRoles: ['slave_public'] }, path: '/acceptedResourceRoles', error: 'acceptedResourceRoles can only contain *' },
  { name: 'acceptedResourceRoles outside * and a configured role', body: { ...ok, acceptedResourceRoles: ['*', 'other'] }, opts: { defaultRole: 'marathon' }, path: '/acceptedResourceRoles', error: 'acceptedResourceRoles can only contain * and marathon' },
  { name: 'GPUs (feature on)', body: { ...ok, gpus: 1 }, opts: { features: new Set(['gpu_resources']) }, path: '/gpus', error: 'GPU resources' },
  { name: 'a custom executor in a container', body: { ...ok, executor: '/opt/exec', container: docker }, path: '/executor', error: 'custom executors in containers' },
  { name: 'an IPv6 HTTP health check (run by Marathon)', body: { ...ok, healthChecks: [{ protocol: 'HTTP', ipProtocol: 'IPv6' }] }, path: '/healthChecks(0)/ipProtocol', error: 'IPv6 HTTP health checks' },
  { name: 'an IPv6 TCP health check (run by Marathon)', body: { ...ok, healthChecks: [{ protocol: 'TCP', ipProtocol: 'IPv6' }] }, path: '/healthChecks(0)/ipProtocol', error: 'IPv6 TCP health checks' },
  { name: 'an IPv6 MESOS_HTTP check of a bridged container', body: { ...ok, container: { ...docker, portMappings: [{ containerPort: 80 }] }, networks: [{ mode: 'container/bridge' }], healthChecks: [{ protocol: 'MESOS_HTTP', ipProtocol: 'IPv6' }] }, path: '/healthChecks(0)/ipProtocol', error: 'IPv6 health checks of containers on their own network' },
  { name: 'Mesos checks', body: { ...ok, check: { http: { portIndex: 0 } } }, path: '/check', error: 'Mesos checks' },
  { name: 'a TTY', body: { ...ok, tty: true }, path: '/tty', error: 'TTYs' },
  { name: 'executor resources', body: { ...ok, executorResources: { cpus: 0.1, mem: 32 } }, path: '/executorResources', error: 'executor resources' },
  { name: 'Linux container settings', body: { ...ok, container: { ...docker, linuxInfo: { seccomp: { unconfined: true } } } }, path: '/container/linuxInfo', error: 'Linux container settings' },
  { name: 'registry credentials', body: { ...ok, container: { ...docker, docker: { image: 'busybox', credential: { principal: 'p', secret: 's' } } } }, path: '/container/docker/credential', error: 'registry credentials' },
  { name: 'a pull config', body: { ...ok, container: { ...docker, docker: { image: 'busybox', pullConfig: { secret: 'pull' } } } }, path: '/container/docker/pullConfig', error: 'pull configuration' },
  { name: 'a docker parameter the Docker executor does not act on', body: { ...ok, container: { ...docker, docker: { image: 'busybox', parameters: [{ key: 'label', value: 'a=b' }, { key: 'cpuset-cpus', value: '0' }] } } }, path: '/container/docker/parameters(1)/key', error: "the docker parameter 'cpuset-cpus' yet: supported: env, label," },
  { name: "a MESOS_HTTP check of a container on Docker's none network", body: { ...ok, container: { ...docker, portMappings: [{ containerPort: 80 }] }, networks: [{ mode: 'container', name: 'none' }], healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' } }, { protocol: 'MESOS_HTTP' }] }, path: '/healthChecks(1)/protocol', error: "MESOS_HTTP health checks of containers on Docker's 'none' network" },
  { name: "a MESOS_TCP check of a container on Docker's none network", body: { ...ok, container: { ...docker, portMappings: [{ containerPort: 80 }] }, networks: [{ mode: 'container', name: 'none' }], healthChecks: [{ protocol: 'MESOS_TCP' }] }, path: '/healthChecks(0)/protocol', error: 'no address to probe' },
];

describe('fields Tepui does not act on yet', () => {
  for (const row of REFUSED) {
    it(`refuses ${row.name} with a 422 naming ${row.path}`, () => {
      const found = details(() => parseAppDefinition(row.body, row.opts)).find((d) => d.path === row.path);
      expect(found, `no detail at ${row.path}`).to.not.equal(undefined);
      expect(found!.errors.join(' | ')).to.include(row.error);
      if (!row.path.startsWith('/acceptedResourceRoles')) expect(found!.errors.join(' | ')).to.include('Tepui does not support');
    });
  }

  it('keeps accepting what works: DOCKER host volumes, --mesos_role, fetch and uris, empty secrets, roles * and the app role', () => {
    const app = parseAppDefinition({
      ...ok, container: { ...docker, volumes: [{ containerPath: '/data', hostPath: '/tmp', mode: 'RO' }] }, fetch: [], uris: [], secrets: {},
      role: 'marathon', acceptedResourceRoles: ['*', 'marathon'], gpus: 0, resourceLimits: {}, residency: null, tty: false,
      healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' }, ipProtocol: 'IPv4' }, { protocol: 'HTTP' }],
    }, { defaultRole: 'marathon' });
    expect(app.role).to.equal('marathon');
    expect(app.container?.volumes).to.deep.equal([{ containerPath: '/data', hostPath: '/tmp', mode: 'RO' }]);
    // MESOS_* checks run in the executors: of process tasks (a plain MESOS container runs as one), and
    // of DOCKER tasks on the host network or a bridge; over IPv6 where the task's loopback is the host's.
    expect(() => parseAppDefinition({ ...ok, healthChecks: [{ protocol: 'MESOS_HTTP', ipProtocol: 'IPv6' }] })).to.not.throw();
    expect(() => parseAppDefinition({ ...ok, container: { type: 'MESOS' }, healthChecks: [{ protocol: 'MESOS_TCP' }] })).to.not.throw();
    expect(parseAppDefinition({ ...ok, fetch: [{ uri: 'http://x/app.tgz', executable: false }] }).fetch).to.have.length(1);
    expect(parseAppDefinition({ ...ok, uris: ['http://x/app.tgz'] }).fetch).to.deep.equal([{ uri: 'http://x/app.tgz', extract: true, executable: false, cache: false }]);
    expect(() => parseAppDefinition({ ...ok, container: docker, healthChecks: [{ protocol: 'MESOS_TCP', ipProtocol: 'IPv6' }] })).to.not.throw();
    expect(() => parseAppDefinition({ ...ok, container: { ...docker, portMappings: [{ containerPort: 80 }] }, networks: [{ mode: 'container/bridge' }], healthChecks: [{ protocol: 'MESOS_HTTPS' }] })).to.not.throw();
  });

  it('keeps accepting every docker parameter the executor acts on, and checks a container without an address can run', () => {
    const parameters = SUPPORTED_DOCKER_PARAMETERS.map((key) => ({ key, value: 'x=1' }));
    const app = parseAppDefinition({ ...ok, container: { ...docker, docker: { image: 'busybox', parameters } } });
    expect(app.container?.docker?.parameters).to.deep.equal(parameters);
    const none = { ...ok, container: { ...docker, portMappings: [{ containerPort: 80 }] }, networks: [{ mode: 'container', name: 'none' }] };
    expect(() => parseAppDefinition({ ...none, healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' } }] })).to.not.throw();
    expect(() => parseAppDefinition({ ...none, networks: [{ mode: 'container', name: 'dcos' }], healthChecks: [{ protocol: 'MESOS_HTTP' }] })).to.not.throw();
  });

  it('refuses the 1.4 form docker.network NONE (Marathon 1.5+ refuses it while normalising)', () => {
    const found = details(() => parseAppDefinition({ ...ok, container: { ...docker, docker: { image: 'busybox', network: 'NONE' } }, healthChecks: [{ protocol: 'MESOS_HTTP' }] }));
    expect(found.map((d) => d.path)).to.include('/container/docker/network');
  });

  it('round-trips: what GET returns is accepted back, under a configured role too', () => {
    const opts = { defaultRole: 'marathon' };
    const app = { ...parseAppDefinition({ ...ok, container: { ...docker, volumes: [{ containerPath: '/d', hostPath: '/tmp' }] }, healthChecks: [{ protocol: 'TCP' }] }, opts), version: '2026-01-01T00:00:00.000Z' };
    const json: Record<string, unknown> = appDefinitionJson(app);
    delete json.version;
    expect(json).to.include({ role: 'marathon' });
    expect(json).to.deep.include({ fetch: [], secrets: {} });
    const { version: _v, ...withoutVersion } = app;
    expect(parseAppUpdate(json, opts)).to.deep.equal({ kind: 'update', app: withoutVersion });
  });

  it('names the fields of an app inside a group body, and refuses pods and enforceRole there', () => {
    const found = details(() => parseGroupUpdate({ enforceRole: true, pods: [{ id: 'p' }], apps: [{ id: 'a', cmd: 'x', secrets: { s: { source: 'x' } } }] }, '/g'));
    expect(found.map((d) => d.path).sort()).to.deep.equal(['/apps(0)/secrets', '/enforceRole', '/pods']);
  });
});

describe('group bodies of the wrong shape', () => {
  const rows: Array<{ name: string; body: unknown; path: string; error: string }> = [
    { name: 'apps not an array', body: { apps: { id: 'a' } }, path: '/apps', error: 'error.expected.jsarray' },
    { name: 'groups not an array', body: { groups: 'x' }, path: '/groups', error: 'error.expected.jsarray' },
    { name: 'a group that is not an object', body: { groups: [5] }, path: '/groups(0)', error: 'error.expected.jsobject' },
    { name: 'a group id that is not a string', body: { groups: [{ id: 5 }] }, path: '/groups(0)/id', error: 'error.expected.jsstring' },
    { name: 'an id that is not a string', body: { id: 7, apps: [] }, path: '/id', error: 'error.expected.jsstring' },
    { name: 'a dependency that is not a string', body: { dependencies: ['/a', 3] }, path: '/dependencies(1)', error: 'error.expected.jsstring' },
    { name: 'enforceRole not a boolean', body: { enforceRole: 'yes' }, path: '/enforceRole', error: 'error.expected.jsboolean' },
    { name: 'an app that is not an object', body: { apps: [[]] }, path: '/apps(0)', error: 'error.expected.jsobject' },
  ];
  for (const row of rows) {
    it(`refuses ${row.name}`, () => {
      const found = details(() => parseGroupUpdate(row.body, '/g')).find((d) => d.path === row.path);
      expect(found, `no detail at ${row.path}`).to.not.equal(undefined);
      expect(found!.errors).to.include(row.error);
    });
  }
});
