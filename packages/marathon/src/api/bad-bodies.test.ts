import { expect } from 'chai';
import { MAX_NESTING_DEPTH, nestingDepth, parseJsonBody } from './json-body';
import { startTestApi, type TestApi } from './test-server';

/** `{"a":{"a":…}}` or `[[…]]`, `depth` levels deep. */
const deepObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArray = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Bodies no endpoint may answer with a 5xx. */
const BODIES: Array<{ name: string; body: string | Buffer; status?: number; message?: string }> = [
  { name: '5,000 nested objects', body: deepObject(5000), status: 400, message: 'Invalid JSON' },
  { name: '5,000 nested arrays', body: deepArray(5000), status: 400, message: 'Invalid JSON' },
  { name: 'nested objects inside an app field', body: `{"id":"/x","cmd":"y","labels":${deepObject(4000)}}`, status: 400, message: 'Invalid JSON' },
  { name: 'a huge array', body: JSON.stringify(Array.from({ length: 150_000 }, () => 0)) },
  { name: 'a huge array of objects', body: JSON.stringify(Array.from({ length: 60_000 }, () => ({}))) },
  { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), status: 400, message: 'Invalid JSON' },
  { name: 'truncated JSON', body: '{"id": "/x", "cmd": ', status: 400, message: 'Invalid JSON' },
  { name: 'an empty body', body: '', status: 400 },
  { name: 'a number out of range', body: '{"id":"/x","cmd":"y","cpus":1e400}', status: 400, message: 'Invalid JSON' },
  { name: 'null', body: 'null' },
  { name: 'a string', body: '"x"' },
  { name: 'a number', body: '42' },
  { name: 'true', body: 'true' },
  { name: 'an empty array', body: '[]' },
  { name: 'an empty object', body: '{}' },
];

/** Every endpoint that reads a body, on a Marathon holding `/g/app`; restart takes none but gets one anyway. */
const ENDPOINTS: Array<[method: string, path: string]> = [
  ['POST', '/v2/apps'], ['PUT', '/v2/apps'], ['PATCH', '/v2/apps'], ['PUT', '/v2/apps/g/app'], ['PATCH', '/v2/apps/g/app'], ['PUT', '/v2/apps/g/new'],
  ['POST', '/v2/groups'], ['POST', '/v2/groups/h'], ['PUT', '/v2/groups'], ['PUT', '/v2/groups/g'], ['PUT', '/v2/groups/g?dryRun=true'],
  ['POST', '/v2/tasks/delete'], ['POST', '/v2/tasks/delete?scale=true'], ['POST', '/v2/pods'], ['PUT', '/v2/pods/p'], ['POST', '/v2/apps/g/app/restart'],
];
const takesBody = (path: string): boolean => !path.endsWith('/restart');

/** A valid app with every kind of field, to break one value at a time. */
const FULL_APP = {
  id: '/g/full', cmd: 'sleep 1', instances: 1, cpus: 0.1, mem: 16, disk: 0, env: { A: 'b' }, labels: { l: 'v' }, constraints: [['hostname', 'UNIQUE']],
  portDefinitions: [{ port: 0, protocol: 'tcp', name: 'http', labels: { x: 'y' } }], requirePorts: false,
  healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 1, intervalSeconds: 2, timeoutSeconds: 1, maxConsecutiveFailures: 3 }],
  readinessChecks: [{ name: 'r', protocol: 'HTTP', path: '/', portName: 'http', intervalSeconds: 30, timeoutSeconds: 10, httpStatusCodesForReady: [200] }],
  upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 }, dependencies: [], backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300,
  unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 }, killSelection: 'YOUNGEST_FIRST', taskKillGracePeriodSeconds: 3,
  container: { type: 'DOCKER', docker: { image: 'busybox', forcePullImage: false, privileged: false, parameters: [{ key: 'label', value: 'a=b' }] }, volumes: [{ containerPath: '/d', hostPath: '/tmp', mode: 'RO' }] },
  networks: [{ mode: 'host' }], fetch: [], secrets: {}, role: '*', executor: '', gpus: 0,
};

const WRONG: unknown[] = [null, -1, 1.5, 'x', true, [], {}];

/** The app with the value at each path (every level, every array element) replaced by each wrong value. */
function* wrongTypes(value: unknown, replace: (v: unknown) => unknown = (v) => v, path = ''): Generator<{ at: string; body: unknown }> {
  for (const wrong of WRONG) if (JSON.stringify(wrong) !== JSON.stringify(value)) yield { at: path || '/', body: replace(wrong) };
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const rebuild = (v: unknown): unknown => replace(Array.isArray(value) ? value.map((c, i) => (String(i) === key ? v : c)) : { ...value, [key]: v });
    yield* wrongTypes(child, rebuild, `${path}/${key}`);
  }
}

const message = (body: unknown): unknown => (body as { message?: unknown } | undefined)?.message;

describe('bad request bodies', () => {
  describe('the body reader', () => {
    it('measures nesting outside strings and stops at the limit', () => {
      expect(nestingDepth(Buffer.from('{"a":[1,{"b":"[[[{{{"}]}'))).to.equal(3);
      expect(nestingDepth(Buffer.from('"\\"[[["'))).to.equal(0);
      expect(nestingDepth(Buffer.from(deepArray(5000)), MAX_NESTING_DEPTH)).to.equal(MAX_NESTING_DEPTH + 1);
    });

    it('reads UTF-8 JSON with or without a byte order mark, and nothing from an empty body', () => {
      expect(parseJsonBody(Buffer.from('\ufeff{"a":"é"}'))).to.deep.equal({ a: 'é' });
      expect(parseJsonBody(Buffer.alloc(0))).to.equal(undefined);
      expect(parseJsonBody(Buffer.from(deepObject(MAX_NESTING_DEPTH)))).to.be.an('object');
    });
  });

  describe('through the API', function () {
    this.timeout(60_000); // hundreds of real requests each, on a loaded 2-core machine
    let api: TestApi;
    before(async () => {
      api = await startTestApi();
      expect((await api.request('POST', '/v2/apps', { id: '/g/app', cmd: 'sleep 1' })).status).to.equal(201);
    });
    after(() => api.close());

    for (const b of BODIES) {
      it(`answers ${b.name} on every endpoint with a 4xx and Marathon's body`, async () => {
        for (const [method, path] of ENDPOINTS) {
          const res = await api.request(method, path, b.body);
          const what = `${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
          expect(res.status, what).to.be.within(200, 499);
          if (b.status !== undefined && (b.body.length > 0 || takesBody(path))) expect(res.status, what).to.equal(b.status);
          if (res.status >= 400) expect(message(res.body), what).to.be.a('string');
          if (b.message !== undefined) expect(message(res.body), what).to.equal(b.message);
        }
        expect((await api.request('GET', '/ping')).status).to.equal(200);
      });
    }

    it('answers a wrong type at every level of an app, of a group and of a task list with a 4xx', async () => {
      const started = Date.now();
      const cases = [
        ...[...wrongTypes(FULL_APP)].map((c) => ({ ...c, method: 'POST', path: '/v2/apps' })),
        ...[...wrongTypes({ id: '/h', dependencies: ['/g'], apps: [{ ...FULL_APP, id: 'a' }], groups: [{ id: 'sub', apps: [] }] })].map((c) => ({ ...c, method: 'PUT', path: '/v2/groups/h?dryRun=true' })),
        ...[...wrongTypes({ ids: ['g_app.instance-0c6a1c3e-07a0-11ef-9a8b-0242ac110002._app.1'] })].map((c) => ({ ...c, method: 'POST', path: '/v2/tasks/delete' })),
      ];
      expect(cases.length).to.be.greaterThan(500);
      let refused = 0;
      for (const c of cases) {
        const res = await api.request(c.method, c.path, c.body);
        const what = `${c.method} ${c.path} with ${c.at} as ${JSON.stringify(c.body).length < 400 ? JSON.stringify(c.body) : '…'}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        expect(res.status, what).to.be.within(200, 499);
        if (res.status >= 400) {
          refused += 1;
          expect(message(res.body), what).to.be.a('string');
        } else {
          if (process.env.SHOW_ACCEPTED) console.log(what);
          if (c.method === 'POST' && c.path === '/v2/apps') await api.request('DELETE', '/v2/apps/g/full?force=true');
        }
      }
      expect(refused).to.be.greaterThan(cases.length / 2);
      console.log(`      ${cases.length} bodies, ${refused} refused, in ${Date.now() - started} ms`);
    });

    it('answers a body in an unsupported encoding, a bad charset and an undecodable path with a 4xx', async () => {
      const encoded = await api.request('POST', '/v2/apps', '{}', { 'Content-Encoding': 'br-nope' });
      expect(encoded.status).to.equal(415);
      expect(encoded.body).to.deep.equal({ message: 'Unsupported Media Type' });
      expect((await api.request('POST', '/v2/apps', '{"id":"/c","cmd":"x"}', { 'Content-Type': 'application/json; charset=klingon' })).status).to.be.within(200, 499);
      expect((await api.request('GET', '/v2/apps/%E0%A4%A')).status).to.equal(400);
      expect((await api.request('GET', '/v2/apps?label=a%20in%20(')).status).to.equal(422);
    });
  });
});
