// Acceptance: the example framework from examples/ runs its tasks to completion against the
// cluster `npm start` brings up (scripts/local-cluster.js), and Ctrl-C stops that cluster cleanly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { dig } from '../support/dns';
import { echoTaskCommand, get } from '../support/lb';
import { eventually } from '../support/eventually';
import { REPO_ROOT, freePort, removeDir, tempDir } from '../support/processes';

describe('example framework on the npm start cluster', function () {
  this.timeout(90_000);
  let cluster: ChildProcess;
  let output = '';
  const workDir = tempDir('local-cluster');
  let masterPort = 0;
  let marathonPort = 0;
  let dnsPort = 0;
  let dnsHttpPort = 0;
  let lbHttpPort = 0;

  before(async () => {
    masterPort = await freePort();
    const agentBasePort = await freePort();
    marathonPort = await freePort();
    dnsPort = await freePort();
    dnsHttpPort = await freePort();
    lbHttpPort = await freePort();
    const [lbAppIdPort, lbStatsPort, lbApiPort] = [await freePort(), await freePort(), await freePort()];
    cluster = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'local-cluster.js')], {
      env: {
        ...process.env,
        TEPUI_WORK_DIR: workDir,
        TEPUI_MASTER_PORT: String(masterPort),
        TEPUI_AGENT_BASE_PORT: String(agentBasePort),
        TEPUI_TASK_BASE_PORT: '41000',
        TEPUI_MARATHON_PORT: String(marathonPort),
        TEPUI_DNS_PORT: String(dnsPort),
        TEPUI_DNS_HTTP_PORT: String(dnsHttpPort),
        TEPUI_LB_HTTP_PORT: String(lbHttpPort),
        TEPUI_LB_APP_ID_PORT: String(lbAppIdPort),
        TEPUI_LB_STATS_PORT: String(lbStatsPort),
        TEPUI_LB_API_PORT: String(lbApiPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cluster.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    cluster.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await eventually(() => output.includes('Tepui local cluster is up'), { timeoutMs: 30_000, message: 'local cluster did not come up' });
  });

  after(async () => {
    if (cluster.exitCode === null) cluster.kill('SIGKILL');
    removeDir(workDir);
  });

  it('prints where the master and both agents are', () => {
    expect(output).to.include(`master      http://127.0.0.1:${masterPort}`);
    expect(output).to.match(/agent-1\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(output).to.match(/agent-2\s+http:\/\/127\.0\.0\.1:\d+/);
  });

  it('brings up Marathon and shows how to POST an app, which then runs', async () => {
    expect(output).to.include(`marathon    http://127.0.0.1:${marathonPort}`);
    expect(output).to.include(`curl -X POST http://127.0.0.1:${marathonPort}/v2/apps`);
    const res = await fetch(`http://127.0.0.1:${marathonPort}/v2/apps`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: '/hello', cmd: 'sleep 600', cpus: 0.1, mem: 32, instances: 2 }),
    });
    expect(res.status).to.equal(201);
    await eventually(async () => {
      const tasks = ((await (await fetch(`http://127.0.0.1:${marathonPort}/v2/apps/hello/tasks`)).json()) as { tasks: Array<{ state: string }> }).tasks;
      return tasks.filter((t) => t.state === 'TASK_RUNNING').length === 2;
    }, { timeoutMs: 30_000, message: 'the app did not run on the npm start cluster' });
  });

  it('serves the app’s name in DNS and says how to query it', async () => {
    expect(output).to.include(`dig @127.0.0.1 -p ${dnsPort} hello.marathon.mesos +short`);
    const answer = await eventually(async () => {
      const a = await dig(dnsPort, 'hello.marathon.mesos');
      return a.answers.length > 0 ? a : undefined;
    }, { timeoutMs: 30_000, message: 'hello.marathon.mesos never answered' });
    expect(answer.answers.map((r) => r.data)).to.deep.equal(['127.0.0.1']);
    const srv = await dig(dnsPort, '_hello._tcp.marathon.mesos', 'SRV');
    expect(srv.answers).to.have.length(2);
  });

  it('runs tepui-lb and HAProxy, and says how to reach an app through them', async () => {
    expect(output).to.include(`curl -H 'Host: hello.local' http://127.0.0.1:${lbHttpPort}/`);
    const res = await fetch(`http://127.0.0.1:${marathonPort}/v2/apps`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: '/hello-lb', cmd: echoTaskCommand(), cpus: 0.1, mem: 32, instances: 1, labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'hello.local' } }),
    });
    expect(res.status).to.equal(201);
    const answer = await eventually(async () => {
      const a = await get(lbHttpPort, 'hello.local');
      return a.status === 200 ? a : undefined;
    }, { timeoutMs: 30_000, message: 'hello.local was never served through HAProxy' });
    expect(answer.body).to.match(/^hello-lb\.instance-/);
  });

  it('runs the example framework to completion', () => {
    const result = spawnSync(process.execPath, [
      join(REPO_ROOT, 'examples', 'dist', 'run-tasks.js'),
      '--master', `http://127.0.0.1:${masterPort}`, '--tasks', '6', '--cmd', 'echo hello from $MESOS_TASK_ID', '--cpus', '0.1', '--mem', '32',
    ], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, `${result.stdout}\n${result.stderr}`).to.equal(0);
    expect(result.stdout).to.include('progress: 6 finished, 0 failed, 0 to go');
    for (let i = 1; i <= 6; i++) expect(result.stdout).to.include(`run-tasks-${i} TASK_FINISHED`);
  });

  it('records the finished tasks in /master/state and their output in the sandboxes', async () => {
    const state = (await (await fetch(`http://127.0.0.1:${masterPort}/master/state`)).json()) as {
      completed_frameworks: Array<{ name: string; completed_tasks: Array<{ slave_id: string; state: string }> }>;
    };
    const fw = state.completed_frameworks.find((f) => f.name === 'run-tasks')!;
    expect(fw.completed_tasks.map((t) => t.state)).to.deep.equal(Array(6).fill('TASK_FINISHED'));
    const outputs = spawnSync('sh', ['-c', `cat ${workDir}/agent-*/slaves/*/frameworks/*/executors/*/runs/latest/stdout`], { encoding: 'utf8' }).stdout;
    for (let i = 1; i <= 6; i++) expect(outputs).to.include(`hello from run-tasks-${i}`);
  });

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => cluster.once('exit', (code) => resolve(code)));
    cluster.kill('SIGINT');
    expect(await exited).to.equal(0);
    await eventually(async () => {
      try {
        await fetch(`http://127.0.0.1:${masterPort}/health`);
        return false;
      } catch {
        return true;
      }
    }, { message: 'master still answering after Ctrl-C' });
  });
});
