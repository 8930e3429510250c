// tepui-lb (marathon-lb for Tepui) with a real HAProxy:
//   1. requests/s through HAProxy to 10 echo tasks vs straight to the same tasks, wrk, same run;
//   2. propagation TASK_RUNNING → routed (HAProxy's Runtime API shows the server ready) over 100
//      tasks of a real cluster, against marathon-lb's floor per change (haproxy -c + a reload);
//   3. churn: 1,000 apps × 10 tasks on a fake Marathon, 100 task changes/s for a minute, under a
//      request loop: reloads, CPU, failed requests, against marathon-lb's rebuild-and-check per change.
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { RuntimeApi } from '@tepui/lb';
import { appJson, FakeMarathon, statusUpdate, taskJson } from '@tepui/lb/testing';
import type { MarathonAppWithTasks, MarathonTaskJson } from '@tepui/protocol';
import { TestCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { echoTaskCommand, startLoadLoop, TestLb, type LbStatusView, type LoadLoop } from '../support/lb';
import { followEvents, TestMarathon } from '../support/marathon';
import { freePort, removeDir, tempDir } from '../support/processes';
import {
  cpuSeconds, describeHistogram, histogramSince, isAlive, percentile, perThreadTargetsScript, runWrk, scrapeHistogram,
  timeConfigCheck, withChildren, type Histogram, type WrkRun,
} from './lb-measure';

const AGENTS = 3;
const WRK_SECONDS = Number(process.env.BENCH_LB_WRK_SECONDS ?? 10);
const PROPAGATION_TASKS = 100;
const SCALE_STEP = 20;
const CHURN_APPS = 1000;
const CHURN_TASKS_PER_APP = 10;
const CHURN_SECONDS = Number(process.env.BENCH_LB_CHURN_SECONDS ?? 60);
const CHURN_PER_SECOND = 100;
const LOADED_APPS = 20;
const LOAD_RATE_PER_APP = 8;
const TASK_SERVER_PORTS = 20;
const GOAL_RATIO = 0.8;
const GOAL_P99_MS = 1000;
const PROPAGATION_METRIC = 'tepui_lb_propagation_seconds';
const RELOAD_METRIC = 'tepui_lb_reload_seconds';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');
const labelsFor = (vhost?: string) => ({ HAPROXY_GROUP: 'external', ...(vhost ? { HAPROXY_0_VHOST: vhost } : {}) });

async function throughput(marathon: TestMarathon, lb: TestLb, dir: string): Promise<boolean> {
  const app = { id: '/bench', cmd: echoTaskCommand(), cpus: 0.01, mem: 32, instances: 10, labels: labelsFor('bench.example'), portDefinitions: [{ port: 0 }] };
  const res = await marathon.json('POST', '/v2/apps', app);
  if (res.status !== 201) throw new Error(`POST /v2/apps answered ${res.status}: ${JSON.stringify(res.body)}`);
  await lb.waitForServers('/bench', 10, 120_000);
  const tasks = (await marathon.running('/bench')).map((t) => ({ host: t.host, port: t.ports[0]! }));
  const script = join(dir, 'per-thread-targets.lua');
  writeFileSync(script, perThreadTargetsScript(tasks));
  const common = ['-t10', '-c40', `-d${WRK_SECONDS}s`];
  const direct: WrkRun[] = [];
  const viaLb: WrkRun[] = [];
  const taskUrl = `http://${tasks[0]!.host}:${tasks[0]!.port}/`;
  // Alternating, so a slow phase of the machine hits every side.
  const haproxyPid = (await lb.status()).haproxyPid;
  let haproxyCpu = 0;
  for (let round = 0; round < 2; round++) {
    direct.push(await runWrk([...common, '-s', script, taskUrl], WRK_SECONDS));
    // The worker is forked by the master: count both, as the churn part does.
    const pids = haproxyPid === null ? [] : withChildren(haproxyPid);
    const before = pids.reduce((n, pid) => n + cpuSeconds(pid), 0);
    viaLb.push(await runWrk([...common, '-H', 'Host: bench.example', `http://127.0.0.1:${lb.httpPort}/`], WRK_SECONDS));
    haproxyCpu += pids.reduce((n, pid) => n + cpuSeconds(pid), 0) - before;
  }
  const best = (runs: WrkRun[]) => runs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const errors = (runs: WrkRun[]) => runs.reduce((n, r) => n + r.non2xx + r.socketErrors, 0);
  const show = (runs: WrkRun[]) => `${runs.map((r) => Math.round(r.rps)).join(', ')} → best ${Math.round(best(runs).rps)} req/s (errors: ${errors(runs)} of ${runs.reduce((n, r) => n + r.requests, 0)})`;
  const ratio = best(viaLb).rps / best(direct).rps;
  const met = ratio >= GOAL_RATIO && errors(viaLb) === 0;
  console.log('');
  console.log(`requests/s, wrk -t10 -c40 -d${WRK_SECONDS}s, 10 echo tasks on ${AGENTS} agents, keep-alive from wrk:`);
  console.log(`  direct (one task per wrk thread): ${show(direct)}`);
  console.log(`  through HAProxy (vhost):          ${show(viaLb)}`);
  console.log(`  HAProxy / direct:                 ${ratio.toFixed(2)}× (goal ≥ ${GOAL_RATIO}×, no errors: ${verdict(met)})`);
  const lbRequests = viaLb.reduce((n, r) => n + r.requests, 0);
  console.log(`  HAProxy's own CPU: ${((haproxyCpu / lbRequests) * 1e6).toFixed(0)} µs per request forwarded (${((haproxyCpu / (2 * WRK_SECONDS)) * 100).toFixed(0)}% of one core while loaded)`);
  console.log(`  (wrk, the tasks and HAProxy share ${cpus().length} cores: every request HAProxy forwards costs CPU the tasks would otherwise use)`);
  return met;
}

async function propagation(marathon: TestMarathon, lb: TestLb, dir: string): Promise<boolean> {
  const events = await followEvents(marathon.url, ['status_update_event']);
  const api = new RuntimeApi({ socketPath: join(lb.haproxyDir, 'admin.sock') });
  const routedAt = new Map<string, number>();
  let polling = true;
  let poller: Promise<void> | undefined;
  try {
    const app = { id: '/prop', cmd: echoTaskCommand(), cpus: 0.01, mem: 16, instances: 0, labels: labelsFor('prop.example'), portDefinitions: [{ port: 0 }] };
    const res = await marathon.json('POST', '/v2/apps', app);
    if (res.status !== 201) throw new Error(`POST /v2/apps answered ${res.status}: ${JSON.stringify(res.body)}`);
    const { backend } = await eventually(async () => (await lb.backends()).find((b) => b.appId === '/prop'), { message: '/prop has no backend' });
    // HAProxy routes to a server once its slot is out of maintenance with the task's address.
    poller = (async () => {
      while (polling) {
        const rows = await api.showServersState(backend);
        const now = Date.now();
        for (const row of rows) if (!row.inMaintenance && !routedAt.has(`${row.addr}:${row.port}`)) routedAt.set(`${row.addr}:${row.port}`, now);
        await sleep(5);
      }
    })();
    const before = await lb.status();
    const metricsBefore = await Promise.all([scrapeHistogram(`${lb.apiUrl}/metrics`, PROPAGATION_METRIC), scrapeHistogram(`${lb.apiUrl}/metrics`, RELOAD_METRIC)]);
    const runningAt = new Map<string, number>();
    const collectRunning = () => {
      for (const e of events.events) {
        const key = `${String(e.host)}:${String((e.ports as number[] | undefined)?.[0])}`;
        if (e.appId === '/prop' && e.taskStatus === 'TASK_RUNNING' && !runningAt.has(key)) runningAt.set(key, Date.parse(e.timestamp));
      }
    };
    const steps: Array<{ keys: string[]; reloads: number }> = [];
    for (let instances = SCALE_STEP; instances <= PROPAGATION_TASKS; instances += SCALE_STEP) {
      const seen = new Set(runningAt.keys());
      const reloadsBefore = (await lb.status()).reloads;
      // The previous step's deployment may still be finishing after its tasks were routed.
      await marathon.waitForDeployments('the previous scale step did not finish', 120_000);
      const put = await marathon.json('PUT', '/v2/apps/prop', { instances });
      if (put.status !== 200) throw new Error(`PUT /v2/apps/prop answered ${put.status}: ${JSON.stringify(put.body)}`);
      await eventually(() => {
        collectRunning();
        return runningAt.size >= instances && [...runningAt.keys()].every((k) => routedAt.has(k));
      }, { timeoutMs: 120_000, intervalMs: 20, message: `/prop did not reach ${instances} routed tasks` });
      steps.push({ keys: [...runningAt.keys()].filter((k) => !seen.has(k)), reloads: (await lb.status()).reloads - reloadsBefore });
    }
    const after = await lb.status();
    const [propagated, reloadTimes] = (await Promise.all([scrapeHistogram(`${lb.apiUrl}/metrics`, PROPAGATION_METRIC), scrapeHistogram(`${lb.apiUrl}/metrics`, RELOAD_METRIC)]))
      .map((h, i) => histogramSince(metricsBefore[i]!, h)) as [Histogram, Histogram];
    const allReloads = await scrapeHistogram(`${lb.apiUrl}/metrics`, RELOAD_METRIC);
    const delays = [...runningAt].map(([key, at]) => routedAt.get(key)! - at).sort((a, b) => a - b);
    const p99 = percentile(delays, 99);
    const checkMs = await timeConfigCheck(await lb.config(), dir);
    const reloads = reloadTimes.count > 0 ? reloadTimes : allReloads;
    const reloadMs = (reloads.sum / reloads.count) * 1000;
    const floorMs = checkMs + reloadMs;
    const slots = (await lb.backends()).find((b) => b.appId === '/prop')?.slots;
    console.log('');
    console.log(`propagation TASK_RUNNING (Marathon's event) → ready in HAProxy (show servers state, polled every ~5 ms), ${delays.length} tasks, 0 → ${PROPAGATION_TASKS} in steps of ${SCALE_STEP}:`);
    console.log(`  median ${percentile(delays, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${delays[delays.length - 1]!.toFixed(0)} ms (goal p99 ≤ ${GOAL_P99_MS} ms: ${verdict(p99 <= GOAL_P99_MS)})`);
    const stepP99 = steps.map(({ keys, reloads: r }) => {
      const d = keys.map((k) => routedAt.get(k)! - runningAt.get(k)!).sort((a, b) => a - b);
      return `+${keys.length}: ${percentile(d, 50).toFixed(0)}/${percentile(d, 99).toFixed(0)} ms${r > 0 ? ` (${r} reload${r > 1 ? 's' : ''})` : ''}`;
    });
    console.log(`  per step, median/p99: ${stepP99.join(', ')}`);
    console.log(`  generator's own ${PROPAGATION_METRIC} over the scale-up: ${describeHistogram(propagated)}`);
    console.log(`  marathon-lb's floor per change: haproxy -c of this config ${checkMs.toFixed(0)} ms + one reload ${reloadMs.toFixed(0)} ms (mean of ${reloads.count} reloads the generator timed${reloadTimes.count > 0 ? ' during the scale-up' : ' in this run'}) = ${floorMs.toFixed(0)} ms → our p99 is ${(p99 / floorMs).toFixed(2)}× that floor`);
    console.log(`  reloads during the scale-up: ${after.reloads - before.reloads} (goal 0 for membership alone; the backend grew to ${slots ?? '?'} slots), runtime updates: ${after.runtimeUpdates - before.runtimeUpdates}`);
    return p99 <= GOAL_P99_MS;
  } finally {
    polling = false;
    await poller?.catch(() => undefined);
    events.close();
  }
}

/** Runs parts 1 and 2 on one real cluster: three agents on their own loopback addresses, Marathon, tepui-lb. */
async function realCluster(): Promise<boolean> {
  const cluster = new TestCluster({ agents: AGENTS, agentIp: (i) => `127.0.0.${i + 2}`, agentFlags: (i) => [`--hostname=127.0.0.${i + 2}`] });
  const marathon = new TestMarathon(cluster, ['--log_level=warn']);
  let lb: TestLb | undefined;
  try {
    await cluster.start();
    await marathon.start();
    // One HAProxy thread: wrk, the ten tasks and HAProxy share this machine's cores, and a second
    // HAProxy thread only contends with them (measured: about 25% fewer requests/s with two).
    lb = await new TestLb(cluster.dir, () => [marathon.url], ['--log-level=warn', '--nbthread=1']).start();
    console.log(`${AGENTS} agents, Marathon and tepui-lb (HAProxy ${lb.haproxyDir}) up`);
    const throughputMet = await throughput(marathon, lb, cluster.dir);
    const propagationMet = await propagation(marathon, lb, cluster.dir);
    return throughputMet && propagationMet;
  } finally {
    const haproxyPid = lb ? await lb.status().then((s) => s.haproxyPid, () => null) : null;
    await lb?.stop();
    if (haproxyPid !== null && isAlive(haproxyPid)) process.kill(haproxyPid, 'SIGKILL');
    await marathon.stop();
    await cluster.stop();
  }
}

/** /v1/status also counts what HAProxy holds (TestLb's view leaves these out). */
type SizedStatus = LbStatusView & { readonly backends: number; readonly endpoints: number };

async function sizedStatus(lb: TestLb): Promise<SizedStatus> {
  return (await (await fetch(`${lb.apiUrl}/v1/status`)).json()) as SizedStatus;
}

/** The first base from which `count` ports are free on 127.0.0.1 (HAProxy binds each as a service port). */
async function freePortRange(bases: readonly number[], count: number): Promise<number> {
  for (const base of bases) {
    const servers = Array.from({ length: count }, () => createServer());
    const bound = await Promise.all(servers.map((s, i) => new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.listen(base + i, '127.0.0.1', () => resolve(true));
    })));
    await Promise.all(servers.map((s) => new Promise((r) => (s.listening ? s.close(r) : r(undefined)))));
    if (bound.every(Boolean)) return base;
  }
  throw new Error(`no ${count} free ports from any of ${bases.join(', ')}`);
}

function startTaskServer(ports: readonly number[]): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'lb-task-server.js'), ports.map(String), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => (m === 'ready' ? resolve(child) : reject(new Error(`task server said ${JSON.stringify(m)}`))));
    child.once('exit', (code) => reject(new Error(`task server exited with ${code}`)));
  });
}

/** mulberry32: the churn picks the same tasks on every run. */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function churn(): Promise<boolean> {
  const dir = tempDir('bench-lb-churn');
  let fake: FakeMarathon | undefined;
  let server: ChildProcess | undefined;
  let lb: TestLb | undefined;
  const loops: LoadLoop[] = [];
  try {
    // Below Linux's ephemeral range (32768–60999): after part 1's wrk runs, tens of thousands of
    // TIME-WAIT connections hold ports there, and 40000+ found dozens taken.
    const base = await freePortRange([30000, 31000, 40000, 41000], CHURN_APPS);
    const ports = new Set<number>();
    while (ports.size < TASK_SERVER_PORTS) ports.add(await freePort());
    const serverPorts = [...ports];
    server = await startTaskServer(serverPorts);
    // Every task answers on its own address: 127.0.<a>.<b>:<one of the server's ports>.
    let nextTask = 0;
    const newTask = (appId: string, servicePort: number): MarathonTaskJson => {
      const n = nextTask++;
      const k = Math.floor(n / serverPorts.length);
      const ip = `127.0.${1 + Math.floor(k / 250)}.${1 + (k % 250)}`;
      return taskJson(appId, n, {
        host: ip, ipAddresses: [{ ipAddress: ip, protocol: 'IPv4' }], ports: [serverPorts[n % serverPorts.length]!], servicePorts: [servicePort],
        slaveId: 'S1', startedAt: new Date().toISOString(),
      });
    };
    const apps: MarathonAppWithTasks[] = Array.from({ length: CHURN_APPS }, (_, i) => {
      const id = `/churn/app-${i}`;
      return appJson(id, Array.from({ length: CHURN_TASKS_PER_APP }, () => newTask(id, base + i)), {
        labels: labelsFor(), portDefinitions: [{ port: base + i, protocol: 'tcp' }],
      });
    });
    fake = await FakeMarathon.start();
    fake.apps = apps;
    lb = await new TestLb(dir, () => [fake!.url], ['--log-level=warn']).start();
    const loaded = await eventually(async () => {
      const s = await sizedStatus(lb!);
      return s.backends === CHURN_APPS && s.endpoints === CHURN_APPS * CHURN_TASKS_PER_APP ? s : undefined;
    }, { timeoutMs: 120_000, intervalMs: 200, message: `tepui-lb did not load ${CHURN_APPS} backends` });
    const checkMs = await timeConfigCheck(await lb.config(), dir);
    console.log('');
    console.log(`fake Marathon: ${CHURN_APPS} apps × ${CHURN_TASKS_PER_APP} tasks (service ports ${base}–${base + CHURN_APPS - 1}, tasks on 127.0.x.y); tepui-lb loaded them with ${loaded.reloads} reload(s)`);

    // The loaded apps, spread over the range, take one change in five; the rest go anywhere.
    const loadedApps = Array.from({ length: LOADED_APPS }, (_, i) => i * Math.floor(CHURN_APPS / LOADED_APPS));
    for (const i of loadedApps) loops.push(startLoadLoop(base + i, undefined, LOAD_RATE_PER_APP));
    const random = seededRandom(42);
    const change = (n: number) => {
      const appIndex = n % 5 === 0 ? loadedApps[(n / 5) % LOADED_APPS]! : Math.floor(random() * CHURN_APPS);
      const app = apps[appIndex]!;
      const tasks = app.tasks!;
      const [killed] = tasks.splice(Math.floor(random() * tasks.length), 1);
      const now = new Date();
      fake!.push({ ...statusUpdate(killed!, 'TASK_KILLED'), timestamp: now.toISOString() });
      server!.send({ dead: `${killed!.host}:${killed!.ports![0]}`, at: now.getTime() });
      const started = newTask(app.id, base + appIndex);
      tasks.push(started);
      fake!.push({ ...statusUpdate(started, 'TASK_RUNNING'), timestamp: now.toISOString() });
    };

    const status0 = await sizedStatus(lb);
    const haproxyPids = status0.haproxyPid === null ? [] : withChildren(status0.haproxyPid);
    const cpu = () => ({ lb: cpuSeconds(lb!.process.pid), haproxy: haproxyPids.reduce((s, p) => s + cpuSeconds(p), 0) });
    const metrics0 = await scrapeHistogram(`${lb.apiUrl}/metrics`, PROPAGATION_METRIC);
    const cpu0 = cpu();
    const started = performance.now();
    let changes = 0;
    // Changes are paced against the clock (10 ms timers drift): whatever is due is sent at each tick.
    while (performance.now() - started < CHURN_SECONDS * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * CHURN_PER_SECOND);
      while (changes < due) change(changes++);
      await sleep(10);
    }
    const churnSeconds = (performance.now() - started) / 1000;
    const cpu1 = cpu();
    // Let the last changes land and the last requests finish.
    await eventually(async () => (await sizedStatus(lb!)).endpoints === CHURN_APPS * CHURN_TASKS_PER_APP, { timeoutMs: 10_000 }).catch(() => undefined);
    for (const loop of loops) await loop.stop();
    const status1 = await sizedStatus(lb);
    const propagated = histogramSince(metrics0, await scrapeHistogram(`${lb.apiUrl}/metrics`, PROPAGATION_METRIC));
    const stale = await new Promise<{ requests: number; stale: number; maxLateMs: number }>((resolve) => {
      server!.once('message', (m) => resolve(m as { requests: number; stale: number; maxLateMs: number }));
      server!.send('report');
    });
    const sent = loops.reduce((n, l) => n + l.sent, 0);
    const failures = loops.flatMap((l) => l.failures);
    const reloads = status1.reloads - status0.reloads;
    const lbCpuPerSec = (cpu1.lb - cpu0.lb) / churnSeconds;
    const haproxyCpuPerSec = (cpu1.haproxy - cpu0.haproxy) / churnSeconds;
    const rate = changes / churnSeconds;
    const peerCpuPerSec = (checkMs / 1000) * rate;
    console.log(`churn: ${changes} task replacements in ${churnSeconds.toFixed(1)} s (${rate.toFixed(0)}/s; each a TASK_KILLED + a TASK_RUNNING), ${loops.length} apps under ${LOAD_RATE_PER_APP} req/s each on new connections:`);
    console.log(`  reloads during churn: ${reloads} (goal 0: ${verdict(reloads === 0)}); runtime updates: ${status1.runtimeUpdates - status0.runtimeUpdates}; last error: ${status1.lastError?.message ?? 'none'}`);
    console.log(`  end state: ${status1.backends} backends, ${status1.endpoints} endpoints (expected ${CHURN_APPS * CHURN_TASKS_PER_APP})`);
    console.log(`  failed requests: ${failures.length} of ${sent} (goal 0: ${verdict(failures.length === 0)})${failures.length ? `; first: ${failures.slice(0, 3).join(' | ')}` : ''}`);
    console.log(`  requests that still reached a task after its TASK_KILLED was sent: ${stale.stale} of ${stale.requests} answered, the latest ${stale.maxLateMs} ms after (the fake tasks keep answering; a real one would be gone)`);
    console.log(`  generator CPU: ${(lbCpuPerSec * 100).toFixed(1)}% of one core (${(cpu1.lb - cpu0.lb).toFixed(2)} s); HAProxy (master + worker) CPU: ${(haproxyCpuPerSec * 100).toFixed(1)}% of one core`);
    console.log(`  generator's ${PROPAGATION_METRIC} during churn: ${describeHistogram(propagated)}`);
    console.log(`  marathon-lb-style rebuild + haproxy -c per change: ${checkMs.toFixed(0)} ms per check of this ${CHURN_APPS}-app config × ${rate.toFixed(0)} changes/s = ${peerCpuPerSec.toFixed(1)} CPU-seconds per second of churn, before any reload; ours ${lbCpuPerSec.toFixed(3)} (${(peerCpuPerSec / lbCpuPerSec).toFixed(0)}× less)`);
    return reloads === 0 && failures.length === 0 && status1.endpoints === CHURN_APPS * CHURN_TASKS_PER_APP;
  } finally {
    for (const loop of loops) await loop.stop();
    const haproxyPid = lb ? await sizedStatus(lb).then((s) => s.haproxyPid, () => null) : null;
    await lb?.stop();
    if (haproxyPid !== null && isAlive(haproxyPid)) process.kill(haproxyPid, 'SIGKILL');
    await fake?.close();
    server?.kill();
    if (process.env.BENCH_KEEP_DIRS === '1') console.log(`kept ${dir}`);
    else removeDir(dir);
  }
}

async function main(): Promise<void> {
  const which = process.argv[2];
  let met = true;
  if (!which || which === 'cluster') met = (await realCluster()) && met;
  if (!which || which === 'churn') met = (await churn()) && met;
  console.log('');
  console.log(met ? 'goals met' : 'goals NOT met');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
