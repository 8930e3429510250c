// Bad app specs through Marathon's real HTTP API: each refused with Marathon's status and a body
// naming the field; Marathon stays up and its state does not change.
import { expect } from 'chai';
import { TestCluster } from '../support/cluster';
import { TestMarathon } from '../support/marathon';

const ok = { id: '/bad/app', cmd: 'sleep 60', cpus: 0.1, mem: 16, instances: 1 };

interface Case {
  readonly name: string;
  readonly body: unknown;
  readonly status: 400 | 422;
  readonly path?: string;
  /** Text expected in the named path's errors (or in message when no path). */
  readonly error: string;
  readonly method?: 'POST' | 'PUT';
}

const CASES: Case[] = [
  { name: 'negative cpus', body: { ...ok, cpus: -1 }, status: 422, path: '/cpus', error: 'error.min' },
  { name: 'non-numeric cpus', body: { ...ok, cpus: 'a lot' }, status: 422, path: '/cpus', error: 'error.expected.jsnumber' },
  { name: 'instances as a string', body: { ...ok, instances: '2' }, status: 422, path: '/instances', error: 'error.expected.jsnumber' },
  { name: 'negative instances', body: { ...ok, instances: -1 }, status: 422, path: '/instances', error: 'error.min' },
  { name: 'null mem', body: { ...ok, mem: null }, status: 422, path: '/mem', error: 'error.expected.jsnumber' },
  { name: 'invalid id characters', body: { ...ok, id: '/bad/My_App' }, status: 422, path: '/id', error: 'must fully match regular expression' },
  { name: 'root id', body: { ...ok, id: '/' }, status: 422, path: '/id', error: 'must not be root' },
  { name: 'id ending in a reserved word', body: { ...ok, id: '/bad/restart' }, status: 422, path: '/id', error: 'reserved keywords' },
  { name: 'cmd and args together', body: { ...ok, args: ['sleep', '1'] }, status: 422, path: '/', error: "must either contain one of 'cmd' or 'args'" },
  { name: 'neither cmd, args nor container', body: { id: '/bad/app' }, status: 422, path: '/', error: "must either contain one of 'cmd' or 'args'" },
  { name: 'unknown constraint operator', body: { ...ok, constraints: [['hostname', 'SOMETIMES']] }, status: 422, path: '/constraints(0)', error: 'operator must be one of' },
  { name: 'bad regex in LIKE', body: { ...ok, constraints: [['rack', 'LIKE', 'r[0-']] }, status: 422, path: '/constraints(0)', error: 'is not a valid regular expression' },
  { name: 'LIKE without a value', body: { ...ok, constraints: [['rack', 'LIKE']] }, status: 422, path: '/constraints(0)', error: 'non-empty, regular expression' },
  { name: 'MAX_PER with a non-integer', body: { ...ok, constraints: [['rack', 'MAX_PER', 'two']] }, status: 422, path: '/constraints(0)', error: 'MAX_PER requires an integer value' },
  { name: 'UNIQUE with a value', body: { ...ok, constraints: [['hostname', 'UNIQUE', 'x']] }, status: 422, path: '/constraints(0)', error: 'UNIQUE does not accept a value' },
  { name: 'constraint of four fields', body: { ...ok, constraints: [['a', 'LIKE', 'b', 'c']] }, status: 422, path: '/constraints(0)', error: 'either 2 or 3 fields' },
  { name: 'duplicate port names', body: { ...ok, portDefinitions: [{ port: 0, name: 'http' }, { port: 0, name: 'http' }] }, status: 422, path: '/portDefinitions', error: 'Port names must be unique.' },
  { name: 'duplicate ports', body: { ...ok, ports: [10555, 10555] }, status: 422, path: '/portDefinitions', error: 'Ports must be unique.' },
  { name: 'health check portIndex out of range', body: { ...ok, healthChecks: [{ protocol: 'HTTP', portIndex: 3 }] }, status: 422, path: '/healthChecks(0)', error: 'port indices must address an element' },
  { name: 'two Mesos-side health checks', body: { ...ok, healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' } }, { protocol: 'COMMAND', command: { value: 'true' } }] }, status: 422, path: '/healthChecks', error: 'at most one Mesos health check' },
  { name: 'unknown health check protocol', body: { ...ok, healthChecks: [{ protocol: 'GOPHER' }] }, status: 422, path: '/healthChecks(0)/protocol', error: 'error.unknown.enum.literal' },
  { name: 'an app depending on itself', body: { ...ok, dependencies: ['/bad/app'] }, status: 422, path: '/dependencies', error: 'may not depend on itself' },
  { name: 'backoffFactor below 1', body: { ...ok, backoffFactor: 0.5 }, status: 422, path: '/backoffFactor', error: 'error.min' },
  { name: 'minimumHealthCapacity above 1', body: { ...ok, upgradeStrategy: { minimumHealthCapacity: 1.2, maximumOverCapacity: 0 } }, status: 422, path: '/upgradeStrategy/minimumHealthCapacity', error: 'error.max' },
  { name: 'unknown network mode', body: { ...ok, networks: [{ mode: 'overlay' }] }, status: 422, path: '/networks(0)/mode', error: 'error.unknown.enum.literal' },
  { name: 'port mappings with host networking', body: { ...ok, container: { type: 'DOCKER', docker: { image: 'busybox' }, portMappings: [{ containerPort: 80 }] } }, status: 422, path: '/container/portMappings', error: 'not allowed with host-networking' },
  { name: 'USER network without a name', body: { ...ok, container: { type: 'DOCKER', docker: { image: 'busybox', network: 'USER' } } }, status: 422, path: '/networks(0)/name', error: 'must have a name' },
  { name: 'Docker container without an image', body: { ...ok, container: { type: 'DOCKER', docker: {} } }, status: 422, path: '/container/docker/image', error: 'must not be empty' },
  { name: 'fetch URI over 1024 characters', body: { ...ok, fetch: [{ uri: `http://x/${'a'.repeat(1100)}` }] }, status: 422, path: '/fetch(0)/uri', error: 'error.maxLength' },
  { name: 'readiness check on an unknown port name', body: { ...ok, readinessChecks: [{ portName: 'nope' }] }, status: 422, path: '/readinessChecks(0)/portName', error: "Port name 'nope'" },
  { name: 'unknown killSelection', body: { ...ok, killSelection: 'RANDOM' }, status: 422, path: '/killSelection', error: 'error.unknown.enum.literal' },
  { name: 'empty acceptedResourceRoles', body: { ...ok, acceptedResourceRoles: [] }, status: 422, path: '/acceptedResourceRoles', error: 'error.minLength' },
  { name: 'a 1 MB body', body: { ...ok, labels: { big: 'x'.repeat(1_100_000) } }, status: 422, path: '/', error: 'exceeds the limit' },
  { name: 'malformed JSON', body: '{"id": "/bad/app", "cmd": ', status: 400, error: 'Invalid JSON' },
  { name: 'an empty body', body: '', status: 400, error: 'Please specify data in JSON format' },
  { name: 'version with other fields in an update', body: { version: '2026-01-01T00:00:00.000Z', cmd: 'sleep 1' }, status: 422, path: '/', error: "'version' field may only be combined with the 'id' field", method: 'PUT' },
];

const docker = { type: 'DOCKER', docker: { image: 'busybox' } };
const NOT_YET = 'Tepui does not support';

/** Fields Marathon acts on and Tepui cannot yet: each a 422 naming the field, never accepted and ignored. */
const UNSUPPORTED: Case[] = [
  { name: 'residency', body: { ...ok, residency: { taskLostBehavior: 'WAIT_FOREVER' } }, status: 422, path: '/residency', error: NOT_YET },
  { name: 'a persistent volume', body: { ...ok, container: { ...docker, volumes: [{ containerPath: 'data', mode: 'RW', persistent: { size: 10 } }] } }, status: 422, path: '/container/volumes(0)/persistent', error: NOT_YET },
  { name: 'an external volume', body: { ...ok, container: { ...docker, volumes: [{ containerPath: '/d', mode: 'RW', external: { name: 'v' } }] } }, status: 422, path: '/container/volumes(0)/external', error: NOT_YET },
  { name: 'a host volume of a MESOS container', body: { ...ok, container: { type: 'MESOS', volumes: [{ containerPath: '/d', hostPath: '/tmp' }] } }, status: 422, path: '/container/volumes(0)/hostPath', error: NOT_YET },
  { name: 'secrets', body: { ...ok, secrets: { db: { source: '/db' } } }, status: 422, path: '/secrets', error: NOT_YET },
  { name: 'a secret-valued env', body: { ...ok, env: { DB: { secret: 'db' } }, secrets: { db: { source: '/db' } } }, status: 422, path: '/env/DB', error: 'secrets' },
  { name: 'resourceLimits', body: { ...ok, resourceLimits: { mem: 64 } }, status: 422, path: '/resourceLimits', error: NOT_YET },
  { name: 'a MESOS container with an image', body: { ...ok, container: { type: 'MESOS', docker: { image: 'busybox' } } }, status: 422, path: '/container/docker', error: NOT_YET },
  { name: 'a MESOS container on a CNI network', body: { ...ok, container: { type: 'MESOS' }, networks: [{ mode: 'container', name: 'cni' }] }, status: 422, path: '/networks', error: NOT_YET },
  { name: 'a role other than --mesos_role', body: { ...ok, role: 'dev' }, status: 422, path: '/role', error: 'got dev, expected one of: [*]' },
  { name: 'acceptedResourceRoles beyond * and the role', body: { ...ok, acceptedResourceRoles: ['slave_public'] }, status: 422, path: '/acceptedResourceRoles', error: 'acceptedResourceRoles can only contain *' },
  { name: 'a custom executor in a container', body: { ...ok, executor: '/opt/executor', container: docker }, status: 422, path: '/executor', error: NOT_YET },
  { name: 'an IPv6 health check run by Marathon', body: { ...ok, healthChecks: [{ protocol: 'TCP', ipProtocol: 'IPv6' }] }, status: 422, path: '/healthChecks(0)/ipProtocol', error: NOT_YET },
  { name: 'Mesos checks', body: { ...ok, check: { tcp: { portIndex: 0 } } }, status: 422, path: '/check', error: NOT_YET },
  { name: 'a TTY', body: { ...ok, tty: true }, status: 422, path: '/tty', error: NOT_YET },
];

/** `{"a":{"a":…}}` or `[[…]]`, `depth` levels deep. */
const deepObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArray = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Bodies every endpoint that takes one must answer with Marathon's 4xx, staying up. */
const BAD_BODIES: Array<{ name: string; body: string | Uint8Array; status?: number }> = [
  { name: '5,000 nested objects', body: deepObject(5000), status: 400 },
  { name: '5,000 nested arrays', body: deepArray(5000), status: 400 },
  { name: 'a huge array', body: JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i)) },
  { name: 'a huge array of empty objects', body: JSON.stringify(Array.from({ length: 50_000 }, () => ({}))) },
  { name: 'invalid UTF-8', body: new Uint8Array([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), status: 400 },
  { name: 'truncated JSON', body: '{"apps": [{"id": "/x", "cmd": "sl', status: 400 },
  { name: 'an empty body', body: '', status: 400 },
  { name: 'a number no double holds', body: '{"id":"/x","cmd":"y","instances":1e999}', status: 400 },
  { name: 'JSON null', body: 'null' },
  { name: 'a bare string', body: '"hello"' },
  { name: 'wrong types at the top level', body: JSON.stringify({ id: 5, apps: 'none', groups: { a: 1 }, ids: 7, cmd: [], dependencies: 3 }) },
  // An app body, a group body and a task list at once, each broken a few levels down.
  { name: 'wrong types deep inside', body: JSON.stringify({
    id: '/bad/deep', cmd: 'x', container: { docker: { image: 'busybox', parameters: [{ key: 1, value: [] }] }, volumes: [{ containerPath: {} }] }, healthChecks: [{ command: { value: 5 } }],
    apps: [{ id: 'a', cmd: 'x', upgradeStrategy: { minimumHealthCapacity: 'all' } }], groups: [{ id: 'g', apps: [{ id: 'b', cmd: 'x', labels: { a: { b: 'c' } } }] }], ids: ['x', 3, {}],
  }) },
];

/** Every Marathon endpoint that reads a body (deployments and queue take none). */
const BODY_ENDPOINTS: Array<[method: string, path: string]> = [
  ['POST', '/v2/apps'], ['PUT', '/v2/apps'], ['PATCH', '/v2/apps'], ['PUT', '/v2/apps/bad/existing'], ['PATCH', '/v2/apps/bad/existing'],
  ['POST', '/v2/groups'], ['PUT', '/v2/groups/bad'], ['PUT', '/v2/groups/bad?dryRun=true'], ['POST', '/v2/tasks/delete'], ['POST', '/v2/pods'],
];

describe('Marathon refuses bad app specs', function () {
  this.timeout(60_000);
  const cluster = new TestCluster({ agents: 1 });
  const marathon = new TestMarathon(cluster);

  before(async () => {
    await cluster.start();
    await marathon.start();
    expect((await marathon.json('POST', '/v2/apps', { ...ok, id: '/bad/existing' })).status).to.equal(201);
    await marathon.waitForDeployments(); // a settled state, so "unchanged" below means unchanged
  });
  after(async () => {
    await marathon.stop();
    await cluster.stop();
  });

  it(`names the field of each of ${CASES.length} distinct mistakes, and changes nothing`, async () => {
    const before = (await marathon.json('GET', '/v2/apps')).body;
    const groupsBefore = (await marathon.json('GET', '/v2/groups')).body;
    for (const c of CASES) {
      const res = c.method === 'PUT' ? await marathon.json('PUT', '/v2/apps/bad/existing', c.body) : await marathon.json('POST', '/v2/apps', c.body);
      expect(res.status, `${c.name}: ${JSON.stringify(res.body).slice(0, 300)}`).to.equal(c.status);
      const body = res.body as { message: string; details?: Array<{ path: string; errors: string[] }> | string };
      if (c.path === undefined) {
        expect(body.message, c.name).to.include(c.error);
        continue;
      }
      expect(body.details, c.name).to.be.an('array');
      const entry = (body.details as Array<{ path: string; errors: string[] }>).find((d) => d.path === c.path);
      expect(entry, `${c.name}: no detail at ${c.path} in ${JSON.stringify(body.details)}`).to.not.equal(undefined);
      expect(entry!.errors.join(' | '), c.name).to.include(c.error);
    }
    expect(new Set(CASES.map((c) => c.name)).size).to.be.at.least(25);
    expect((await marathon.json('GET', '/v2/apps')).body).to.deep.equal(before);
    expect((await marathon.json('GET', '/v2/groups')).body).to.deep.equal(groupsBefore);
    expect((await fetch(`${marathon.url}/ping`)).status).to.equal(200);
    expect(marathon.process.exited).to.equal(false);
  });

  it(`refuses each of ${UNSUPPORTED.length} fields Tepui does not act on yet with a 422 naming it, and changes nothing`, async () => {
    const before = (await marathon.json('GET', '/v2/groups')).body;
    for (const c of UNSUPPORTED) {
      const res = await marathon.json('POST', '/v2/apps', c.body);
      expect(res.status, `${c.name}: ${JSON.stringify(res.body).slice(0, 300)}`).to.equal(422);
      const entry = (res.body as { details: Array<{ path: string; errors: string[] }> }).details.find((d) => d.path === c.path);
      expect(entry, `${c.name}: no detail at ${c.path} in ${JSON.stringify(res.body)}`).to.not.equal(undefined);
      expect(entry!.errors.join(' | '), c.name).to.include(c.error);
      // The same field inside a group body is refused the same way.
      const group = await marathon.json('PUT', '/v2/groups/bad', { apps: [{ ...(c.body as object), id: 'inner' }] });
      expect(group.status, `${c.name} in a group`).to.equal(422);
    }
    expect((await marathon.json('POST', '/v2/pods', { id: '/pod', containers: [{ name: 'c', resources: { cpus: 0.1, mem: 16 } }] })).status).to.equal(422);
    expect((await marathon.json('GET', '/v2/pods')).body).to.deep.equal([]);
    expect((await marathon.json('GET', '/v2/groups')).body).to.deep.equal(before);
    // What GET returns (defaults included) is accepted back unchanged.
    const existing = ((await marathon.json('GET', '/v2/apps/bad/existing')).body as { app: Record<string, unknown> }).app;
    expect(existing).to.deep.include({ fetch: [], secrets: {}, role: '*' });
    const { version: _v, ...roundTrip } = existing;
    const put = await marathon.json('PUT', '/v2/apps/bad/existing', roundTrip);
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    await marathon.waitForDeployments();
  });

  it('answers deep, huge, broken and wrongly typed bodies on every body endpoint with a 4xx, and stays up', async () => {
    const before = (await marathon.json('GET', '/v2/groups')).body;
    for (const b of BAD_BODIES) {
      for (const [method, path] of BODY_ENDPOINTS) {
        const res = await fetch(`${marathon.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: b.body });
        const text = await res.text();
        const what = `${b.name} → ${method} ${path}: ${res.status} ${text.slice(0, 200)}`;
        expect(res.status, what).to.be.within(400, 499);
        if (b.status !== undefined) expect(res.status, what).to.equal(b.status);
        expect((JSON.parse(text) as { message: unknown }).message, what).to.be.a('string');
      }
    }
    expect((await marathon.json('GET', '/v2/groups')).body).to.deep.equal(before);
    expect((await fetch(`${marathon.url}/ping`)).status).to.equal(200);
    expect(marathon.process.exited).to.equal(false);
  });

  it('reports every bad field of one body', async () => {
    const res = await marathon.json('POST', '/v2/apps', { ...ok, cpus: -2, mem: 'lots', instances: 1.5 });
    expect(res.status).to.equal(422);
    const paths = (res.body as { details: Array<{ path: string }> }).details.map((d) => d.path).sort();
    expect(paths).to.deep.equal(['/cpus', '/instances', '/mem']);
  });

  it('refuses a dependency cycle across a group with 422, and unknown or existing ids with 404/409', async () => {
    const cycle = await marathon.json('PUT', '/v2/groups/loop', {
      apps: [{ id: 'a', cmd: 'sleep 1', dependencies: ['b'] }, { id: 'b', cmd: 'sleep 1', dependencies: ['a'] }],
    });
    expect(cycle.status).to.equal(422);
    expect(JSON.stringify(cycle.body)).to.include('cycle');
    const missing = await marathon.json('GET', '/v2/apps/no/such/app');
    expect(missing.status).to.equal(404);
    expect(missing.body).to.deep.equal({ message: "App '/no/such/app' does not exist" });
    const exists = await marathon.json('POST', '/v2/apps', { ...ok, id: '/bad/existing' });
    expect(exists.status).to.equal(409);
    expect(exists.body).to.deep.equal({ message: 'An app with id [/bad/existing] already exists.' });
    expect((await marathon.json('DELETE', '/v2/deployments/nope')).status).to.equal(404);
  });
});
