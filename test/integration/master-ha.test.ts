// Masters electing a leader through a real 3-node ZooKeeper ensemble: the znodes Mesos tools read,
// standbys redirecting, kill -9 of the leader under a running framework (examples/run-tasks.ts,
// unchanged, given a zk:// master), a leader paused past its session timeout, and one ZooKeeper
// member lost.
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { ZkSession, masterInfoCodec, parseZkUrl, candidatesInOrder } from '@tepui/coordination';
import { eventually } from '../support/eventually';
import { REPO_ROOT } from '../support/processes';
import { HaCluster, type HaMaster } from '../support/ha-cluster';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('master high availability (real ZooKeeper ensemble, 3 masters, 2 agents)', function () {
  this.timeout(180_000);
  let cluster: HaCluster;

  before(async () => {
    cluster = await new HaCluster({ masters: 3, agents: 2, sessionTimeout: '2secs', masterFlags: ['--agent_reregister_timeout=30secs'] }).start();
  });
  let failed = false;
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async () => {
    if (failed) process.stdout.write(cluster?.logs() ?? '');
    await cluster?.stop();
  });

  const leaderOf = async () => cluster.leader();
  const others = (leader: HaMaster) => cluster.masters.filter((m) => m !== leader && !m.process.exited);

  it('writes the leader as Mesos MasterInfo JSON in json.info_ znodes; standbys redirect to it', async () => {
    const leader = await leaderOf();
    const session = await ZkSession.connect(parseZkUrl(cluster.zkUrl), { sessionTimeoutMs: 4000, log: quiet });
    try {
      const candidates = candidatesInOrder(masterInfoCodec, await session.children('/mesos'));
      expect(candidates).to.have.length(3);
      const info = JSON.parse((await session.get(`/mesos/${candidates[0]}`)).data.toString()) as Record<string, unknown>;
      expect(info).to.include({ port: leader.port, hostname: (await cluster.state(leader)).hostname ?? info.hostname });
      expect(info.address).to.deep.include({ ip: '127.0.0.1', port: leader.port });
      expect(info.ip).to.equal(16777343); // 127.0.0.1 packed as Mesos packs it
      expect(info.pid).to.equal(`master@127.0.0.1:${leader.port}`);
    } finally {
      session.close();
    }

    for (const standby of others(leader)) {
      const call = await fetch(`http://127.0.0.1:${standby.port}/api/v1/scheduler`, {
        method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n' } } }),
      });
      expect(call.status).to.equal(307);
      expect(call.headers.get('location')).to.match(new RegExp(`^//[^/]+:${leader.port}/api/v1/scheduler$`));
      const operator = await fetch(`http://127.0.0.1:${standby.port}/api/v1`, {
        method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'GET_STATE' }),
      });
      expect(operator.status).to.equal(307);
      const redirect = await fetch(`http://127.0.0.1:${standby.port}/master/redirect`, { redirect: 'manual' });
      expect(redirect.status).to.equal(307);
      expect(redirect.headers.get('location')).to.match(new RegExp(`:${leader.port}$`));
    }
    const state = await cluster.state(leader);
    expect(state.leader_info?.port).to.equal(leader.port);
    expect(state.elected_time).to.be.a('number');

    // Every contender rehearses an agent failover once, so that a takeover runs warm code.
    for (const master of cluster.masters) {
      await eventually(async () => /^tepui_master_failover_rehearsal_seconds\{outcome="done"\} \d/m.test(await (await fetch(`http://127.0.0.1:${master.port}/metrics`)).text()),
        { timeoutMs: 60_000, message: `master on port ${master.port} reports a finished failover rehearsal` });
    }
  });

  it('kill -9 of the leader under a running framework: a new leader, agents re-register, the framework re-subscribes with its id, no task lost or duplicated', async () => {
    const output: string[] = [];
    const example = spawn(process.execPath, [`${REPO_ROOT}/examples/dist/run-tasks.js`, '--master', cluster.zkUrl, '--tasks', '4', '--cmd', 'sleep 8', '--cpus', '0.1', '--mem', '32', '--verbose'], { stdio: ['ignore', 'pipe', 'pipe'] });
    example.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    example.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => example.once('exit', (code) => resolve(code)));
    try {
      const old = await leaderOf();
      await eventually(async () => {
        const state = await cluster.state(old);
        return state.frameworks.flatMap((f) => f.tasks).filter((t) => t.state === 'TASK_RUNNING').length === 4;
      }, { timeoutMs: 30_000, message: 'the example did not get 4 tasks running' });
      const frameworkId = /subscribed as (\S+)/.exec(output.join(''))?.[1];
      expect(frameworkId).to.be.a('string');

      await old.process.kill9();
      const next = await cluster.leader();
      expect(next).to.not.equal(old);
      await cluster.waitForAgents(2);
      await eventually(async () => {
        const state = await cluster.state(next);
        const framework = state.frameworks.find((f) => f.id === frameworkId);
        return framework?.active === true && framework.tasks.length + framework.completed_tasks.length === 4;
      }, { timeoutMs: 30_000, message: 'the framework did not re-subscribe with its id and its 4 tasks' });
      expect(await exited).to.equal(0);
      const text = output.join('');
      expect(text.match(/subscribed as (\S+)/g)?.every((line) => line.endsWith(frameworkId!))).to.equal(true);
      expect(text).to.include('progress: 4 finished, 0 failed, 0 to go');
      expect(text.match(/TASK_RUNNING/g)?.length ?? 0).to.be.at.most(4 + 4); // each task once, plus reconciliation echoes
    } catch (err) {
      process.stdout.write(`==== run-tasks\n${output.join('')}\n`);
      throw err;
    } finally {
      example.kill('SIGKILL');
      // The killed master starts again as a standby.
      for (const m of cluster.masters) if (m.process.exited) cluster.startMaster(m);
    }
  });

  it('a leader paused past its session timeout stops acting; at no moment do two masters act as leader', async () => {
    const old = await leaderOf();
    const acting: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const leaders = [];
        for (const m of cluster.masters) {
          const state = await cluster.state(m).catch(() => undefined);
          if (state && state.leader === state.pid && state.elected_time !== undefined) leaders.push(m.port);
        }
        if (leaders.length > 1) acting.push(leaders.join(','));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    old.process.child.kill('SIGSTOP');
    try {
      const next = await eventually(async () => {
        const m = await cluster.leader(20_000);
        return m !== old ? m : undefined;
      }, { timeoutMs: 30_000, message: 'no standby took over' });
      expect(next).to.not.equal(old);
    } finally {
      old.process.child.kill('SIGCONT');
    }
    // Woken, it finds its session gone and starts over as a standby, never leading again meanwhile.
    await eventually(async () => {
      const redirect = await fetch(`http://127.0.0.1:${old.port}/master/redirect`, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      return redirect.status === 307 && !redirect.headers.get('location')?.endsWith(`:${old.port}`);
    }, { timeoutMs: 30_000, message: 'the paused master did not come back as a standby' });
    watching = false;
    await watcher;
    expect(acting).to.deep.equal([]);
    expect(old.process.log()).to.match(/lost leadership|ZooKeeper session expired|no answer from ZooKeeper/);
  });

  it('loses one ZooKeeper member without failing over', async () => {
    const leader = await leaderOf();
    const electedTime = (await cluster.state(leader)).elected_time;
    const member = await cluster.zk.leaderId();
    await cluster.zk.kill(member!);
    try {
      await eventually(async () => (await cluster.zk.leaderId()) !== undefined, { timeoutMs: 30_000, message: 'ZooKeeper did not elect a new leader' });
      // Past a whole session timeout, the same master still leads, elected at the same time.
      await new Promise((r) => setTimeout(r, 3_000));
      const state = await cluster.state(leader);
      expect(state.leader).to.equal(state.pid);
      expect(state.elected_time).to.equal(electedTime);
      expect((await fetch(`http://127.0.0.1:${leader.port}/health`)).status).to.equal(200);
    } finally {
      await cluster.zk.restart(member!);
      await cluster.zk.waitServing();
    }
  });
});
