// Marathon failover on a real 3-node ZooKeeper ensemble: two Marathons (--zk) over a master and
// simulated agents, 1,000 apps × 10 instances running. The leading Marathon is killed -9; the figure
// is the time until the other serves /v2/apps with every app and every running task, against the
// ZooKeeper session timeout (the time a standby must wait to learn the leader is gone).
import { join } from 'node:path';
import { freePort, removeDir, startNodeProcess, tempDir, waitForHttp, type TepuiProcess } from '../support/processes';
import { startSimulatedCluster } from '../support/simulated-cluster';
import { ZkEnsemble } from '../support/zookeeper';

const SESSION_MS = 2_000;
/** ZooKeeper expires sessions on tick boundaries: a short tick keeps expiry close to the timeout. */
const TICK_MS = 100;
const GOAL_RATIO = 1.5;
const AGENTS = Number(process.env.BENCH_AGENTS ?? 200);
const APPS = Number(process.env.BENCH_APPS ?? 1000);
const INSTANCES = 10;

interface Marathon { url: string; process: TepuiProcess }

interface AppsAnswer { apps: Array<{ id: string; tasksRunning: number }> }

/** Apps and running tasks a Marathon serves, or undefined while it does not answer as leader. */
async function served(m: Marathon): Promise<{ apps: number; running: number } | undefined> {
  try {
    const health = (await (await fetch(`${m.url}/health`, { signal: AbortSignal.timeout(1000) })).json()) as { elected: boolean };
    if (!health.elected) return undefined;
    const res = await fetch(`${m.url}/v2/apps`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as AppsAnswer;
    return { apps: body.apps.length, running: body.apps.reduce((n, a) => n + a.tasksRunning, 0) };
  } catch {
    return undefined;
  }
}

async function fullyServing(marathons: readonly Marathon[], deadlineMs: number): Promise<Marathon> {
  const deadline = Date.now() + deadlineMs;
  let traced = 0;
  for (;;) {
    for (const m of marathons) {
      if (m.process.exited) continue;
      const s = await served(m);
      if (process.env.BENCH_TRACE === '1' && Date.now() - traced > 250) {
        traced = Date.now();
        console.log(`  trace ${new Date().toISOString()} ${m.url} ${s ? `${s.apps} apps, ${s.running} running` : 'not leading'}`);
      }
      if (s && s.apps === APPS && s.running === APPS * INSTANCES) return m;
    }
    if (Date.now() > deadline) throw new Error('no Marathon served the full state in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const dir = tempDir('bench-marathon-failover');
  const zk = await ZkEnsemble.start(join(dir, 'zk'), { heapMb: 1024, tickTimeMs: TICK_MS });
  const sim = await startSimulatedCluster(dir, AGENTS);
  const marathons: Marathon[] = [];
  let ok = false;
  try {
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      marathons.push({ url: `http://127.0.0.1:${port}`, process: startNodeProcess(`marathon-${i}`, 'packages/marathon/dist/main.js', [
        `--master=http://127.0.0.1:${sim.masterPort}`, `--zk=${zk.url('/marathon')}`, `--zk_session_timeout=${SESSION_MS}`,
        '--http_address=127.0.0.1', `--http_port=${port}`, '--hostname=127.0.0.1', `--log_level=${process.env.BENCH_LOG_LEVEL ?? 'warn'}`,
      ], dir, ['--max-old-space-size=4096']) });
    }
    for (const m of marathons) await waitForHttp(`${m.url}/ping`);
    const apps = Array.from({ length: APPS }, (_, n) => ({ id: `/failover/app-${n}`, cmd: 'sleep 3600', cpus: 0.01, mem: 1, instances: INSTANCES, labels: { team: `t${n % 7}` } }));
    const started = performance.now();
    const put = await fetch(`${marathons[0]!.url}/v2/apps`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(apps) });
    if (put.status !== 200) throw new Error(`PUT /v2/apps answered ${put.status}: ${await put.text()}`);
    const leader = await fullyServing(marathons, 600_000);
    // At rest: the deployment's end is written after every instance write it waited for.
    while (((await (await fetch(`${leader.url}/v2/deployments`)).json()) as unknown[]).length > 0) await new Promise((r) => setTimeout(r, 50));
    console.log(`${APPS} apps × ${INSTANCES} instances running on ${AGENTS} simulated agents, state in ZooKeeper (${((performance.now() - started) / 1000).toFixed(1)} s to deploy)`);

    const killedAt = performance.now();
    await leader.process.kill9();
    const next = await fullyServing(marathons, 120_000);
    const ms = performance.now() - killedAt;
    const ratio = ms / SESSION_MS;
    console.log('');
    console.log(`kill -9 of the leading Marathon → the standby serves /v2/apps with ${APPS} apps and ${APPS * INSTANCES} running tasks:`);
    console.log(`  ${(ms / 1000).toFixed(2)} s = ${ratio.toFixed(2)}× the ${SESSION_MS / 1000} s session timeout (goal ≤ ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? 'met' : 'NOT met'})`);
    ok = next !== leader;
  } finally {
    for (const m of marathons) await m.process.stop();
    await sim.stop();
    await zk.stop();
    if (process.env.BENCH_KEEP_DIRS === '1') console.log(`logs kept in ${dir}`);
    else removeDir(dir);
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
