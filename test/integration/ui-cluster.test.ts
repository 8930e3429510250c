// The web UI's cluster page and task output in Debian's Chromium against a real cluster (master,
// two agents, Marathon), everything read through Marathon's proxy of the master: the app page
// shows an app's printed lines in its output tail and new lines appear while it is watched (off
// screen it pauses, back on screen it reads on from its offset, no line lost); the
// cluster page lists each agent with the used resources /master/state reports, each role's and
// framework's dominant share as computed from /master/roles and the agents' totals, and a chart.
// Screenshots go to test/output/ui-cluster/.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { expectedShares, numbersOf } from '../support/drf';
import { startBrowser, type TestBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
import { marathonSuite } from '../support/marathon';

/** Generous: a loaded 2-core machine may take a while to launch tasks and render. */
const WAIT_MS = 60_000;
const APP_ID = '/ui-cluster/printer';

describe('web UI: cluster page and task output on a real cluster', function () {
  this.timeout(300_000);
  const { cluster, marathon } = marathonSuite(2);
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
    const ui = await fetch(`${marathon.url}/ui/`);
    if (!ui.ok) throw new Error(`Marathon does not serve the UI (${ui.status}: ${await ui.text()}); run \`npm run build\``);
    browser = await startBrowser('ui-cluster');
    page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    // One line a second, numbered, so the test can wait for a line that was not there before.
    const created = await marathon.json('POST', '/v2/apps', {
      id: APP_ID, cmd: 'i=0; while true; do i=$((i+1)); echo "tepui line $i"; echo "tepui err $i" >&2; sleep 1; done',
      instances: 1, cpus: 0.25, mem: 64,
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await eventually(async () => (await marathon.running(APP_ID)).length === 1, { timeoutMs: WAIT_MS, message: 'the printing app did not start' });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await browser.screenshot(page, 'failed').catch(() => undefined);
  });
  after(async () => {
    await browser?.close();
  });

  it("shows the task's stdout in the app page's output tail and follows new lines; stderr on the toggle", async () => {
    await page.goto(`${marathon.url}/ui/apps/ui-cluster/printer`);
    await page.waitForSelector('tr.task-row[data-state="Running"]');
    const [task] = await marathon.running(APP_ID);
    await page.locator('#task-log').scrollIntoViewIfNeeded();
    await page.waitForSelector(`#task-log-output[data-task-id="${task!.id}"][data-file="stdout"]`);
    await page.waitForFunction('/tepui line \\d+/.test(document.querySelector("#task-log-output").textContent)', undefined, { timeout: WAIT_MS });
    const lastLine = async (): Promise<number> => {
      const text = (await page.textContent('#task-log-output')) ?? '';
      const numbers = [...text.matchAll(/tepui line (\d+)/g)].map((m) => Number(m[1]));
      return numbers.length === 0 ? 0 : Math.max(...numbers);
    };
    const first = await lastLine();
    expect(first).to.be.greaterThan(0);
    // Following: a line printed after the first read appears without any action.
    await page.waitForFunction(`Math.max(...[...document.querySelector("#task-log-output").textContent.matchAll(/tepui line (\\d+)/g)].map((m) => Number(m[1]))) >= ${first + 2}`, undefined, { timeout: WAIT_MS });
    expect(await lastLine()).to.be.at.least(first + 2);
    expect(await page.textContent('#task-log-output')).to.not.contain('tepui err');
    await browser.screenshot(page, 'app-output-stdout');

    // Off screen it stops following; back on screen it reads on from where it stopped, no line lost.
    let reads = 0;
    const countReads = (request: { url(): string }) => {
      if (request.url().includes('/files/read')) reads += 1;
    };
    page.on('request', countReads);
    await page.setViewportSize({ width: 1280, height: 200 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.waitForSelector('#task-log-status[data-following="no"]', { state: 'attached' });
    const pausedAt = await lastLine();
    const readsWhenPaused = reads;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('#task-log').scrollIntoViewIfNeeded();
    await page.waitForSelector('#task-log-status[data-following="yes"]', { state: 'attached' });
    await page.waitForFunction(`Math.max(...[...document.querySelector("#task-log-output").textContent.matchAll(/tepui line (\\d+)/g)].map((m) => Number(m[1]))) >= ${pausedAt + 3}`, undefined, { timeout: WAIT_MS });
    page.off('request', countReads);
    expect(reads, 'reads after coming back on screen').to.be.greaterThan(readsWhenPaused);
    const shown = [...((await page.textContent('#task-log-output')) ?? '').matchAll(/tepui line (\d+)/g)].map((m) => Number(m[1]));
    expect(shown.every((n, i) => i === 0 || n === shown[i - 1]! + 1), 'consecutive lines, none lost or repeated').to.equal(true);

    await page.click('#task-log-stderr');
    await page.waitForSelector('#task-log-output[data-file="stderr"]');
    await page.waitForFunction('/tepui err \\d+/.test(document.querySelector("#task-log-output").textContent)', undefined, { timeout: WAIT_MS });
    expect(await page.textContent('#task-log-output')).to.not.contain('tepui line');
    await browser.screenshot(page, 'app-output-stderr');
  });

  it("lists each agent with the used resources /master/state reports, and follows a scale-up live", async () => {
    let loads = 0;
    page.on('load', () => (loads += 1));
    await page.goto(`${marathon.url}/ui/cluster`);
    await page.waitForFunction('document.querySelectorAll("tr.agent-row").length === 2', undefined, { timeout: WAIT_MS });
    // Read in the page (a string: the test is compiled without the DOM's types).
    const usedOnPage = async (): Promise<Record<string, Record<string, number>>> => page.evaluate(`(() => {
      const out = {};
      for (const row of document.querySelectorAll('tr.agent-row')) {
        const cells = {};
        for (const cell of row.querySelectorAll('td[data-resource]')) {
          cells[cell.dataset.resource] = Number(cell.dataset.used);
          cells[cell.dataset.resource + 'Total'] = Number(cell.dataset.total);
        }
        out[row.dataset.agentId] = cells;
      }
      return out;
    })()`);
    const matchesMaster = async (): Promise<boolean> => {
      const state = await cluster.state() as unknown as { slaves: Array<{ id: string; used_resources: Record<string, unknown>; resources: Record<string, unknown> }> };
      const shown = await usedOnPage();
      return state.slaves.every((agent) => {
        const row = shown[agent.id];
        const used = numbersOf(agent.used_resources);
        const total = numbersOf(agent.resources);
        return row !== undefined && ['cpus', 'mem', 'disk'].every((r) => Math.abs((row[r] ?? -1) - (used[r] ?? 0)) < 1e-9 && row[`${r}Total`] === total[r]);
      });
    };
    await eventually(matchesMaster, { timeoutMs: WAIT_MS, message: "the agents' used resources on the page never matched /master/state" });
    const usedCpus = (shown: Record<string, Record<string, number>>) => Object.values(shown).reduce((n, r) => n + (r.cpus ?? 0), 0);
    const before = usedCpus(await usedOnPage());
    expect(before, 'the printing task holds cpus').to.be.greaterThan(0);
    await page.waitForSelector('#utilisation-chart canvas');
    expect(Number(await page.getAttribute('#utilisation-chart', 'data-samples'))).to.be.at.least(1);
    await browser.screenshot(page, 'cluster');

    // Live: the master's events bring the second task's resources without a reload.
    const scaled = await marathon.json('PUT', `/v2/apps${APP_ID}`, { instances: 2 });
    expect(scaled.status, JSON.stringify(scaled.body)).to.equal(200);
    await eventually(async () => (await marathon.running(APP_ID)).length === 2, { timeoutMs: WAIT_MS, message: 'the app did not scale to 2' });
    await eventually(async () => usedCpus(await usedOnPage()) > before + 0.2 && (await matchesMaster()), { timeoutMs: WAIT_MS, message: 'the page did not show the second task' });
    expect(loads, 'page loads of the cluster page').to.equal(1);
    await browser.screenshot(page, 'cluster-scaled');
  });

  it("shows each role's and framework's dominant share as computed from /master/roles and /master/frameworks", async () => {
    await page.waitForSelector('tr.role-row');
    const sharesMatch = async (): Promise<string | undefined> => {
      const [state, roles, frameworks] = await Promise.all(['/master/state', '/master/roles', '/master/frameworks'].map(async (p) => (await fetch(`${cluster.masterUrl}${p}`)).json()));
      const expected = expectedShares(state, roles, frameworks);
      const shown = await page.evaluate<{ roles: Record<string, [number, number]>; frameworks: Record<string, number> }>(`({
        roles: Object.fromEntries([...document.querySelectorAll('tr.role-row')].map((r) => [r.dataset.role, [Number(r.dataset.share), Number(r.dataset.weight)]])),
        frameworks: Object.fromEntries([...document.querySelectorAll('tr.framework-row')].map((r) => [r.dataset.frameworkId, Number(r.dataset.share)])),
      })`);
      for (const [role, { share, weight }] of Object.entries(expected.roles)) {
        const row = shown.roles[role];
        if (!row || Math.abs(row[0]! - share) > 1e-9 || row[1] !== weight) return undefined;
      }
      for (const [id, share] of Object.entries(expected.frameworks)) {
        if (shown.frameworks[id] === undefined || Math.abs(shown.frameworks[id]! - share) > 1e-9) return undefined;
      }
      return JSON.stringify(expected);
    };
    const expected = JSON.parse(await eventually(sharesMatch, { timeoutMs: WAIT_MS, message: 'the shares on the page never matched the master' })) as { roles: Record<string, { share: number }>; frameworks: Record<string, number> };
    const marathonShare = Object.values(expected.frameworks).find((s) => s > 0);
    expect(marathonShare, "Marathon's framework holds a share").to.not.equal(undefined);
    expect(Object.values(expected.roles).some((r) => r.share > 0), 'a role holds a share').to.equal(true);
    expect(await page.textContent('#outstanding-offers')).to.match(/\d+ outstanding offers?/);
    await browser.screenshot(page, 'cluster-shares');
  });

  it('says when the master stream is lost and when it is back, then reads the cluster again without a reload', async () => {
    await page.evaluate('window.__tepuiNoReload = "still here"');
    await page.waitForSelector('#cluster-banner[data-connection="live"]', { state: 'attached' });
    await cluster.restartMaster();
    await page.waitForSelector('#cluster-banner[data-connection="lost"]', { timeout: WAIT_MS });
    expect(await page.textContent('#cluster-banner')).to.contain('lost');
    await browser.screenshot(page, 'cluster-lost');
    await page.waitForSelector('#cluster-banner[data-connection="restored"]', { timeout: WAIT_MS });
    expect(await page.textContent('#cluster-banner')).to.contain('back');
    // Read again: both agents re-registered with the restarted master are listed with their totals.
    await page.waitForFunction('document.querySelectorAll("tr.agent-row").length === 2', undefined, { timeout: WAIT_MS });
    expect(await page.evaluate('window.__tepuiNoReload')).to.equal('still here');
    await browser.screenshot(page, 'cluster-restored');
  });
});
