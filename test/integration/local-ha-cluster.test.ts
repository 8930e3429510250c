// Acceptance: `npm run start:ha` (scripts/local-ha-cluster.js) brings up a 3-node ZooKeeper
// ensemble, 3 masters, 2 agents and 2 Marathons, prints who leads, survives kill -9 of the leading
// Marathon (the standby takes over with the state), and Ctrl-C stops every process it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { REPO_ROOT, freePort, removeDir, tempDir } from '../support/processes';

/** Pids of processes whose command line holds every one of `parts`. */
function pidsWith(...parts: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (parts.every((part) => cmdline.some((arg) => arg.includes(part)))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The app's task sleeps this long: an odd number, to find its process by. */
const TASK_SECONDS = 6017;

const listening = (port: number): Promise<boolean> => new Promise((resolve) => {
  const socket = connect(port, '127.0.0.1', () => {
    socket.destroy();
    resolve(true);
  });
  socket.on('error', () => resolve(false));
});

describe('npm run start:ha (the local HA cluster)', function () {
  this.timeout(240_000);
  const workDir = tempDir('local-ha-cluster');
  let cluster: ChildProcess;
  let output = '';
  const ports: Record<'zk' | 'zkPeer' | 'masters' | 'agents' | 'marathons', number[]> = { zk: [], zkPeer: [], masters: [], agents: [], marathons: [] };

  before(async () => {
    const take = async (n: number) => Promise.all(Array.from({ length: n }, () => freePort()));
    Object.assign(ports, { zk: await take(3), zkPeer: await take(6), masters: await take(3), agents: await take(2), marathons: await take(2) });
    cluster = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'local-ha-cluster.js')], {
      env: {
        ...process.env,
        TEPUI_WORK_DIR: workDir,
        TEPUI_HA_ZK_PORTS: ports.zk.join(','),
        TEPUI_HA_ZK_PEER_PORTS: ports.zkPeer.join(','),
        TEPUI_HA_MASTER_PORTS: ports.masters.join(','),
        TEPUI_HA_AGENT_PORTS: ports.agents.join(','),
        TEPUI_HA_MARATHON_PORTS: ports.marathons.join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cluster.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    cluster.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await eventually(() => output.includes('Tepui HA cluster is up.') || cluster.exitCode !== null, { timeoutMs: 150_000, message: 'the HA cluster did not come up' });
    if (!output.includes('Tepui HA cluster is up.')) throw new Error(`start:ha failed:\n${output}`);
  });

  after(() => {
    if (cluster.exitCode === null) cluster.kill('SIGKILL');
    // Whatever a failed test left running (each child is in its own process group).
    for (const pid of pidsWith(workDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const port of ports.marathons) for (const pid of pidsWith('packages/marathon/dist/main.js', `--http_port=${port}`)) process.kill(pid, 'SIGKILL');
    for (const pid of pidsWith('sleep', String(TASK_SECONDS))) process.kill(pid, 'SIGKILL');
    removeDir(workDir);
  });

  it('prints the leading master and Marathon, and they are the ones leading', async () => {
    const masterLeader = /masters .*leader: http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
    const marathonLeader = /marathons .*leader: http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
    expect(masterLeader, output).to.not.equal(undefined);
    expect(marathonLeader, output).to.not.equal(undefined);
    const state = (await (await fetch(`http://127.0.0.1:${masterLeader}/master/state`)).json()) as { leader: string; pid: string; slaves: unknown[] };
    expect(state.leader).to.equal(state.pid);
    expect(state.slaves).to.have.length(2);
    const leaders = await Promise.all(ports.marathons.map(async (p) => ((await (await fetch(`http://127.0.0.1:${p}/v2/leader`)).json()) as { leader: string }).leader));
    expect(leaders).to.deep.equal([`127.0.0.1:${marathonLeader}`, `127.0.0.1:${marathonLeader}`]);
  });

  it('survives kill -9 of the leading Marathon: the standby leads with the app and its task', async () => {
    const leaderPort = Number(/marathons .*leader: http:\/\/127\.0\.0\.1:(\d+)/.exec(output)![1]);
    const standbyPort = ports.marathons.find((p) => p !== leaderPort)!;
    // Posted to the standby: it proxies to the leader.
    const posted = await fetch(`http://127.0.0.1:${standbyPort}/v2/apps`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: '/ha-hello', cmd: `sleep ${TASK_SECONDS}`, cpus: 0.1, mem: 16, instances: 1 }),
    });
    expect(posted.status).to.equal(201);
    const running = async (port: number) => {
      const res = await fetch(`http://127.0.0.1:${port}/v2/apps/ha-hello`, { signal: AbortSignal.timeout(5_000) });
      return res.ok && ((await res.json()) as { app: { tasksRunning: number } }).app.tasksRunning === 1;
    };
    await eventually(() => running(leaderPort), { timeoutMs: 60_000, message: 'the app did not run' });
    expect(pidsWith('sleep', String(TASK_SECONDS)), 'the task’s process, found by its command line').to.not.deep.equal([]);
    const [pid] = pidsWith('packages/marathon/dist/main.js', `--http_port=${leaderPort}`);
    expect(pid, 'the leading Marathon process').to.be.a('number');
    process.kill(pid!, 'SIGKILL');
    await eventually(async () => {
      const leader = ((await (await fetch(`http://127.0.0.1:${standbyPort}/v2/leader`, { signal: AbortSignal.timeout(5_000) })).json()) as { leader?: string }).leader;
      return leader === `127.0.0.1:${standbyPort}` && (await running(standbyPort));
    }, { timeoutMs: 90_000, intervalMs: 250, message: 'the standby did not take over with the app running' });
  });

  it('stops every process it started on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => cluster.once('exit', (code) => resolve(code)));
    cluster.kill('SIGINT');
    expect(await exited).to.equal(0);
    expect(pidsWith(workDir), 'ZooKeeper, masters and agents left running').to.deep.equal([]);
    expect(pidsWith('sleep', String(TASK_SECONDS)), 'the app’s task left running').to.deep.equal([]);
    for (const port of [...ports.zk, ...ports.masters, ...ports.agents, ...ports.marathons]) {
      expect(await listening(port), `something still listens on :${port}`).to.equal(false);
    }
  });
});
