// Marathon end to end on a real cluster (master, three agents on distinct loopback hostnames,
// real processes): POST an app, placement by constraint, tasks answering HTTP, GET → PUT round
// trip, scaling, killing a task by hand.
import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { marathonSuite } from '../support/marathon';

const WEB = {
  id: 'webserver',
  cmd: 'exec python3 -m http.server $PORT0',
  cpus: 0.5,
  mem: 32,
  instances: 3,
  constraints: [['hostname', 'GROUP_BY', '3']],
};

describe('Marathon apps on a real cluster', function () {
  this.timeout(120_000);
  const { marathon } = marathonSuite(3);

  it('POSTs the webserver app: 201, three tasks RUNNING one per host, each answering HTTP on its host port', async () => {
    const res = await marathon.json('POST', '/v2/apps', WEB);
    expect(res.status).to.equal(201);
    expect(res.headers.get('location')).to.match(/\/v2\/apps\/webserver$/);
    const deploymentId = res.headers.get('marathon-deployment-id');
    expect(deploymentId).to.be.a('string');
    const app = res.body as { id: string; deployments: Array<{ id: string }>; instances: number; portDefinitions: Array<{ port: number }> };
    expect(app.id).to.equal('/webserver');
    expect(app.deployments).to.deep.equal([{ id: deploymentId }]);
    expect(app.portDefinitions[0]!.port).to.be.within(10000, 20000);

    const tasks = await eventually(async () => {
      const running = await marathon.running('/webserver');
      return running.length === 3 ? running : undefined;
    }, { timeoutMs: 60_000, message: 'three webserver tasks did not run' });
    expect(new Set(tasks.map((t) => t.host)).size).to.equal(3);
    for (const t of tasks) {
      expect(t.ports).to.have.length(1);
      const answer = await eventually(async () => (await fetch(`http://${t.host}:${t.ports[0]}/`)).status, { message: `task ${t.id} did not answer HTTP` });
      expect(answer).to.equal(200);
    }
    await marathon.waitForDeployments();
  });

  it('accepts back, unchanged, the JSON GET returns', async () => {
    const got = (await marathon.json('GET', '/v2/apps/webserver')).body as { app: Record<string, unknown> };
    expect(got.app.tasksRunning).to.equal(3);
    const put = await marathon.json('PUT', '/v2/apps/webserver', got.app);
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body).to.have.keys('deploymentId', 'version');
    await marathon.waitForDeployments();
    const after = (await marathon.json('GET', '/v2/apps/webserver')).body as { app: Record<string, unknown> };
    for (const key of ['cmd', 'cpus', 'mem', 'instances', 'constraints', 'portDefinitions', 'healthChecks', 'upgradeStrategy']) {
      expect(after.app[key], key).to.deep.equal(got.app[key]);
    }
    expect((await marathon.running('/webserver')).length).to.equal(3);
  });
});

describe('Marathon scaling and task replacement on a real cluster', function () {
  this.timeout(120_000);
  const { cluster, marathon } = marathonSuite(2);

  it('scales up and down; scale-down kills the extra tasks', async () => {
    const app = { id: '/scaling/sleeper', cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 2 };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    await eventually(async () => (await marathon.running(app.id)).length === 2, { message: '2 instances did not run' });
    await marathon.waitForDeployments();
    const up = await marathon.json('PUT', `/v2/apps${app.id}`, { instances: 5 });
    expect(up.status).to.equal(200);
    await eventually(async () => (await marathon.running(app.id)).length === 5, { message: 'did not scale to 5' });
    await marathon.waitForDeployments();
    const got = (await marathon.json('GET', `/v2/apps${app.id}`)).body as { app: { versionInfo: { lastScalingAt: string; lastConfigChangeAt: string } } };
    expect(got.app.versionInfo.lastScalingAt > got.app.versionInfo.lastConfigChangeAt, 'a scale keeps lastConfigChangeAt').to.equal(true);
    const before = await marathon.running(app.id);
    expect((await marathon.json('PUT', `/v2/apps${app.id}`, { instances: 1 })).status).to.equal(200);
    await marathon.waitForDeployments('scale-down did not finish');
    const left = await marathon.tasks(app.id);
    expect(left).to.have.length(1);
    // YOUNGEST_FIRST: one of the first two tasks stays.
    const staged = (t: unknown): string => (t as { stagedAt: string }).stagedAt;
    const firstStaged = before.map(staged).sort()[0];
    expect(staged(before.find((t) => t.id === left[0]!.id))).to.equal(firstStaged);
    const state = await cluster.state();
    const live = state.frameworks.flatMap((f) => f.tasks).filter((t) => t.id.startsWith('scaling_sleeper') && t.state === 'TASK_RUNNING');
    expect(live.map((t) => t.id)).to.deep.equal([left[0]!.id]);
  });

  it('replaces a task whose process is killed by hand, with a backoff that grows on each failure', async () => {
    const app = { id: '/crasher', cmd: 'exec python3 -m http.server $PORT0', cpus: 0.1, mem: 32, instances: 1, backoffSeconds: 2, backoffFactor: 3 };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    const delays: number[] = [];
    let previous = '';
    for (let round = 0; round < 2; round++) {
      const [task] = await eventually(async () => {
        const running = await marathon.running(app.id);
        return running.length === 1 && running[0]!.id !== previous ? running : undefined;
      }, { timeoutMs: 30_000, message: `round ${round}: no running task` });
      previous = task!.id;
      const { execFileSync } = await import('node:child_process');
      // TASK_RUNNING comes once the shell runs; its `exec python3 …` (the only command line naming
      // the port) may come a moment later on a loaded machine: pkill until it finds it.
      await eventually(() => {
        try {
          execFileSync('pkill', ['-9', '-f', `http.server ${task!.ports[0]}`]);
          return true;
        } catch {
          return false;
        }
      }, { message: `round ${round}: no process served port ${task!.ports[0]}` });
      const entry = await eventually(async () => {
        const queue = ((await marathon.json('GET', '/v2/queue')).body as { queue: Array<{ app: { id: string }; count: number; delay: { timeLeftSeconds: number; overdue: boolean } }> }).queue;
        return queue.find((q) => q.app.id === app.id && q.delay.timeLeftSeconds > 0);
      }, { message: `round ${round}: the replacement was not delayed` });
      delays.push(entry.delay.timeLeftSeconds);
    }
    // 2 s after the first failure, 2 × 3 = 6 s after the second.
    expect(delays[0]).to.be.at.most(2);
    expect(delays[1]).to.be.within(3, 6);
    const replaced = await eventually(async () => {
      const running = await marathon.running(app.id);
      return running.length === 1 && running[0]!.id !== previous ? running[0] : undefined;
    }, { timeoutMs: 30_000, message: 'the task was not replaced' });
    expect(replaced.id).to.match(/^crasher\.instance-[0-9a-f-]+\._app\.1$/);
    const got = (await marathon.json('GET', `/v2/apps${app.id}`)).body as { app: { lastTaskFailure: { taskId: string; state: string; message: string } } };
    expect(got.app.lastTaskFailure.taskId).to.equal(previous);
    expect(got.app.lastTaskFailure.state).to.equal('TASK_FAILED');
  });
});
