// kill -9 Marathon in the middle of a rolling restart and start it again: it resubscribes with its
// framework id, reconciles, resumes the stored deployment, and ends with exactly the instances
// asked for — none lost, none duplicated.
import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { marathonSuite } from '../support/marathon';

describe('Marathon restarted mid-deployment', function () {
  this.timeout(180_000);
  const { cluster, marathon } = marathonSuite(2);
  const app = {
    id: '/failover/web', cmd: 'exec python3 -m http.server $PORT0', cpus: 0.1, mem: 32, instances: 6,
    healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 10, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 10 }],
    // One at a time, so the restart is still running when Marathon dies.
    upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 0 },
  };

  it('finishes the deployment after kill -9 and a restart, without losing or duplicating a task', async () => {
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    await marathon.waitForDeployments('the app did not start', 60_000);
    const frameworkId = ((await marathon.json('GET', '/v2/info')).body as { frameworkId: string }).frameworkId;
    const restart = await marathon.json('POST', `/v2/apps${app.id}/restart`, {});
    expect(restart.status).to.equal(200);
    const { version } = restart.body as { version: string };
    // Wait until the restart has replaced some but not all tasks.
    await eventually(async () => (await marathon.tasks(app.id)).some((t) => t.version === version && t.state === 'TASK_RUNNING'), { timeoutMs: 30_000, message: 'no new task ran' });
    await marathon.process.kill9();

    await marathon.start();
    expect(((await marathon.json('GET', '/v2/info')).body as { frameworkId: string }).frameworkId).to.equal(frameworkId);
    await marathon.waitForDeployments('the resumed deployment did not finish', 120_000);
    const tasks = await marathon.tasks(app.id);
    expect(tasks).to.have.length(6);
    expect(tasks.every((t) => t.version === version && t.state === 'TASK_RUNNING')).to.equal(true);
    // Mesos agrees: exactly these six tasks run for Marathon's framework.
    await eventually(async () => {
      const state = await cluster.state();
      const live = state.frameworks.filter((f) => f.id === frameworkId).flatMap((f) => f.tasks).filter((t) => t.state === 'TASK_RUNNING' || t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING');
      return live.length === 6 && live.every((t) => tasks.some((m) => m.id === t.id));
    }, { timeoutMs: 30_000, message: 'Mesos does not run exactly Marathon’s six tasks' });
  });
});
