// Marathon benchmarks over the real protocol: a master process, 1,000 simulated agents in a second
// process and a Marathon process.
//   1. One app of 10,000 instances: seconds from POST to all RUNNING, tasks/s.
//   2. GET /v2/apps?embed=apps.tasks with 1,000 apps × 10 tasks: p50/p99 latency.
import { join } from 'node:path';
import { freePort, removeDir, startNodeProcess, tempDir, waitForHttp, type TepuiProcess } from '../support/processes';
import { startSimulatedCluster } from '../support/simulated-cluster';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 1000);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 10_000);
const APPS = Number(process.env.BENCH_APPS ?? 1000);
const TASKS_PER_APP = 10;
const GOAL_TASKS_PER_SEC = 4000;
const GOAL_P99_MS = 50;
const MARATHON_FLAGS = (process.env.BENCH_MARATHON_FLAGS ?? '').split(' ').filter(Boolean);

interface Cluster {
  readonly marathon: string;
  stop(): Promise<void>;
}

async function startCluster(name: string, extraFlags: readonly string[] = []): Promise<Cluster> {
  const dir = tempDir(`bench-${name}`);
  const sim = await startSimulatedCluster(dir, AGENTS);
  const port = sim.masterPort;
  const httpPort = await freePort();
  const marathon: TepuiProcess = startNodeProcess('marathon', 'packages/marathon/dist/main.js', [
    `--master=http://127.0.0.1:${port}`, '--http_address=127.0.0.1', `--http_port=${httpPort}`, `--state_dir=${join(dir, 'marathon')}`,
    '--hostname=127.0.0.1', '--log_level=warn', ...MARATHON_FLAGS, ...extraFlags,
  ], dir, ['--max-old-space-size=4096', ...(process.env.BENCH_MARATHON_NODE_ARGS ?? '').split(' ').filter(Boolean)]);
  const url = `http://127.0.0.1:${httpPort}`;
  await waitForHttp(`${url}/ping`);
  for (;;) {
    const info = (await (await fetch(`${url}/v2/info`)).json()) as { frameworkId: string | null };
    if (info.frameworkId) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    marathon: url,
    async stop() {
      await marathon.stop();
      await sim.stop();
      if (process.env.BENCH_KEEP_DIRS === '1') console.log(`logs kept in ${dir}`);
      else removeDir(dir);
    },
  };
}

async function runningOf(url: string, id: string): Promise<number> {
  const body = (await (await fetch(`${url}/v2/apps?id=${encodeURIComponent(id)}`)).json()) as { apps: Array<{ id: string; tasksRunning: number }> };
  return body.apps.filter((a) => a.id.startsWith(id)).reduce((n, a) => n + a.tasksRunning, 0);
}

async function waitRunning(url: string, id: string, total: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let lastTrace = 0;
  for (;;) {
    const running = await runningOf(url, id);
    if (process.env.BENCH_TRACE === '1' && Date.now() - lastTrace > 250) {
      lastTrace = Date.now();
      const queue = ((await (await fetch(`${url}/v2/queue`)).json()) as { queue: Array<{ count: number }> }).queue.reduce((n, q) => n + q.count, 0);
      console.log(`  trace ${new Date().toISOString()} running ${running} queued ${queue}`);
    }
    if (running >= total || Date.now() > deadline) return running;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function launchBench(extraFlags: readonly string[] = []): Promise<boolean> {
  const cluster = await startCluster('marathon-launch', extraFlags);
  try {
    console.log(`${AGENTS} simulated agents, Marathon up${extraFlags.length ? ` (${extraFlags.join(' ')})` : ''}; POST one app of ${INSTANCES} instances`);
    const start = performance.now();
    const res = await fetch(`${cluster.marathon}/v2/apps`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: '/bench/big', cmd: 'sleep 3600', cpus: 0.01, mem: 1, instances: INSTANCES, portDefinitions: [] }),
    });
    if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
    const running = await waitRunning(cluster.marathon, '/bench/big', INSTANCES, 180_000);
    const seconds = (performance.now() - start) / 1000;
    const rate = running / seconds;
    console.log('');
    console.log(`instances RUNNING:        ${running} / ${INSTANCES}`);
    console.log(`POST → all RUNNING:       ${seconds.toFixed(3)} s`);
    console.log(`throughput:               ${Math.round(rate)} tasks/s`);
    console.log(`  vs goal (${GOAL_TASKS_PER_SEC}/s):        ${(rate / GOAL_TASKS_PER_SEC).toFixed(2)}×`);
    console.log(`  vs Nomad C1M (3,750/s): ${(rate / 3750).toFixed(2)}×`);
    console.log(`  vs Marathon (≈35/s):    ${(rate / 35).toFixed(0)}×`);
    return running === INSTANCES;
  } finally {
    await cluster.stop();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function listBench(): Promise<boolean> {
  const cluster = await startCluster('marathon-list');
  try {
    const apps = Array.from({ length: APPS }, (_, n) => ({ id: `/list/app-${n}`, cmd: 'sleep 3600', cpus: 0.01, mem: 1, instances: TASKS_PER_APP, labels: { team: `t${n % 7}` } }));
    const res = await fetch(`${cluster.marathon}/v2/apps`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(apps) });
    if (res.status !== 200) throw new Error(`PUT /v2/apps answered ${res.status}: ${await res.text()}`);
    const running = await waitRunning(cluster.marathon, '/list/', APPS * TASKS_PER_APP, 180_000);
    console.log(`${APPS} apps × ${TASKS_PER_APP} tasks: ${running} RUNNING; timing GET /v2/apps?embed=apps.tasks`);
    const measure = async (paths: readonly string[]): Promise<{ times: number[]; bytes: number }> => {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 220; i++) {
        const t0 = performance.now();
        const text = await (await fetch(`${cluster.marathon}${paths[i % paths.length]}`)).text();
        if (i >= 20) times.push(performance.now() - t0); // the first requests warm the JIT
        bytes = text.length;
      }
      return { times: times.sort((a, b) => a - b), bytes };
    };
    const steady = await measure(['/v2/apps?embed=apps.tasks']);
    // Alternating embeds defeats the whole-response cache, as a change between polls would.
    const changing = await measure(['/v2/apps?embed=apps.tasks', '/v2/apps?embed=apps.tasks&embed=apps.lastTaskFailure']);
    console.log('');
    console.log(`response size:            ${(steady.bytes / 1048576).toFixed(1)} MB (${APPS} apps, ${running} tasks)`);
    for (const [name, m] of [['unchanged between polls', steady], ['every app re-rendered each poll (worst case)', changing]] as const) {
      console.log(`${name}:`);
      console.log(`  latency p50:            ${percentile(m.times, 50).toFixed(1)} ms   (p90 ${percentile(m.times, 90).toFixed(1)} ms, max ${m.times[m.times.length - 1]!.toFixed(1)} ms, ${m.times.length} requests)`);
      console.log(`  latency p99:            ${percentile(m.times, 99).toFixed(1)} ms   (goal ≤ ${GOAL_P99_MS} ms: ${(percentile(m.times, 99) / GOAL_P99_MS).toFixed(2)}× of it)`);
    }
    return running === APPS * TASKS_PER_APP;
  } finally {
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const which = process.argv[2];
  let ok = true;
  if (!which || which === 'launch') ok = (await launchBench()) && ok;
  if (!which || which === 'launch-5') {
    console.log('');
    ok = (await launchBench(['--max_instances_per_offer=5'])) && ok;
  }
  if (!which || which === 'list') {
    console.log('');
    ok = (await listBench()) && ok;
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
