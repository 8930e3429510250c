// Health checks through Marathon on a real cluster: COMMAND, MESOS_HTTP and MESOS_TCP checks run
// by the executor and reported in status updates (a failing one kills the task), and a
// Marathon-side HTTP check whose failures get the task killed and replaced, with Marathon's events.
import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { followEvents, marathonSuite } from '../support/marathon';

/** A task the master lists as completed, with the states and health of its updates. */
async function completedTask(masterUrl: string, taskId: string): Promise<{ id: string; state: string; statuses: Array<{ state: string; healthy?: boolean }> } | undefined> {
  type Task = { id: string; state: string; statuses: Array<{ state: string; healthy?: boolean }> };
  const state = (await (await fetch(`${masterUrl}/master/state`)).json()) as { frameworks: Array<{ completed_tasks: Task[] }> };
  return state.frameworks.flatMap((f) => f.completed_tasks).find((t) => t.id === taskId);
}

describe('Marathon health checks on a real cluster', function () {
  this.timeout(120_000);
  const { cluster, marathon } = marathonSuite(2);

  it('counts tasks healthy from a COMMAND check the executor runs', async () => {
    const app = {
      id: '/health/command', cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 2,
      healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' }, gracePeriodSeconds: 5, intervalSeconds: 1, timeoutSeconds: 1, delaySeconds: 0 }],
    };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    await eventually(async () => {
      const got = (await marathon.json('GET', '/v2/apps/health/command')).body as { app: { tasksHealthy: number } };
      return got.app.tasksHealthy === 2;
    }, { timeoutMs: 30_000, message: 'COMMAND health never reported healthy' });
    await marathon.waitForDeployments();
  });

  it('kills and replaces a task that keeps failing its HTTP check, with Marathon’s events', async () => {
    const stream = await followEvents(marathon.url, ['failed_health_check_event', 'unhealthy_instance_kill_event', 'health_status_changed_event']);
    try {
      const app = {
        id: '/health/http', cmd: 'exec python3 -m http.server $PORT0', cpus: 0.1, mem: 32, instances: 1,
        healthChecks: [{ protocol: 'HTTP', path: '/missing', portIndex: 0, gracePeriodSeconds: 1, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 2 }],
      };
      expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
      const first = await eventually(async () => (await marathon.running(app.id))[0], { message: 'no task ran' });
      const kill = await eventually(() => stream.events.find((e) => e.eventType === 'unhealthy_instance_kill_event'), { timeoutMs: 30_000, message: 'no unhealthy_instance_kill_event' });
      expect(kill).to.include({ appId: app.id, taskId: first.id, host: first.host, slaveId: first.slaveId });
      expect(kill.reason).to.match(/404/);
      const failed = stream.events.filter((e) => e.eventType === 'failed_health_check_event');
      expect(failed.length).to.be.at.least(3);
      expect(failed[0]).to.include.keys('appId', 'taskId', 'healthCheck');
      await eventually(async () => {
        const running = await marathon.running(app.id);
        return running.length === 1 && running[0]!.id !== first.id;
      }, { timeoutMs: 30_000, message: 'the unhealthy task was not replaced' });
      const state = await cluster.state();
      const task = state.frameworks.flatMap((f) => [...f.tasks, ...f.completed_tasks]).find((t) => t.id === first.id);
      expect(task?.state).to.equal('TASK_KILLED');
    } finally {
      stream.close();
      // Never healthy, so its deployment would never end: remove it for the tests that follow.
      await marathon.json('DELETE', '/v2/apps/health/http?force=true');
    }
  });

  it('counts tasks healthy from MESOS_HTTP and MESOS_TCP checks the command executor runs against the task port', async () => {
    const check = (protocol: string, extra: object = {}) => [{ protocol, portIndex: 0, gracePeriodSeconds: 5, intervalSeconds: 1, timeoutSeconds: 1, delaySeconds: 0, ...extra }];
    const apps = [
      { id: '/health/mesos-http', cmd: 'exec python3 -m http.server $PORT0', cpus: 0.1, mem: 32, instances: 1, healthChecks: check('MESOS_HTTP', { path: '/' }) },
      { id: '/health/mesos-tcp', cmd: 'exec python3 -m http.server $PORT0', cpus: 0.1, mem: 32, instances: 1, healthChecks: check('MESOS_TCP') },
    ];
    expect((await marathon.json('PUT', '/v2/apps', apps)).status).to.equal(200);
    for (const app of apps) {
      await eventually(async () => ((await marathon.json('GET', `/v2/apps${app.id}`)).body as { app: { tasksHealthy: number } }).app.tasksHealthy === 1, {
        timeoutMs: 30_000, message: `${app.id} never reported healthy`,
      });
    }
    await marathon.waitForDeployments();
    for (const app of apps) expect((await marathon.json('DELETE', `/v2/apps${app.id}`)).status).to.equal(200);
    await marathon.waitForDeployments();
  });

  it('kills and replaces a task whose MESOS_HTTP check keeps failing, reported unhealthy by the executor', async () => {
    const app = {
      id: '/health/mesos-http-sick', cmd: 'exec python3 -m http.server $PORT0', cpus: 0.1, mem: 32, instances: 1,
      healthChecks: [{ protocol: 'MESOS_HTTP', path: '/missing', portIndex: 0, gracePeriodSeconds: 1, intervalSeconds: 1, timeoutSeconds: 1, delaySeconds: 0, maxConsecutiveFailures: 2 }],
    };
    try {
      expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
      const first = await eventually(async () => (await marathon.running(app.id))[0], { message: 'no task ran' });
      const killed = await eventually(async () => {
        const task = await completedTask(cluster.masterUrl, first.id);
        return task?.state === 'TASK_KILLED' ? task : undefined;
      }, { timeoutMs: 30_000, message: 'the failing MESOS_HTTP check did not kill the task' });
      expect(killed.statuses.at(-1)).to.include({ state: 'TASK_KILLED', healthy: false });
      await eventually(async () => (await marathon.running(app.id)).some((t) => t.id !== first.id), { timeoutMs: 30_000, message: 'the killed task was not replaced' });
    } finally {
      await marathon.json('DELETE', `/v2/apps${app.id}?force=true`);
      await marathon.waitForDeployments();
    }
  });

  it('holds a deployment until the new task passes its readiness check, and shows the results', async () => {
    const app = {
      id: '/health/ready', cpus: 0.1, mem: 32, instances: 1, portDefinitions: [{ port: 0, name: 'http' }],
      // The task serves its sandbox; ready.txt appears three seconds after it starts.
      cmd: '(sleep 3; echo ok > ready.txt) & exec python3 -m http.server $PORT0',
      readinessChecks: [{ name: 'file', protocol: 'HTTP', path: '/ready.txt', portName: 'http', intervalSeconds: 2, timeoutSeconds: 1, preserveLastResponse: true }],
    };
    const res = await marathon.json('POST', '/v2/apps', app);
    expect(res.status).to.equal(201);
    const deploymentId = res.headers.get('marathon-deployment-id');
    type Results = Array<{ name: string; taskId: string; ready: boolean; lastResponse?: { status: number } }>;
    const results = async (): Promise<Results> => ((await marathon.json('GET', '/v2/apps/health/ready?embed=app.readiness')).body as { app: { readinessCheckResults: Results } }).app.readinessCheckResults;
    const notReady = await eventually(async () => (await results()).find((r) => r.lastResponse?.status === 404), { message: 'no failed readiness result' });
    expect(notReady).to.include({ name: 'file', ready: false });
    const deployments = (await marathon.json('GET', '/v2/deployments')).body as Array<{ id: string; currentActions: Array<{ app: string; readinessCheckResults: Results }> }>;
    const ours = deployments.find((d) => d.id === deploymentId);
    expect(ours, 'the deployment waits for readiness').to.not.equal(undefined);
    expect(ours!.currentActions[0]!.readinessCheckResults.map((r) => r.taskId)).to.deep.equal([notReady.taskId]);
    await eventually(async () => !((await marathon.json('GET', '/v2/deployments')).body as Array<{ id: string }>).some((d) => d.id === deploymentId), {
      timeoutMs: 30_000, message: 'the deployment did not finish once ready',
    });
    const [done] = await results();
    expect(done).to.include({ name: 'file', ready: true, taskId: notReady.taskId });
    expect(done!.lastResponse!.status).to.equal(200);
  });

  it('registered as the framework `marathon` with a week-long failover timeout and checkpointing', async () => {
    const info = (await marathon.json('GET', '/v2/info')).body as { frameworkId: string };
    const state = (await (await fetch(`${cluster.masterUrl}/master/state`)).json()) as { frameworks: Array<{ id: string; name: string; failover_timeout: number; checkpoint: boolean; capabilities: string[] }> };
    const fw = state.frameworks.find((f) => f.id === info.frameworkId)!;
    expect(fw).to.include({ name: 'marathon', failover_timeout: 604800, checkpoint: true });
    expect(fw.capabilities).to.include('PARTITION_AWARE');
  });
});
