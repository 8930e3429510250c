// The web UI in Debian's Chromium against a real cluster (master, two agents, Marathon): an app
// created through the form appears in another tab's list and turns running without a reload; its
// page lists its tasks with working host:port links; scaling from the page brings the new tasks;
// a spec with two mistakes shows both of Marathon's 422 messages at their fields and creates
// nothing. When Marathon restarts under an open page, a banner says the connection is lost, then
// that it is back, and the page reads the apps again without reloading. Ten tabs of one browser
// stay live. Screenshots go to test/output/ui/.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startBrowser, type TestBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
import { marathonSuite } from '../support/marathon';

/** Generous: a loaded 2-core machine may take a while to launch Python and render. */
const WAIT_MS = 60_000;
const APP_ID = '/ui-test/web';

describe('web UI on a real cluster', function () {
  this.timeout(240_000);
  const { marathon } = marathonSuite(2);
  let browser: TestBrowser;
  let list: Page;
  let form: Page;
  const loads = { list: 0 };

  before(async () => {
    const ui = await fetch(`${marathon.url}/ui/`);
    if (!ui.ok) throw new Error(`Marathon does not serve the UI (${ui.status}: ${await ui.text()}); run \`npm run build\``);
    browser = await startBrowser('ui');
    list = await browser.newPage();
    form = await browser.newPage();
    for (const page of [list, form]) page.setDefaultTimeout(WAIT_MS);
    list.on('load', () => (loads.list += 1));
  });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const [name, page] of [['list', list], ['form', form]] as const) if (page) await browser.screenshot(page, `failed-${name}`).catch(() => undefined);
  });
  after(async () => {
    await browser?.close();
  });

  it('creates an app through the form; another tab lists it and sees it turn running without a reload', async () => {
    await list.goto(`${marathon.url}/`);
    expect(new URL(list.url()).pathname).to.equal('/ui/');
    await list.waitForSelector('#apps-empty');
    // Set in the page: a reload would lose it.
    await list.evaluate('window.__tepuiNoReload = "still here"');
    await browser.screenshot(list, 'apps-empty');

    await form.goto(`${marathon.url}/ui/`);
    await form.click('text=Create app >> nth=0');
    await form.waitForSelector('#app-form');
    expect(new URL(form.url()).pathname).to.equal('/ui/create');
    await form.fill('#field-id', APP_ID);
    await form.fill('#field-cmd', 'exec python3 -m http.server $PORT0');
    await form.fill('#field-cpus', '0.1');
    await form.fill('#field-mem', '32');
    await form.fill('#field-labels', 'team=ui\ntier=web');
    await browser.screenshot(form, 'create-form');
    const submitted = Date.now();
    await form.click('#create-submit');

    const row = `tr[data-app-id="${APP_ID}"]`;
    await list.waitForSelector(`tr[data-group-id="/ui-test"]`);
    const listed = Date.now() - submitted;
    // The group folder leads to the app's row.
    await list.click('tr[data-group-id="/ui-test"] a');
    await list.waitForSelector(row);
    await list.waitForSelector(`${row}[data-status="running"] td.instances[data-running="1"]`, { timeout: WAIT_MS });
    const running = Date.now() - submitted;
    console.log(`      create → listed in another tab: ${listed} ms; → running there: ${running} ms`);
    expect(await list.textContent(`${row} td.labels`)).to.contain('team=ui');
    expect(await list.evaluate('window.__tepuiNoReload')).to.equal('still here');
    expect(loads.list, 'page loads of the list tab').to.equal(1);
    await browser.screenshot(list, 'apps-running');
  });

  it("shows the app's page at its own URL: tasks with state, health, start time and working host:port links", async () => {
    await form.waitForSelector('#app-title');
    expect(new URL(form.url()).pathname).to.equal('/ui/apps/ui-test/web');
    // The same URL opened fresh (a shared link) shows the same page.
    await list.click(`tr[data-app-id="${APP_ID}"] th a`);
    await list.waitForSelector('tr.task-row[data-state="Running"]');
    expect(new URL(list.url()).pathname).to.equal('/ui/apps/ui-test/web');
    const shared = await browser.newPage();
    await shared.goto(`${marathon.url}/ui/apps/ui-test/web`);
    await shared.waitForSelector('tr.task-row[data-state="Running"]', { timeout: WAIT_MS });
    await shared.close();

    const [task] = await marathon.running(APP_ID);
    expect(task).to.not.equal(undefined);
    const taskRow = `tr.task-row[data-task-id="${task!.id}"]`;
    const link = await list.getAttribute(`${taskRow} a`, 'href');
    expect(link).to.equal(`http://${task!.host}:${task!.ports[0]}/`);
    expect(await list.textContent(`${taskRow} td:nth-of-type(4)`)).to.match(/s ago|min ago/);
    const answer = await eventually(async () => (await fetch(link!)).status, { timeoutMs: WAIT_MS, message: 'the task did not answer on its link' });
    expect(answer).to.equal(200);
    await browser.screenshot(list, 'app-page');
  });

  it('scales the app from its page and shows the new tasks as they start', async () => {
    await list.fill('#scale-instances', '3');
    const clicked = Date.now();
    await list.click('#scale-submit');
    await list.waitForFunction('document.querySelectorAll("tr.task-row").length === 3', undefined, { timeout: WAIT_MS });
    const shown = Date.now() - clicked;
    await list.waitForFunction('document.querySelectorAll("tr.task-row[data-state=\\"Running\\"]").length === 3', undefined, { timeout: WAIT_MS });
    await list.waitForSelector('#app-instances[data-running="3"][data-target="3"]');
    console.log(`      scale 1 → 3: new tasks listed after ${shown} ms, all running after ${Date.now() - clicked} ms`);
    expect((await marathon.running(APP_ID)).length).to.equal(3);
    expect(loads.list, 'page loads of the list tab').to.equal(1);
    await browser.screenshot(list, 'app-scaled');
  });

  it("shows both of Marathon's 422 messages at their fields for a spec with two mistakes, and creates nothing", async () => {
    await form.goto(`${marathon.url}/ui/create`);
    await form.fill('#field-id', '/ui-test/broken');
    await form.fill('#field-cmd', 'sleep 100');
    await form.fill('#field-instances', '-1');
    await form.fill('#field-cpus', '-1');
    await form.click('#create-submit');
    await form.waitForSelector('[data-field="cpus"] [data-field-error="cpus"]');
    await form.waitForSelector('[data-field="instances"] [data-field-error="instances"]');
    expect(await form.textContent('[data-field-error="cpus"]')).to.contain('minimum');
    expect(await form.textContent('[data-field-error="instances"]')).to.contain('minimum');
    expect(await form.getAttribute('#field-cpus', 'aria-invalid')).to.equal('true');
    expect(await form.textContent('#form-errors')).to.contain('2 field errors');
    expect(new URL(form.url()).pathname, 'still on the form').to.equal('/ui/create');
    await browser.screenshot(form, 'create-422');
    expect((await marathon.json('GET', '/v2/apps/ui-test/broken')).status).to.equal(404);
    expect(((await marathon.json('GET', '/v2/apps')).body as { apps: Array<{ id: string }> }).apps.map((a) => a.id)).to.deep.equal([APP_ID]);
  });

  it('says when the event stream is lost and when it is back, then reads the apps again without a page reload', async () => {
    await list.click('header nav >> text=Applications');
    await list.waitForSelector(`tr[data-group-id="/ui-test"]`);
    const listReads: number[] = [];
    list.on('request', (req) => {
      if (new URL(req.url()).pathname === '/v2/apps') listReads.push(Date.now());
    });
    await marathon.stop();
    await list.waitForSelector('#connection-banner[data-connection="lost"]', { timeout: WAIT_MS });
    expect(await list.textContent('#connection-banner')).to.contain('lost');
    await browser.screenshot(list, 'connection-lost');
    const readsWhileDown = listReads.length;
    const restarted = Date.now();
    await marathon.start();
    await list.waitForSelector('#connection-banner[data-connection="restored"]', { timeout: WAIT_MS });
    await list.waitForFunction(`document.querySelector('tr[data-group-id="/ui-test"] td.instances')?.textContent.trim() === '3 / 3'`, undefined, { timeout: WAIT_MS });
    await eventually(() => listReads.length > readsWhileDown, { timeoutMs: WAIT_MS, message: 'the page did not read the apps again after the stream came back' });
    console.log(`      Marathon restarted; the page was live again ${Date.now() - restarted} ms after the restart began`);
    await browser.screenshot(list, 'connection-restored');
    await list.waitForSelector('#connection-banner[data-connection="live"]', { state: 'attached', timeout: WAIT_MS });
    expect(await list.evaluate('window.__tepuiNoReload')).to.equal('still here');
    expect(loads.list, 'page loads of the list tab').to.equal(1);
  });

  it('keeps eight more tabs of the same browser live: the tabs share one event stream (a browser opens six connections to a host)', async () => {
    const tabs: Page[] = [];
    for (let i = 0; i < 8; i++) {
      const tab = await browser.newPage();
      tab.setDefaultTimeout(WAIT_MS);
      await tab.goto(`${marathon.url}/ui/`);
      await tab.waitForFunction(`document.querySelector('tr[data-group-id="/ui-test"] td.instances')?.textContent.trim() === '3 / 3'`);
      tabs.push(tab);
    }
    expect((await marathon.json('PUT', `/v2/apps${APP_ID}`, { instances: 2 })).status).to.equal(200);
    for (const tab of [list, ...tabs]) {
      await tab.waitForFunction(`document.querySelector('tr[data-group-id="/ui-test"] td.instances')?.textContent.trim() === '2 / 2'`);
    }
    await browser.screenshot(tabs[7]!, 'tenth-tab-live');
    for (const tab of tabs) await tab.close();
  });
});
