// The web UI under load, in Debian's Chromium against a real master, simulated agents and a real
// Marathon:
//   time to interactive of the apps page (navigation start → first rows painted and usable, the
//   page's own performance mark) and the page's JS heap, for 100 and 1,000 apps × 10 tasks
//   (goal: ≤ 1 s);
//   the CPU the master and Marathon spend per minute on an idle cluster with 10 browsers open on
//   the UI, against the minutes before and after with none open (goal: near zero — no polling).
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, startBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
import { freePort, removeDir, startNodeProcess, tempDir, waitForHttp, type TepuiProcess } from '../support/processes';
import { startSimulatedCluster, type SimulatedCluster } from '../support/simulated-cluster';

const TASKS = 10;
const AGENTS = 100;
const GOAL_MS = 1000;
const TABS = 10;
const IDLE_WINDOW_MS = 30_000;
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds a process has used, from /proc/<pid>/stat (utime + stime). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

interface Setup { dir: string; sim: SimulatedCluster; marathon: TepuiProcess; url: string }

async function startCluster(apps: number): Promise<Setup> {
  const dir = tempDir('ui-bench');
  const sim = await startSimulatedCluster(dir, AGENTS);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const marathon = startNodeProcess('marathon', 'packages/marathon/dist/main.js', [
    `--master=http://127.0.0.1:${sim.masterPort}`, '--http_address=127.0.0.1', `--http_port=${port}`, '--hostname=127.0.0.1',
    `--state_dir=${dir}/marathon-state`, '--log_level=warn',
  ], dir, ['--max-old-space-size=4096']);
  await waitForHttp(`${url}/ping`);
  const body = Array.from({ length: apps }, (_, n) => ({
    id: `/bench/app-${String(n).padStart(4, '0')}`, cmd: 'sleep 3600', cpus: 0.01, mem: 1, instances: TASKS, portDefinitions: [], labels: { team: `t${n % 7}` },
  }));
  const put = await fetch(`${url}/v2/apps`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (put.status !== 200) throw new Error(`PUT /v2/apps answered ${put.status}`);
  await eventually(async () => {
    const listed = (await (await fetch(`${url}/v2/apps`)).json()) as { apps: Array<{ tasksRunning: number }> };
    return listed.apps.length === apps && listed.apps.every((a) => a.tasksRunning === TASKS);
  }, { timeoutMs: 600_000, intervalMs: 1000, message: `${apps} × ${TASKS} tasks did not run` });
  await eventually(async () => ((await (await fetch(`${url}/v2/deployments`)).json()) as unknown[]).length === 0, { timeoutMs: 120_000, intervalMs: 500 });
  return { dir, sim, marathon, url };
}

async function stopCluster(setup: Setup): Promise<void> {
  await setup.marathon.stop();
  await setup.sim.stop();
  removeDir(setup.dir);
}

async function timeToInteractive(page: Page, url: string, apps: number): Promise<number> {
  await page.goto(`${url}/ui/?group=/bench`);
  await page.waitForFunction("performance.getEntriesByName('tepui:apps-interactive').length > 0", undefined, { timeout: 60_000 });
  const ms = Number(await page.evaluate("performance.getEntriesByName('tepui:apps-interactive')[0].startTime"));
  await page.waitForFunction(`document.querySelectorAll('tr.app-row').length === ${apps}`, undefined, { timeout: 60_000 });
  return ms;
}

async function measure(apps: number, idleCpu: boolean): Promise<void> {
  const setup = await startCluster(apps);
  const browser = await startBrowser(`ui-bench-${apps}`);
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(60_000);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await timeToInteractive(page, setup.url, apps));
    const median = [...times].sort((a, b) => a - b)[2]!;
    const heap = Number(await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : 0'));
    console.log(`${apps} apps × ${TASKS} tasks: apps page interactive after ${times.map((t) => t.toFixed(0)).join(', ')} ms, median ${median.toFixed(0)} ms (goal ≤ ${GOAL_MS} ms: ${median <= GOAL_MS ? 'met' : 'NOT met'}); JS heap ${(heap / 1e6).toFixed(1)} MB`);
    await page.close();
    if (!idleCpu) return;
    const pids = { master: setup.sim.master.pid, marathon: setup.marathon.pid };
    const window = async () => {
      const before = { master: cpuSeconds(pids.master), marathon: cpuSeconds(pids.marathon) };
      await new Promise((r) => setTimeout(r, IDLE_WINDOW_MS));
      const perMinute = (s: number) => (s * 60_000) / IDLE_WINDOW_MS;
      return { master: perMinute(cpuSeconds(pids.master) - before.master), marathon: perMinute(cpuSeconds(pids.marathon) - before.marathon) };
    };
    // Let the start-up work (the first page loads, garbage collection) die down first.
    await new Promise((r) => setTimeout(r, 15_000));
    const before = await window();
    // Ten browsers, not ten tabs of one: each context has its own connection pool, as each user's
    // browser does (one browser allows six connections to a host across all its tabs).
    const many = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const tabs: Page[] = [];
    try {
      for (let i = 0; i < TABS; i++) {
        const tab = await (await many.newContext()).newPage();
        tab.setDefaultTimeout(60_000);
        await timeToInteractive(tab, setup.url, apps);
        tabs.push(tab);
      }
    } catch (err) {
      await many.close();
      throw err;
    }
    const open = await window();
    await many.close();
    const after = await window();
    // The cluster's own idle work (offers declined, reconciliation) before and after, averaged.
    const none = { master: (before.master + after.master) / 2, marathon: (before.marathon + after.marathon) / 2 };
    const added = open.master + open.marathon - none.master - none.marathon;
    console.log(
      `idle cluster, CPU seconds per minute: no browser open (mean of the minute before and after) — master ${none.master.toFixed(2)}, Marathon ${none.marathon.toFixed(2)}; ` +
      `${TABS} browsers open on the apps page — master ${open.master.toFixed(2)}, Marathon ${open.marathon.toFixed(2)}; ` +
      `the browsers add ${added.toFixed(2)} CPU s/min (goal: near zero, ≤ 0.5 s/min for all ten: ${added <= 0.5 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await browser.close();
    await stopCluster(setup);
  }
}

async function main(): Promise<void> {
  await measure(100, false);
  await measure(1000, true);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
