// Docker apps through Marathon on a real Docker Engine (a private dockerd started by the test):
// bridge networking with host ports from the offers, limits from cpus/mem, labels tying each
// container to its agent, framework and task, Marathon's environment and volumes, a killed
// container replaced, agent recovery, serving through a rolling upgrade, COMMAND, MESOS_HTTP and
// MESOS_TCP health checks against the container, a dead executor's containers removed, scale to
// zero, and the failures (unpullable image, no engine) reported with their reasons; an unsupported
// docker parameter refused by Marathon, and failed by the executor when a framework of its own sends it.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { BUSYBOX_IMAGE, TestDocker } from '../support/docker';
import { eventually } from '../support/eventually';
import { marathonSuite } from '../support/marathon';
import { RawScheduler, type Json } from '../support/raw-scheduler';
import { removeDir, tempDir } from '../support/processes';

/** The pid of the Docker executor an agent started for a framework, found by the environment the agent gave it. */
function dockerExecutorPid(agentId: string, frameworkId: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let env: string[];
    try {
      env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
    } catch {
      continue; // gone, or not ours to read
    }
    const mine = ['MESOS_EXECUTOR_ID=tepui-docker-executor', `MESOS_SLAVE_ID=${agentId}`, `MESOS_FRAMEWORK_ID=${frameworkId}`];
    if (mine.every((v) => env.includes(v))) return Number(entry);
  }
  return undefined;
}

const scalar = (offer: Json, name: string): number => (offer.resources as Json[]).find((r) => r.name === name)?.scalar?.value ?? 0;

describe('Docker apps through Marathon on a real Docker Engine', function () {
  this.timeout(180_000);
  const dir = tempDir('docker');
  const docker = new TestDocker(dir);
  const previousHost = process.env.DOCKER_HOST;
  before(async () => {
    await docker.start();
    await docker.importBusybox();
    process.env.DOCKER_HOST = docker.host; // the agents started next inherit it
  });
  const { cluster, marathon } = marathonSuite(2);
  after(async () => {
    if (previousHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = previousHost;
    await docker.stop();
    removeDir(dir);
  });

  const web = {
    id: '/docker/web', cmd: 'httpd -f -p 80 -h /www', cpus: 0.25, mem: 32, instances: 3,
    container: { type: 'DOCKER', docker: { image: BUSYBOX_IMAGE, network: 'BRIDGE', portMappings: [{ containerPort: 80, hostPort: 0 }] } },
  };

  it('runs three containers whose host ports answer HTTP, with the limits asked for', async () => {
    const res = await marathon.json('POST', '/v2/apps', web);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const tasks = await eventually(async () => {
      const running = await marathon.running(web.id);
      return running.length === 3 ? running : undefined;
    }, { timeoutMs: 60_000, message: 'three containers did not run' });
    for (const t of tasks) {
      const body = await eventually(async () => {
        const r = await fetch(`http://${t.host}:${t.ports[0]}/`);
        return r.status === 200 ? r.text() : undefined;
      }, { message: `task ${t.id} did not answer on ${t.host}:${t.ports[0]}` });
      expect(body).to.equal('hello from busybox\n');
    }
    const containers = await docker.client.listContainers({ filters: { label: ['tepui.task_id'] } });
    expect(containers.map((c) => c.Labels['tepui.task_id']).sort()).to.deep.equal(tasks.map((t) => t.id).sort());
    for (const c of containers) {
      const info = await docker.client.getContainer(c.Id).inspect();
      expect(info.HostConfig.Memory).to.equal(32 * 1024 * 1024);
      expect(info.HostConfig.CpuQuota).to.equal(25_000);
      expect(info.HostConfig.CpuPeriod).to.equal(100_000);
      expect(info.HostConfig.CpuShares).to.equal(256);
      expect(c.Labels['tepui.framework_id']).to.be.a('string').and.not.equal('');
      expect(c.Labels['tepui.agent_id']).to.equal(tasks.find((t) => t.id === c.Labels['tepui.task_id'])!.slaveId);
    }
    await marathon.waitForDeployments();
  });

  it('fails a task whose container process is killed, and Marathon replaces it', async () => {
    const [victim] = await marathon.running(web.id);
    const [container] = await docker.client.listContainers({ filters: { label: [`tepui.task_id=${victim!.id}`] } });
    await docker.client.getContainer(container!.Id).kill({ signal: 'SIGKILL' });
    const failure = await eventually(async () => {
      const app = ((await marathon.json('GET', `/v2/apps${web.id}`)).body as { app: { lastTaskFailure?: { taskId: string; state: string; message: string } } }).app;
      return app.lastTaskFailure?.taskId === victim!.id ? app.lastTaskFailure : undefined;
    }, { timeoutMs: 30_000, message: 'the killed container was not reported' });
    expect(failure.state).to.equal('TASK_FAILED');
    expect(failure.message).to.equal('Container exited with status 137');
    await eventually(async () => {
      const running = await marathon.running(web.id);
      return running.length === 3 && !running.some((t) => t.id === victim!.id);
    }, { timeoutMs: 30_000, message: 'the failed container was not replaced' });
  });

  it('keeps the containers through an agent kill -9 and restart, and removes containers of unknown tasks', async () => {
    const running = await marathon.running(web.id);
    const before = running.map((t) => t.id).sort();
    // The agent that runs the first task (placement decides which).
    const agentId = running[0]!.slaveId;
    const port = Number((await cluster.state()).slaves.find((s) => s.id === agentId)!.pid.split(':').pop());
    const agent = cluster.agents.find((a) => a.port === port)!;
    const mine = (await docker.client.listContainers({ filters: { label: [`tepui.agent_id=${agentId}`] } })).map((c) => c.Id).sort();
    expect(mine.length).to.be.greaterThan(0);
    await agent.process.kill9();
    // A container of this agent whose task nobody knows, as a crashed executor would leave behind.
    const orphan = await docker.client.createContainer({ Image: BUSYBOX_IMAGE, Cmd: ['sleep', '3600'], Labels: { 'tepui.agent_id': agentId, 'tepui.task_id': 'nobody.knows' } });
    await orphan.start();
    await cluster.restartAgent(agent.index);
    await eventually(async () => (await docker.client.listContainers({ all: true, filters: { label: ['tepui.task_id=nobody.knows'] } })).length === 0, {
      timeoutMs: 30_000, message: 'the orphan container was not removed',
    });
    const after = (await docker.client.listContainers({ filters: { label: [`tepui.agent_id=${agentId}`] } })).map((c) => c.Id).sort();
    expect(after, 'the same containers keep running').to.deep.equal(mine);
    await eventually(async () => {
      const state = await cluster.state();
      return state.slaves.find((s) => s.id === agentId)?.active === true;
    }, { message: 'the agent did not re-register' });
    expect((await marathon.running(web.id)).map((t) => t.id).sort()).to.deep.equal(before);
  });

  it('keeps serving through a rolling upgrade with HTTP health checks', async () => {
    const id = '/docker/rolling';
    const app = {
      ...web, id, instances: 2,
      healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 5, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 3 }],
    };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    await marathon.waitForDeployments('the app did not become healthy', 60_000);
    let ok = 0;
    const failures: string[] = [];
    let looping = true;
    const loop = (async () => {
      while (looping) {
        const healthy = (await marathon.tasks(id)).filter((t) => t.state === 'TASK_RUNNING' && t.healthCheckResults.length > 0 && t.healthCheckResults.every((r) => r.alive));
        for (const t of healthy) {
          try {
            const r = await fetch(`http://${t.host}:${t.ports[0]}/`, { signal: AbortSignal.timeout(2000) });
            if (r.status === 200) ok += 1;
            else failures.push(`${t.id}: HTTP ${r.status}`);
          } catch (err) {
            failures.push(`${t.id}: ${(err as Error).message}`);
          }
        }
      }
    })();
    const restart = await marathon.json('POST', `/v2/apps${id}/restart`);
    expect(restart.status).to.equal(200);
    await marathon.waitForDeployments('the rolling upgrade did not finish', 90_000);
    looping = false;
    await loop;
    expect(failures, failures.join('; ')).to.deep.equal([]);
    expect(ok).to.be.greaterThan(20);
    expect((await marathon.json('DELETE', `/v2/apps${id}`)).status).to.equal(200);
    await marathon.waitForDeployments();
  });

  it('takes the 1.5+ form (networks + container.portMappings), mounts volumes, fetches URIs into the sandbox and sets Marathon’s environment', async () => {
    const hostDir = tempDir('docker-volume');
    const artifactDir = tempDir('docker-artifact');
    writeFileSync(join(artifactDir, 'fetched.txt'), 'fetched into the sandbox\n');
    const app = {
      id: '/docker/env', cpus: 0.1, mem: 16, instances: 1,
      // A relative hostPath is a directory of the task's sandbox (mounted at /mnt/mesos/sandbox), as in Mesos.
      cmd: 'env > /www/env.txt; echo written > /data/hello; echo relative > /rel/hello; cp /mnt/mesos/sandbox/rel-data/hello /www/rel.txt; cp /mnt/mesos/sandbox/fetched.txt /www/; exec httpd -f -p 8080 -h /www',
      // Cached: as root the sandbox is an overlay mount over the fetched file, which Docker binds in.
      fetch: [{ uri: `file://${join(artifactDir, 'fetched.txt')}`, cache: true }],
      networks: [{ mode: 'container/bridge' }],
      container: {
        type: 'DOCKER', docker: { image: BUSYBOX_IMAGE, parameters: [{ key: 'label', value: 'team=web' }] },
        portMappings: [{ containerPort: 8080, hostPort: 0, name: 'http' }],
        volumes: [{ containerPath: '/data', hostPath: hostDir, mode: 'RW' }, { containerPath: '/rel', hostPath: 'rel-data', mode: 'RW' }],
      },
      labels: { tier: 'front' },
    };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    const [task] = await eventually(async () => {
      const running = await marathon.running(app.id);
      return running.length === 1 ? running : undefined;
    }, { timeoutMs: 60_000, message: 'the app did not run' });
    const env = await eventually(async () => {
      const r = await fetch(`http://${task!.host}:${task!.ports[0]}/env.txt`);
      return r.status === 200 ? r.text() : undefined;
    }, { message: 'env.txt not served' });
    expect(env).to.include(`PORT0=${task!.ports[0]}`);
    expect(env).to.include(`HOST=${task!.host}`);
    expect(env).to.include('MARATHON_APP_ID=/docker/env');
    expect(env).to.include('MARATHON_APP_LABEL_TIER=front');
    expect(env).to.include(`MESOS_TASK_ID=${task!.id}`);
    expect(readFileSync(join(hostDir, 'hello'), 'utf8')).to.equal('written\n');
    const rel = await fetch(`http://${task!.host}:${task!.ports[0]}/rel.txt`);
    expect(rel.status, 'the relative hostPath is not the sandbox directory rel-data').to.equal(200);
    expect(await rel.text()).to.equal('relative\n');
    const fetched = await fetch(`http://${task!.host}:${task!.ports[0]}/fetched.txt`);
    expect(fetched.status, 'the fetched URI is not in the task sandbox').to.equal(200);
    expect(await fetched.text()).to.equal('fetched into the sandbox\n');
    const [container] = await docker.client.listContainers({ filters: { label: [`tepui.task_id=${task!.id}`] } });
    expect(container!.Labels.team).to.equal('web');
    expect((await marathon.json('DELETE', `/v2/apps${app.id}`)).status).to.equal(200);
    await marathon.waitForDeployments();
    removeDir(hostDir);
    removeDir(artifactDir);
  });

  it('refuses an app whose docker parameter Tepui does not support with a 422 naming it; a framework of its own gets TASK_FAILED naming it', async () => {
    const parameters = [{ key: 'label', value: 'team=web' }, { key: 'cpuset-cpus', value: '0' }];
    const app = { id: '/docker/badparam', cmd: 'sleep 60', cpus: 0.1, mem: 16, container: { type: 'DOCKER', docker: { image: BUSYBOX_IMAGE, parameters } } };
    const res = await marathon.json('POST', '/v2/apps', app);
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    const detail = (res.body as { details: Array<{ path: string; errors: string[] }> }).details.find((d) => d.path === '/container/docker/parameters(1)/key');
    expect(detail?.errors.join(), JSON.stringify(res.body)).to.include("Tepui does not support the docker parameter 'cpuset-cpus' yet");
    expect((await marathon.json('GET', `/v2/apps${app.id}`)).status).to.equal(404);

    // A raw Mesos framework can still send any key: the Docker executor fails that task, naming it.
    const scheduler = new RawScheduler(cluster.masterUrl, true);
    await scheduler.subscribe({ user: 'root', name: 'docker-badparam' });
    try {
      const fits = (offer: Json): boolean => scalar(offer, 'cpus') >= 0.1 && scalar(offer, 'mem') >= 16;
      const offers = await scheduler.next((e) => e.type === 'OFFERS' && e.offers.offers.some(fits), 'no offer with room for the task');
      const offer = (offers.offers.offers as Json[]).find(fits)!;
      const task = {
        name: 'badparam', task_id: { value: 'badparam' }, agent_id: offer.agent_id, command: { value: 'sleep 60' },
        resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 16 } }],
        container: { type: 'DOCKER', docker: { image: BUSYBOX_IMAGE, network: 'HOST', parameters } },
      };
      const accepted = await scheduler.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } });
      expect(accepted.status).to.equal(202);
      const failed = await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === 'badparam' && e.update.status.state === 'TASK_FAILED', 'the task did not fail', 30_000);
      expect(failed.update.status).to.include({ reason: 'REASON_TASK_INVALID' });
      expect(failed.update.status.message).to.include("unsupported docker parameter 'cpuset-cpus'");
    } finally {
      await scheduler.call({ type: 'TEARDOWN' });
      scheduler.disconnect();
    }
  });

  it('keeps an app whose fixed host port no agent offers waiting, with the reason in the queue', async () => {
    const app = { ...web, id: '/docker/noport', instances: 1, container: { type: 'DOCKER', docker: { image: BUSYBOX_IMAGE, network: 'BRIDGE', portMappings: [{ containerPort: 80, hostPort: 45999 }] } } };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    const entry = await eventually(async () => {
      const queue = ((await marathon.json('GET', '/v2/queue')).body as { queue: Array<{ app: { id: string }; count: number; processedOffersSummary: { rejectSummaryLastOffers: Array<{ reason: string; declined: number }> } }> }).queue;
      // Marathon's funnel counts an offer at its first failed check: an agent other apps left short
      // of cpus counts there, so wait for an agent's offer that fails on the port.
      return queue.find((q) => q.app.id === app.id && q.processedOffersSummary.rejectSummaryLastOffers.some((r) => r.reason === 'InsufficientPorts' && r.declined > 0));
    }, { message: 'no queue entry with a reason' });
    expect(entry.count).to.equal(1);
    expect(entry.processedOffersSummary.rejectSummaryLastOffers.filter((r) => r.declined > 0).map((r) => r.reason)).to.include('InsufficientPorts');
    expect((await marathon.json('DELETE', `/v2/apps${app.id}?force=true`)).status).to.equal(200);
    await marathon.waitForDeployments();
  });

  it('runs COMMAND health checks inside the container: healthy, and failing ones kill the task', async () => {
    const check = (command: string) => [{ protocol: 'COMMAND', command: { value: command }, gracePeriodSeconds: 1, intervalSeconds: 1, timeoutSeconds: 2, delaySeconds: 0, maxConsecutiveFailures: 2 }];
    const good = { id: '/docker/checked', cmd: 'sleep 600', cpus: 0.1, mem: 16, container: { type: 'DOCKER', docker: { image: BUSYBOX_IMAGE } }, healthChecks: check('cat /www/index.html') };
    const bad = { ...good, id: '/docker/sick', healthChecks: check('cat /not-there') };
    expect((await marathon.json('PUT', '/v2/apps', [good, bad])).status).to.equal(200);
    await eventually(async () => ((await marathon.json('GET', '/v2/apps/docker/checked')).body as { app: { tasksHealthy: number } }).app.tasksHealthy === 1, {
      timeoutMs: 30_000, message: 'the in-container check never reported healthy',
    });
    const killed = await eventually(async () => {
      const state = await cluster.state();
      return state.frameworks.flatMap((f) => f.completed_tasks).find((t) => t.id.startsWith('docker_sick.') && t.state === 'TASK_KILLED');
    }, { timeoutMs: 30_000, message: 'the failing in-container check did not kill the task' });
    expect(killed.state).to.equal('TASK_KILLED');
    for (const id of ['/docker/checked', '/docker/sick']) await marathon.json('DELETE', `/v2/apps${id}?force=true`);
    await marathon.waitForDeployments().catch(async (err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify((await marathon.json('GET', '/v2/deployments')).body)} tasks ${JSON.stringify((await marathon.json('GET', '/v2/tasks')).body)}`);
    });
  });

  it('runs MESOS_HTTP and MESOS_TCP checks against the container (bridge: its address and container port; host network: the host port)', async () => {
    const check = (protocol: string, extra: object = {}) => [{ protocol, portIndex: 0, gracePeriodSeconds: 5, intervalSeconds: 1, timeoutSeconds: 1, delaySeconds: 0, maxConsecutiveFailures: 2, ...extra }];
    const bridged = { ...web, id: '/docker/mesos-http', instances: 1, healthChecks: check('MESOS_HTTP', { path: '/' }) };
    const hosted = {
      id: '/docker/mesos-tcp', cmd: 'exec httpd -f -p $PORT0 -h /www', cpus: 0.1, mem: 16, instances: 1, portDefinitions: [{ port: 0 }],
      container: { type: 'DOCKER', docker: { image: BUSYBOX_IMAGE, network: 'HOST' } }, healthChecks: check('MESOS_TCP'),
    };
    const sick = { ...bridged, id: '/docker/mesos-http-sick', healthChecks: check('MESOS_HTTP', { path: '/missing', gracePeriodSeconds: 1 }) };
    const put = await marathon.json('PUT', '/v2/apps', [bridged, hosted, sick]);
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    try {
      for (const id of [bridged.id, hosted.id]) {
        await eventually(async () => ((await marathon.json('GET', `/v2/apps${id}`)).body as { app: { tasksHealthy: number } }).app.tasksHealthy === 1, {
          timeoutMs: 30_000, message: `${id} never reported healthy`,
        });
      }
      const killed = await eventually(async () => {
        const state = (await (await fetch(`${cluster.masterUrl}/master/state`)).json()) as { frameworks: Array<{ completed_tasks: Array<{ id: string; state: string; statuses: Array<{ state: string; healthy?: boolean }> }> }> };
        return state.frameworks.flatMap((f) => f.completed_tasks).find((t) => t.id.startsWith('docker_mesos-http-sick.') && t.state === 'TASK_KILLED');
      }, { timeoutMs: 30_000, message: 'the failing MESOS_HTTP check did not kill the task' });
      expect(killed.statuses.at(-1)).to.include({ state: 'TASK_KILLED', healthy: false });
    } finally {
      for (const id of [bridged.id, hosted.id, sick.id]) await marathon.json('DELETE', `/v2/apps${id}?force=true`);
      await marathon.waitForDeployments();
    }
  });

  it('removes the containers of a Docker executor that died, and Marathon replaces their tasks', async () => {
    const running = await marathon.running(web.id);
    const agentId = running[0]!.slaveId;
    const doomed = running.filter((t) => t.slaveId === agentId).map((t) => t.id);
    const frameworkId = ((await marathon.json('GET', '/v2/info')).body as { frameworkId: string }).frameworkId;
    const pid = dockerExecutorPid(agentId, frameworkId);
    expect(pid, `no Docker executor process of agent ${agentId}`).to.be.a('number');
    process.kill(pid!, 'SIGKILL');
    await eventually(async () => {
      const left = (await docker.client.listContainers({ all: true, filters: { label: [`tepui.agent_id=${agentId}`] } })).map((c) => c.Labels['tepui.task_id']);
      return doomed.every((id) => !left.includes(id));
    }, { timeoutMs: 30_000, message: 'the containers of the dead executor were not removed' });
    await eventually(async () => {
      const now = await marathon.running(web.id);
      return now.length === 3 && !now.some((t) => doomed.includes(t.id));
    }, { timeoutMs: 60_000, message: 'the tasks of the dead executor were not replaced' });
  });

  it('removes the containers when the app is scaled to zero', async () => {
    expect((await marathon.json('PUT', `/v2/apps${web.id}`, { instances: 0 })).status).to.equal(200);
    await marathon.waitForDeployments('scale to 0 did not finish');
    await eventually(async () => (await docker.client.listContainers({ all: true, filters: { label: ['tepui.task_id'] } })).length === 0, {
      timeoutMs: 30_000, message: 'containers left after scaling to 0',
    });
  });

  it('fails the task of an image that cannot be pulled, saying so, and nothing else stops', async () => {
    const res = await marathon.json('POST', '/v2/apps', { ...web, id: '/docker/missing', instances: 1, container: { type: 'DOCKER', docker: { image: 'tepui.invalid/nothing:1', network: 'HOST' } } });
    expect(res.status).to.equal(201);
    const failure = await eventually(async () => {
      const app = ((await marathon.json('GET', '/v2/apps/docker/missing')).body as { app: { lastTaskFailure?: { state: string; message: string } } }).app;
      return app.lastTaskFailure;
    }, { timeoutMs: 60_000, message: 'no task failure recorded' });
    expect(failure.state).to.equal('TASK_FAILED');
    expect(failure.message).to.match(/Failed to pull image 'tepui\.invalid\/nothing:1'/);
    expect((await fetch(`${marathon.url}/ping`)).status).to.equal(200);
    expect((await marathon.json('DELETE', '/v2/apps/docker/missing')).status).to.equal(200);
  });
});

describe('DOCKER tasks on agents without a Docker Engine', function () {
  this.timeout(60_000);
  const previousHost = process.env.DOCKER_HOST;
  before(() => {
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
  });
  const { cluster, marathon } = marathonSuite(1);
  after(() => {
    if (previousHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = previousHost;
  });

  it('fails them with the reason, and says so in the agent state', async () => {
    const state = (await (await fetch(`http://127.0.0.1:${cluster.agents[0]!.port}/state`)).json()) as { docker: { available: boolean; error: string } };
    expect(state.docker.available).to.equal(false);
    expect(state.docker.error).to.include('/nonexistent/docker.sock');
    const app = { id: '/nodocker', cmd: 'true', cpus: 0.1, mem: 16, container: { type: 'DOCKER', docker: { image: BUSYBOX_IMAGE } } };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    const failure = await eventually(async () => ((await marathon.json('GET', '/v2/apps/nodocker')).body as { app: { lastTaskFailure?: { message: string } } }).app.lastTaskFailure, {
      timeoutMs: 30_000, message: 'no failure recorded',
    });
    expect(failure.message).to.match(/^Docker is not available on this agent: no Docker Engine at unix:\/\/\/nonexistent\/docker\.sock/);
  });
});
