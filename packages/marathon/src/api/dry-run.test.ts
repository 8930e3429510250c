import { expect } from 'chai';
import { startTestApi, type TestApi } from './test-server';

describe('PUT /v2/groups?dryRun=true', () => {
  let api: TestApi;
  const db = { id: 'db', cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 1 };

  beforeEach(async () => {
    api = await startTestApi();
    expect((await api.request('PUT', '/v2/groups/shop', { apps: [db] })).status).to.equal(201);
  });
  afterEach(() => api.close());

  /** Everything a client could see change, plus what Marathon stores and publishes. */
  const snapshot = async () => ({
    groups: (await api.request('GET', '/v2/groups')).body,
    apps: (await api.request('GET', '/v2/apps')).body,
    deployments: (await api.request('GET', '/v2/deployments')).body,
    queue: (await api.request('GET', '/v2/queue')).body,
    versions: (await api.request('GET', '/v2/groups/versions')).body,
    events: api.events.length,
    stored: await api.scheduler.repository.deployments(),
  });

  it('answers the steps Marathon would take (new apps start first, then dependencies before dependents) and changes nothing', async () => {
    const before = await snapshot();
    const res = await api.request('PUT', '/v2/groups/shop?dryRun=true', { apps: [{ ...db, cmd: 'sleep 601' }, { id: 'web', cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 2, dependencies: ['db'] }] });
    expect(res.status).to.equal(200);
    expect(res.headers.get('marathon-deployment-id')).to.equal(null);
    expect(res.body).to.deep.equal({
      steps: [
        { actions: [{ action: 'StartApplication', app: '/shop/web' }] },
        { actions: [{ action: 'RestartApplication', app: '/shop/db' }] },
        { actions: [{ action: 'ScaleApplication', app: '/shop/web' }] },
      ],
    });
    expect(await snapshot()).to.deep.equal(before);
  });

  it('previews a scale, a rollback and a new group (POST too) without carrying any out', async () => {
    const versions = (await api.request('GET', '/v2/groups/versions')).body as string[];
    const before = await snapshot();
    expect((await api.request('PUT', '/v2/groups/shop?dryRun=true', { scaleBy: 3 })).body).to.deep.equal({ steps: [{ actions: [{ action: 'ScaleApplication', app: '/shop/db' }] }] });
    expect((await api.request('PUT', `/v2/groups/shop?dryRun=true`, { version: versions[versions.length - 1] })).status).to.equal(200);
    const created = await api.request('POST', '/v2/groups?dryRun=true', { id: '/new', apps: [{ id: 'a', cmd: 'sleep 1' }] });
    expect(created.status).to.equal(200);
    expect(created.body).to.deep.equal({ steps: [{ actions: [{ action: 'StartApplication', app: '/new/a' }] }, { actions: [{ action: 'ScaleApplication', app: '/new/a' }] }] });
    expect(await snapshot()).to.deep.equal(before);
    expect((await api.request('GET', '/v2/groups/new')).status).to.equal(404);
  });

  it('still refuses an invalid group with 422, and a deploy without dryRun still deploys', async () => {
    const bad = await api.request('PUT', '/v2/groups/shop?dryRun=true', { apps: [{ id: 'x', cmd: 'y', cpus: -1 }] });
    expect(bad.status).to.equal(422);
    const real = await api.request('PUT', '/v2/groups/shop?dryRun=false&force=true', { apps: [{ ...db, instances: 2 }] });
    expect(real.status).to.equal(200);
    expect(real.headers.get('marathon-deployment-id')).to.be.a('string');
  });

  it('refuses dryRun where Marathon would carry the change out anyway, before anything happens', async () => {
    const before = await snapshot();
    for (const [method, path, body] of [
      ['POST', '/v2/apps?dryRun=true', { id: '/x', cmd: 'sleep 1' }],
      ['PUT', '/v2/apps/shop/db?dryRun=true', { cmd: 'sleep 2' }],
      ['DELETE', '/v2/apps/shop/db?dryRun=true', undefined],
      ['DELETE', '/v2/groups/shop?dryRun=true', undefined],
      ['POST', '/v2/apps/shop/db/restart?dryRun=true', undefined],
    ] as const) {
      const res = await api.request(method, path, body);
      expect(res.status, `${method} ${path}`).to.equal(400);
      expect((res.body as { message: string }).message).to.include('dryRun is supported only by PUT and POST /v2/groups');
    }
    expect(await snapshot()).to.deep.equal(before);
  });
});
