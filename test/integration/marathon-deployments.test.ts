// Marathon deployments on a real cluster: rolling restarts gated on HTTP health checks within
// the upgrade strategy's bounds, a failing version that never replaces all old tasks and is
// rolled back, dependency order in groups, and the events of a deploy.
import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { followEvents, marathonSuite, type MarathonTask, type TestMarathon } from '../support/marathon';

const HEALTH = { protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 3, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 30 };

const healthy = (t: MarathonTask): boolean => t.state === 'TASK_RUNNING' && t.healthCheckResults.length > 0 && t.healthCheckResults.every((r) => r.alive);

/** Polls the app's tasks until stopped, recording the fewest healthy and the most live tasks seen. */
function watchCapacity(marathon: TestMarathon, appId: string): { stop(): Promise<{ minHealthy: number; maxLive: number; samples: number }> } {
  let minHealthy = Number.POSITIVE_INFINITY;
  let maxLive = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const tasks = await marathon.tasks(appId);
      minHealthy = Math.min(minHealthy, tasks.filter(healthy).length);
      maxLive = Math.max(maxLive, tasks.length);
      samples += 1;
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { minHealthy, maxLive, samples };
    },
  };
}

describe('Marathon deployments on a real cluster', function () {
  this.timeout(180_000);
  const { marathon } = marathonSuite(2);
  const web = {
    id: '/rolling/web', cmd: 'exec python3 -m http.server $PORT0', cpus: 0.1, mem: 32, instances: 4,
    healthChecks: [HEALTH], upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 },
  };

  it('delivers the events of a deploy with Marathon payload fields', async () => {
    const stream = await followEvents(marathon.url);
    try {
      const res = await marathon.json('POST', '/v2/apps', web);
      expect(res.status).to.equal(201);
      const deploymentId = res.headers.get('marathon-deployment-id')!;
      await eventually(() => stream.events.some((e) => e.eventType === 'deployment_success' && e.id === deploymentId), { timeoutMs: 60_000, message: 'no deployment_success' });
      const byType = (t: string) => stream.events.filter((e) => e.eventType === t);
      expect(stream.events[0]!.eventType).to.equal('event_stream_attached');
      const post = byType('api_post_event')[0]!;
      expect(post).to.include.keys('clientIp', 'uri', 'appDefinition', 'timestamp');
      expect(post.uri).to.equal('/v2/apps');
      expect((post.appDefinition as { id: string }).id).to.equal('/rolling/web');
      const info = byType('deployment_info')[0]!;
      expect((info.plan as { id: string }).id).to.equal(deploymentId);
      expect(info.currentStep).to.deep.equal({ actions: [{ action: 'StartApplication', app: '/rolling/web' }] });
      const running = byType('status_update_event').filter((e) => e.taskStatus === 'TASK_RUNNING');
      expect(running.length).to.be.at.least(4);
      expect(running[0]).to.include.keys('slaveId', 'taskId', 'taskStatus', 'message', 'appId', 'host', 'ipAddresses', 'ports', 'version', 'timestamp');
      expect(running[0]!.appId).to.equal('/rolling/web');
      const steps = byType('deployment_step_success');
      expect(steps.map((s) => (s.currentStep as { actions: Array<{ action: string }> }).actions[0]!.action)).to.deep.equal(['StartApplication', 'ScaleApplication']);
      const success = byType('deployment_success')[0]!;
      expect((success.plan as { steps: unknown[] }).steps).to.have.length(2);
      expect(byType('health_status_changed_event').filter((e) => e.alive === true).length).to.be.at.least(4);
      expect(success.timestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    } finally {
      stream.close();
    }
  });

  it('restarts rolling: healthy capacity never below half, never more than 1.5× the instances', async () => {
    await eventually(async () => (await marathon.tasks(web.id)).filter(healthy).length === 4, { timeoutMs: 30_000, message: 'not 4 healthy' });
    const before = new Set((await marathon.tasks(web.id)).map((t) => t.id));
    const watch = watchCapacity(marathon, web.id);
    const res = await marathon.json('POST', `/v2/apps${web.id}/restart`, {});
    expect(res.status).to.equal(200);
    await marathon.waitForDeployments('the restart did not finish', 90_000);
    const seen = await watch.stop();
    expect(seen.samples).to.be.greaterThan(5);
    expect(seen.minHealthy).to.be.at.least(2);
    expect(seen.maxLive).to.be.at.most(6);
    const after = await marathon.tasks(web.id);
    expect(after.filter(healthy)).to.have.length(4);
    expect(after.some((t) => before.has(t.id)), 'every task was replaced').to.equal(false);
  });

  it('a failing new version never replaces all old tasks, and DELETE on its deployment rolls back', async () => {
    const old = await marathon.tasks(web.id);
    const oldCmd = web.cmd;
    const watch = watchCapacity(marathon, web.id);
    // The new version never answers its health check.
    const res = await marathon.json('PUT', `/v2/apps${web.id}`, { cmd: 'sleep 600' });
    expect(res.status).to.equal(200);
    const { deploymentId } = res.body as { deploymentId: string };
    await eventually(async () => {
      const tasks = await marathon.tasks(web.id);
      const fresh = tasks.filter((t) => !old.some((o) => o.id === t.id));
      return fresh.length >= 2 && fresh.every((t) => t.state === 'TASK_RUNNING' && t.healthCheckResults.some((r) => (r as unknown as { consecutiveFailures: number }).consecutiveFailures >= 3));
    }, { timeoutMs: 60_000, message: 'new tasks did not run and fail their checks' });
    const during = await marathon.tasks(web.id);
    expect(during.filter((t) => old.some((o) => o.id === t.id) && healthy(t)).length).to.be.at.least(2);
    const locked = await marathon.json('PUT', `/v2/apps${web.id}`, { instances: 5 });
    expect(locked.status).to.equal(409);
    expect((locked.body as { deployments: Array<{ id: string }> }).deployments).to.deep.equal([{ id: deploymentId }]);

    const rollback = await marathon.json('DELETE', `/v2/deployments/${deploymentId}`);
    expect(rollback.status).to.equal(200);
    expect(rollback.body).to.have.keys('deploymentId', 'version');
    await marathon.waitForDeployments('the rollback did not finish', 90_000);
    const seen = await watch.stop();
    expect(seen.minHealthy).to.be.at.least(2);
    const app = ((await marathon.json('GET', `/v2/apps${web.id}`)).body as { app: { cmd: string } }).app;
    expect(app.cmd).to.equal(oldCmd);
    const after = await marathon.tasks(web.id);
    expect(after.filter(healthy)).to.have.length(4);
  });

  it('deploys a group in dependency order', async () => {
    const stream = await followEvents(marathon.url, ['status_update_event']);
    try {
      const app = (id: string, dependencies: string[]) => ({ id, cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 2, dependencies });
      const res = await marathon.json('PUT', '/v2/groups/shop', {
        id: '/shop',
        apps: [app('web', ['/shop/api']), app('db', []), app('api', ['db'])],
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      await marathon.waitForDeployments('the group did not deploy');
      const first = (appId: string, state?: string) => stream.events.findIndex((e) => e.appId === appId && (!state || e.taskStatus === state));
      const last = (appId: string, state: string) => stream.events.map((e, n) => (e.appId === appId && e.taskStatus === state ? n : -1)).reduce((a, b) => Math.max(a, b), -1);
      expect(last('/shop/db', 'TASK_RUNNING')).to.be.greaterThan(-1);
      expect(first('/shop/api')).to.be.greaterThan(last('/shop/db', 'TASK_RUNNING'));
      expect(first('/shop/web')).to.be.greaterThan(last('/shop/api', 'TASK_RUNNING'));
      const group = (await marathon.json('GET', '/v2/groups/shop')).body as { id: string; apps: Array<{ id: string; dependencies: string[] }> };
      expect(group.id).to.equal('/shop');
      expect(group.apps.map((a) => a.id)).to.deep.equal(['/shop/api', '/shop/db', '/shop/web']);
      expect(group.apps[0]!.dependencies).to.deep.equal(['/shop/db']);
    } finally {
      stream.close();
    }
  });
});
