import { expect } from 'chai';
import { ValidationFailed } from '../errors';
import { appDefinitionJson, assignServicePorts, findDependencyCycle, parseAppDefinition, parseAppUpdate, parseGroupUpdate } from './index';
import { normalizeApp } from './normalize-app';

function failure(fn: () => unknown): ValidationFailed {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationFailed) return err;
    throw err;
  }
  throw new Error('expected a validation failure');
}

describe('app definition parsing', () => {
  it('fills Marathon’s defaults', () => {
    const app = parseAppDefinition({ id: 'web', cmd: 'sleep 1' });
    expect(app).to.deep.equal({
      id: '/web', cmd: 'sleep 1', env: {}, secrets: {}, instances: 1, cpus: 1, mem: 128, disk: 0, gpus: 0, executor: '', constraints: [], fetch: [],
      backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300, healthChecks: [], readinessChecks: [], dependencies: [],
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 }, labels: {}, role: '*', networks: [{ mode: 'host' }],
      portDefinitions: [{ port: 0, protocol: 'tcp', name: 'default' }], requirePorts: false, killSelection: 'YOUNGEST_FIRST',
      unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
    });
  });

  it('translates deprecated fields: ports, uris, docker.network and docker.portMappings', () => {
    const legacy = normalizeApp({ id: '/a', cmd: 'x', ports: [0, 10500], uris: ['http://x/app.tgz'] }, { base: '/', defaultRole: '*' });
    expect(legacy.portDefinitions).to.deep.equal([{ port: 0, protocol: 'tcp' }, { port: 10500, protocol: 'tcp' }]);
    expect(legacy.fetch).to.deep.equal([{ uri: 'http://x/app.tgz', extract: true, executable: false, cache: false }]);
    const docker = parseAppDefinition({ id: '/d', container: { docker: { image: 'nginx', network: 'BRIDGE', portMappings: [{ containerPort: 80 }] } } });
    expect(docker.networks).to.deep.equal([{ mode: 'container/bridge' }]);
    expect(docker.portDefinitions).to.deep.equal([]);
    expect(docker.container).to.deep.equal({
      type: 'DOCKER', docker: { image: 'nginx', forcePullImage: false, privileged: false, parameters: [] }, volumes: [],
      portMappings: [{ containerPort: 80, hostPort: 0, servicePort: 0, protocol: 'tcp' }],
    });
  });

  it('defaults a health check’s portIndex to 0 when the app has ports, and resolves relative ids and dependencies', () => {
    const app = parseAppDefinition({ id: 'api', cmd: 'x', healthChecks: [{ path: '/health' }], dependencies: ['../db', 'cache'] }, { base: '/shop/v1' });
    expect(app.id).to.equal('/shop/v1/api');
    expect(app.dependencies).to.deep.equal(['/shop/db', '/shop/v1/cache']);
    expect(app.healthChecks[0]).to.include({ protocol: 'HTTP', path: '/health', portIndex: 0, gracePeriodSeconds: 300, intervalSeconds: 60, timeoutSeconds: 20, maxConsecutiveFailures: 3 });
  });

  it('collapses duplicate constraints and caps single-instance apps’ upgrade strategy', () => {
    const app = parseAppDefinition({ id: '/a', cmd: 'x', constraints: [['hostname', 'UNIQUE'], ['hostname', 'UNIQUE']], labels: { MARATHON_SINGLE_INSTANCE_APP: 'true' } });
    expect(app.constraints).to.deep.equal([['hostname', 'UNIQUE']]);
    expect(app.upgradeStrategy).to.deep.equal({ minimumHealthCapacity: 0, maximumOverCapacity: 0 });
  });

  it('round-trips: the JSON GET returns parses back to the same app', () => {
    const app = { ...parseAppDefinition({ id: '/a', cmd: 'x', healthChecks: [{ protocol: 'TCP' }], constraints: [['rack', 'GROUP_BY', '2']] }), version: '2026-01-01T00:00:00.000Z' };
    const json: Record<string, unknown> = { ...appDefinitionJson(app), tasksRunning: 3, deployments: [], tasks: [] };
    delete json.version;
    const back = parseAppUpdate(json);
    const { version: _v, ...withoutVersion } = app;
    expect(back).to.deep.equal({ kind: 'update', app: withoutVersion });
  });

  it('merges a partial update onto the existing app', () => {
    const existing = parseAppDefinition({ id: '/a', cmd: 'x', instances: 3, labels: { a: 'b' } });
    const updated = parseAppDefinition({ cpus: 0.5 }, { existing, idFromUrl: '/a' });
    expect(updated).to.include({ id: '/a', cmd: 'x', instances: 3, cpus: 0.5 });
    expect(updated.labels).to.deep.equal({ a: 'b' });
  });

  it('treats {version} as a rollback and refuses it combined with other fields', () => {
    expect(parseAppUpdate({ version: '2026-01-01T00:00:00Z' })).to.deep.equal({ kind: 'rollback', version: '2026-01-01T00:00:00.000Z' });
    expect(failure(() => parseAppUpdate({ version: '2026-01-01T00:00:00Z', cmd: 'x' })).details[0]!.path).to.equal('/');
  });

  it('reports structure errors with Play-JSON codes and Marathon paths', () => {
    const err = failure(() => parseAppDefinition({ id: '/a', cmd: 'x', healthChecks: [{ protocol: 'NOPE', portIndex: -1 }] }));
    expect(err.message).to.equal('Invalid JSON');
    expect(err.details).to.deep.include({ path: '/healthChecks(0)/protocol', errors: ['error.unknown.enum.literal'] });
    expect(err.details).to.deep.include({ path: '/healthChecks(0)/portIndex', errors: ['error.min'] });
  });
});

describe('group bodies', () => {
  it('flattens nested groups with ids relative to their parents', () => {
    const update = parseGroupUpdate({ apps: [{ id: 'web', cmd: 'x' }], groups: [{ id: 'back', dependencies: ['../front'], apps: [{ id: 'db', cmd: 'y' }] }] }, '/shop');
    expect(update).to.include({ kind: 'definition', id: '/shop' });
    if (update.kind !== 'definition') throw new Error('not a definition');
    expect(update.apps.map((a) => a.id)).to.deep.equal(['/shop/web', '/shop/back/db']);
    expect(update.groups).to.deep.equal([{ id: '/shop', dependencies: [] }, { id: '/shop/back', dependencies: ['/shop/front'] }]);
  });

  it('recognises scaleBy and version bodies', () => {
    expect(parseGroupUpdate({ scaleBy: 1.5 }, '/g')).to.deep.equal({ kind: 'scale', scaleBy: 1.5 });
    expect(parseGroupUpdate({ version: '2026-01-01T00:00:00.000Z' }, '/g')).to.deep.equal({ kind: 'rollback', version: '2026-01-01T00:00:00.000Z' });
  });

  it('names the bad field of an app inside a group', () => {
    const err = failure(() => parseGroupUpdate({ apps: [{ id: 'ok', cmd: 'x' }, { id: 'bad', cmd: 'x', cpus: -1 }] }, '/g'));
    expect(err.details).to.deep.equal([{ path: '/apps(1)/cpus', errors: ['error.min'] }]);
  });

  it('finds dependency cycles, including through groups', () => {
    const a = parseAppDefinition({ id: '/x/a', cmd: 'x', dependencies: ['/y'] });
    const b = parseAppDefinition({ id: '/y/b', cmd: 'x' });
    expect(findDependencyCycle([a, b], [])).to.equal(undefined);
    expect(findDependencyCycle([a, b], [{ id: '/y', dependencies: ['/x'] }])).to.deep.equal(['/x/a', '/y/b', '/x/a']);
  });
});

describe('service ports', () => {
  it('gives each port 0 the lowest free service port', () => {
    const app = parseAppDefinition({ id: '/a', cmd: 'x', portDefinitions: [{ port: 0 }, { port: 10005 }, { port: 0 }] });
    expect(assignServicePorts(app, new Set([10000, 10001])).portDefinitions.map((p) => p.port)).to.deep.equal([10002, 10005, 10003]);
  });
});
