// Two Marathons electing their leader through a real 3-node ZooKeeper ensemble, over 3 masters and
// 3 agents that elect theirs there too: the latch and state znodes, the standby's proxying, kill -9
// of the leading Marathon mid rolling restart (the standby's clients see the leader's answers
// throughout), a paused deposed leader, the loss and return of the ZooKeeper quorum, kill -9 of the
// leading master under Marathon and an SDK framework, and one with an agent that never comes back.
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { ZkSession, candidatesInOrder, marathonLatchCodec, parseZkUrl } from '@tepui/coordination';
import { eventually } from '../support/eventually';
import { HaCluster, type HaMarathon } from '../support/ha-cluster';
import { REPO_ROOT } from '../support/processes';
import type { MarathonTask } from '../support/marathon';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface AppJson {
  id: string;
  instances: number;
  tasksRunning: number;
  version: string;
}

describe('Marathon high availability (real ZooKeeper ensemble, 3 masters, 3 agents, 2 Marathons)', function () {
  this.timeout(240_000);
  let cluster: HaCluster;
  let failed = false;

  before(async () => {
    cluster = await new HaCluster({ masters: 3, agents: 3, marathons: 2, sessionTimeout: '2secs', masterFlags: ['--agent_reregister_timeout=6secs'] }).start();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async () => {
    if (failed) process.stdout.write(cluster?.logs() ?? '');
    await cluster?.stop();
  });

  const call = async (m: HaMarathon, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${m.url}${path}`, {
      method, headers: { 'Content-Type': 'application/json' }, signal: AbortSignal.timeout(15_000),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as unknown };
  };
  const standbyOf = (leader: HaMarathon): HaMarathon => cluster.marathons.find((m) => m !== leader)!;
  const tasksOf = async (m: HaMarathon, id: string): Promise<MarathonTask[]> => ((await call(m, 'GET', `/v2/apps${id}/tasks`)).body as { tasks: MarathonTask[] }).tasks;
  const liveMesosTasks = async (frameworkId: string) => {
    const state = await cluster.state(await cluster.leader());
    return state.frameworks.filter((f) => f.id === frameworkId).flatMap((f) => f.tasks)
      .filter((t) => ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING'].includes(t.state));
  };
  const ensureStandbyRuns = async () => {
    for (const m of cluster.marathons) if (m.process.exited) cluster.startMarathon(m);
    await eventually(async () => {
      for (const m of cluster.marathons) if (!(await cluster.marathonHealth(m).catch(() => undefined))?.healthy) return false;
      return true;
    }, { timeoutMs: 60_000, message: 'both Marathons did not come up healthy' });
  };

  it('elects one Marathon in /marathon/leader, keeps its state in /marathon/state; the standby proxies to it', async () => {
    const leader = await cluster.marathonLeader();
    const standby = standbyOf(leader);
    const session = await ZkSession.connect(parseZkUrl(cluster.zk.url('/')), { sessionTimeoutMs: 4000, log: quiet });
    try {
      await eventually(async () => candidatesInOrder(marathonLatchCodec, await session.children('/marathon/leader')).length === 2, { message: 'two latch nodes' });
      const latches = candidatesInOrder(marathonLatchCodec, await session.children('/marathon/leader'));
      expect((await session.get(`/marathon/leader/${latches[0]}`)).data.toString()).to.equal(`127.0.0.1:${leader.port}`);
      const info = (await call(leader, 'GET', '/v2/info')).body as { frameworkId: string; marathon_config: { ha: boolean }; zookeeper_config: { zk: string } };
      expect(info.marathon_config.ha).to.equal(true);
      expect(info.zookeeper_config.zk).to.equal(cluster.zk.url('/marathon'));
      expect(JSON.parse((await session.get('/marathon/state/framework-id')).data.toString())).to.equal(info.frameworkId);
    } finally {
      session.close();
    }
    const viaStandby = await call(standby, 'POST', '/v2/apps', { id: '/ha/first', cmd: 'sleep 1000', cpus: 0.1, mem: 16, instances: 0 });
    expect(viaStandby.status).to.equal(201);
    expect(viaStandby.headers.get('x-marathon-leader')).to.equal(`http://127.0.0.1:${leader.port}`);
    expect(((await call(standby, 'GET', '/v2/leader')).body as { leader: string }).leader).to.equal(`127.0.0.1:${leader.port}`);
    expect(await cluster.marathonHealth(standby)).to.deep.include({ healthy: true, elected: false, leader: `127.0.0.1:${leader.port}` });
  });

  it('kill -9 of the leading Marathon mid rolling restart: the standby takes over and finishes it with exactly the target instances; its clients get the leader’s answers throughout', async () => {
    const app = {
      id: '/ha/web', cmd: 'exec python3 -m http.server $PORT0', cpus: 0.1, mem: 32, instances: 4,
      healthChecks: [{ protocol: 'MESOS_HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 15, delaySeconds: 0, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 10 }],
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 0 },
    };
    const leader = await cluster.marathonLeader();
    const standby = standbyOf(leader);
    expect((await call(standby, 'POST', '/v2/apps', app)).status).to.equal(201);
    await eventually(async () => ((await call(standby, 'GET', '/v2/deployments')).body as unknown[]).length === 0, { timeoutMs: 90_000, message: 'the app did not start' });
    const frameworkId = ((await call(leader, 'GET', '/v2/info')).body as { frameworkId: string }).frameworkId;

    const restart = await call(standby, 'POST', `/v2/apps${app.id}/restart`, {});
    expect(restart.status).to.equal(200);
    const { version } = restart.body as { version: string };
    await eventually(async () => (await tasksOf(standby, app.id)).some((t) => t.version === version && t.state === 'TASK_RUNNING'), { timeoutMs: 60_000, message: 'no new task ran' });

    // A client of the standby keeps asking throughout.
    const answers: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        answers.push(await call(standby, 'GET', `/v2/apps${app.id}`).then((r) => r.status, () => -1));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await leader.process.kill9();
    const next = await cluster.marathonLeader();
    expect(next).to.equal(standby);
    await eventually(async () => ((await call(next, 'GET', '/v2/deployments')).body as unknown[]).length === 0, { timeoutMs: 120_000, message: 'the resumed deployment did not finish' });
    polling = false;
    await poller;

    expect(((await call(next, 'GET', '/v2/info')).body as { frameworkId: string }).frameworkId).to.equal(frameworkId);
    const tasks = await tasksOf(next, app.id);
    expect(tasks).to.have.length(4);
    expect(tasks.every((t) => t.version === version && t.state === 'TASK_RUNNING')).to.equal(true);
    await eventually(async () => {
      const live = await liveMesosTasks(frameworkId);
      return live.filter((t) => t.id.startsWith('ha_web.')).length === 4 && tasks.every((m) => live.some((t) => t.id === m.id));
    }, { timeoutMs: 30_000, message: 'Mesos does not run exactly the app’s four tasks' });
    expect(answers.length).to.be.greaterThan(5);
    expect(answers.filter((s) => s !== 200), `answers: ${answers.join(',')}`).to.deep.equal([]);
    await ensureStandbyRuns();
  });

  it('a paused leader is deposed; resumed, it steps down and the new leader’s state stands', async () => {
    const old = await cluster.marathonLeader();
    const other = standbyOf(old);
    expect((await call(old, 'POST', '/v2/apps', { id: '/ha/scaled', cmd: 'sleep 1000', cpus: 0.1, mem: 16, instances: 1 })).status).to.equal(201);
    await eventually(async () => ((await call(old, 'GET', '/v2/apps/ha/scaled')).body as { app: AppJson }).app.tasksRunning === 1, { timeoutMs: 60_000, message: 'the app did not run' });
    // Its deployment ends (and is stored as ended) after the task runs: paused before that, the
    // next leader resumes it, and the scale below would be refused with 409 while it runs.
    await eventually(async () => ((await call(old, 'GET', '/v2/deployments')).body as unknown[]).length === 0, { timeoutMs: 60_000, message: 'the app’s deployment did not end' });
    old.process.child.kill('SIGSTOP');
    try {
      await eventually(async () => (await cluster.marathonHealth(other)).elected, { timeoutMs: 30_000, message: 'the standby was not elected' });
      await cluster.marathonLeader();
      expect((await call(other, 'PUT', '/v2/apps/ha/scaled', { instances: 2 })).status).to.equal(200);
    } finally {
      old.process.child.kill('SIGCONT');
    }
    await eventually(async () => {
      const health = await cluster.marathonHealth(old).catch(() => undefined);
      return health?.elected === false && health.leader === `127.0.0.1:${other.port}`;
    }, { timeoutMs: 30_000, message: 'the resumed Marathon did not come back as a standby' });
    expect(old.process.log()).to.match(/lost leadership/);
    await eventually(async () => ((await call(other, 'GET', '/v2/apps/ha/scaled')).body as { app: AppJson }).app.tasksRunning === 2, { timeoutMs: 60_000, message: 'the new leader did not scale the app' });
    const session = await ZkSession.connect(parseZkUrl(cluster.zk.url('/')), { sessionTimeoutMs: 4000, log: quiet });
    try {
      const apps = await session.children('/marathon/state/apps').catch(() => [] as string[]);
      expect(apps.length).to.be.greaterThan(0);
    } finally {
      session.close();
    }
    expect(((await call(old, 'GET', '/v2/apps/ha/scaled')).body as { app: AppJson }).app.instances).to.equal(2);
  });

  it('loses the ZooKeeper quorum: masters and Marathon stop leading and say why; they recover when it returns, and no task is killed', async () => {
    const leader = await cluster.marathonLeader();
    const frameworkId = ((await call(leader, 'GET', '/v2/info')).body as { frameworkId: string }).frameworkId;
    const before = (await liveMesosTasks(frameworkId)).map((t) => t.id).sort();
    expect(before.length).to.be.greaterThan(0);
    const members = [1, 2, 3];
    const zkLeader = (await cluster.zk.leaderId())!;
    const lost = [zkLeader, members.find((id) => id !== zkLeader)!];
    for (const id of lost) await cluster.zk.kill(id);
    try {
      await eventually(async () => {
        const masters = await Promise.all(cluster.masters.map(async (m) => fetch(`http://127.0.0.1:${m.port}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0)));
        const marathons = await Promise.all(cluster.marathons.map((m) => cluster.marathonHealth(m).catch(() => undefined)));
        return masters.every((s) => s === 503) && marathons.every((h) => h && !h.healthy && !h.elected && /ZooKeeper/.test(h.reason ?? ''));
      }, { timeoutMs: 30_000, message: 'masters and Marathons did not all report the lost quorum' });
      // Each says why in its log, at warn level or worse.
      for (const m of cluster.marathons) expect(m.process.log().split('\n').some((l) => /"level":[45]0/.test(l) && /ZooKeeper/.test(l))).to.equal(true);
    } finally {
      for (const id of lost) await cluster.zk.restart(id);
    }
    await cluster.zk.waitServing();
    await cluster.waitForAgents(3, 60_000);
    const back = await cluster.marathonLeader(90_000);
    expect(((await call(back, 'GET', '/v2/info')).body as { frameworkId: string }).frameworkId).to.equal(frameworkId);
    await eventually(async () => {
      const after = (await liveMesosTasks(frameworkId)).map((t) => t.id).sort();
      return JSON.stringify(after) === JSON.stringify(before);
    }, { timeoutMs: 60_000, message: 'the tasks running before the quorum loss are not the ones running after it' });
    await ensureStandbyRuns();
  });

  it('kill -9 of the leading master under a Marathon app and an SDK framework: both re-subscribe with their ids, no task lost or duplicated', async () => {
    const marathon = await cluster.marathonLeader();
    const marathonId = ((await call(marathon, 'GET', '/v2/info')).body as { frameworkId: string }).frameworkId;
    const webTasks = (await tasksOf(marathon, '/ha/web')).map((t) => t.id).sort();
    expect(webTasks).to.have.length(4);
    const output: string[] = [];
    const example = spawn(process.execPath, [`${REPO_ROOT}/examples/dist/run-tasks.js`, '--master', cluster.zkUrl, '--tasks', '3', '--cmd', 'sleep 10', '--cpus', '0.1', '--mem', '16'], { stdio: ['ignore', 'pipe', 'pipe'] });
    example.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => example.once('exit', (code) => resolve(code)));
    try {
      await eventually(() => (output.join('').match(/TASK_RUNNING/g)?.length ?? 0) >= 3, { timeoutMs: 30_000, message: 'the SDK framework’s tasks did not run' });
      await (await cluster.leader()).process.kill9();
      await cluster.leader();
      await cluster.waitForAgents(3, 60_000);
      expect(await exited, output.join('')).to.equal(0);
      const ids = output.join('').match(/subscribed as (\S+)/g) ?? [];
      expect(new Set(ids).size, 'the SDK framework kept its id').to.equal(1);
      expect(output.join('')).to.include('progress: 3 finished, 0 failed, 0 to go');
      await eventually(async () => {
        const live = (await liveMesosTasks(marathonId)).filter((t) => t.id.startsWith('ha_web.')).map((t) => t.id).sort();
        return JSON.stringify(live) === JSON.stringify(webTasks);
      }, { timeoutMs: 30_000, message: 'Marathon’s app does not run exactly its four tasks after the failover' });
      const state = await cluster.state(await cluster.leader());
      expect(state.frameworks.find((f) => f.id === marathonId)?.active).to.equal(true);
      expect(((await call(marathon, 'GET', '/v2/apps/ha/web')).body as { app: AppJson }).app.tasksRunning).to.equal(4);
    } finally {
      example.kill('SIGKILL');
      for (const m of cluster.masters) if (m.process.exited) cluster.startMaster(m);
    }
  });

  it('an agent that never comes back after a master failover: its task is unreachable after --agent_reregister_timeout and Marathon replaces it', async () => {
    const leader = await cluster.marathonLeader();
    const app = { id: '/ha/replaced', cmd: 'sleep 1000', cpus: 0.1, mem: 16, instances: 1, unreachableStrategy: { inactiveAfterSeconds: 1, expungeAfterSeconds: 2 } };
    expect((await call(leader, 'POST', '/v2/apps', app)).status).to.equal(201);
    const [task] = await eventually(async () => {
      const running = (await tasksOf(leader, app.id)).filter((t) => t.state === 'TASK_RUNNING');
      return running.length === 1 ? running : undefined;
    }, { timeoutMs: 60_000, message: 'the app did not run' });
    const agent = cluster.agents.find((a) => a.log().includes(`"agentId":"${task!.slaveId}"`));
    expect(agent, 'the agent of the task').to.not.equal(undefined);
    await agent!.kill9();
    await (await cluster.leader()).process.kill9();
    await cluster.leader();
    await eventually(async () => {
      const running = (await tasksOf(await cluster.marathonLeader(), app.id)).filter((t) => t.state === 'TASK_RUNNING');
      return running.length === 1 && running[0]!.id !== task!.id && running[0]!.slaveId !== task!.slaveId;
    }, { timeoutMs: 90_000, message: 'Marathon did not replace the task of the agent that never came back' });
    const state = await cluster.state(await cluster.leader());
    expect(state.slaves.find((s) => s.id === task!.slaveId)?.active ?? false).to.equal(false);
  });
});
