// The web UI is usable, in Debian's Chromium against a real cluster (master, two agents of 4 CPUs,
// Marathon): an app's page says why the app waits (offers seen and used, and the reason each was
// declined, in words), and keeps saying it as offers come in, without a reload. At phone width
// (390×844) the apps list, an app's page and the create form fit without scrolling sideways. By
// keyboard alone, Tab reaches the search box and then the app links in their order, Enter opens an
// app's page at its own URL, a confirmation dialog is cancelled (Esc, or Enter on Cancel, where
// focus starts) and confirmed, and focus is always visible. Groups with no apps (created through
// /v2/groups) are listed in the group tree as they are created and deleted, without a reload.
// Screenshots go to test/output/ui-usable/.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startBrowser, type TestBrowser } from '../support/browser';
import { marathonSuite } from '../support/marathon';

/** Generous: a loaded 2-core machine may take a while to render and to see offers. */
const WAIT_MS = 60_000;

/** More CPUs than any agent has (each has 4). */
const HUGE_APP = { id: '/usable/huge', cmd: 'sleep 1000', instances: 1, cpus: 64, mem: 16 };
/** No agent's hostname is like "nowhere" (they are 127.0.0.x). */
const NOWHERE_APP = { id: '/usable/nowhere', cmd: 'sleep 1000', instances: 1, cpus: 0.1, mem: 16, constraints: [['hostname', 'LIKE', 'nowhere']] };
/** Runs, with a host port: its page has a task row with a host:port link and kill buttons. */
const RUNNING_APP = { id: '/usable/running', cmd: 'sleep 1000', instances: 1, cpus: 0.1, mem: 16, portDefinitions: [{ port: 0 }], labels: { team: 'ui', tier: 'web' } };
const PHONE = { width: 390, height: 844 };

/** Fails with the elements that stick out when the page is wider than the window. */
async function expectFitsWidth(page: Page, what: string): Promise<void> {
  const measured = await page.evaluate(`(() => {
    const inner = window.innerWidth;
    const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > inner + 0.5)
      .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : ''));
    return { scroll: document.documentElement.scrollWidth, inner, wide };
  })()`) as { scroll: number; inner: number; wide: string[] };
  expect(measured.scroll, `${what} is wider than the window; sticking out: ${measured.wide.join(', ')}`).to.be.at.most(measured.inner);
}

/** What has focus, as a selector-like text: an id, or a link's href. */
const FOCUSED = `(() => { const e = document.activeElement; return e ? (e.id ? '#' + e.id : e.getAttribute('href') ?? e.tagName.toLowerCase() + ':' + e.textContent.trim()) : ''; })()`;

describe('web UI: usable', function () {
  this.timeout(240_000);
  const { marathon } = marathonSuite(2);
  let browser: TestBrowser;
  let page: Page;
  let loads = 0;

  before(async () => {
    const ui = await fetch(`${marathon.url}/ui/`);
    if (!ui.ok) throw new Error(`Marathon does not serve the UI (${ui.status}: ${await ui.text()}); run \`npm run build\``);
    browser = await startBrowser('ui-usable');
    page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('load', () => (loads += 1));
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await browser.screenshot(page, 'failed').catch(() => undefined);
  });
  after(async () => {
    await browser?.close();
  });

  /** Opens the app's page before the app exists, creates it, and waits for the page to explain the wait. */
  async function expectWaitingFor(app: { id: string }, reason: string, reading: string): Promise<void> {
    const loadsBefore = loads;
    await page.goto(`${marathon.url}/ui/apps${app.id}`);
    await page.waitForSelector('#app-missing:text("does not exist")');
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    await page.waitForSelector('#app-title');
    await page.waitForSelector('.page-head [data-status="waiting"]');
    // Offers come in (Marathon declines each for 2 s in these tests) and the counts grow on the page.
    await page.waitForFunction(`Number(document.querySelector('#why-waiting')?.getAttribute('data-offers-seen')) >= 2`, undefined, { timeout: WAIT_MS });
    const row = `#why-waiting[data-waiting="true"] tr[data-reason="${reason}"]`;
    await page.waitForSelector(row);
    expect(await page.textContent(`${row} th`)).to.contain(reading);
    expect(Number(await page.textContent(`${row} td:nth-of-type(1)`)), 'offers declined for it').to.be.greaterThan(0);
    expect(await page.textContent('#why-offers')).to.match(/^\d+ offers seen, none used\./);
    const seen = Number(await page.getAttribute('#why-waiting', 'data-offers-seen'));
    await page.waitForFunction(`Number(document.querySelector('#why-waiting')?.getAttribute('data-offers-seen')) > ${seen}`, undefined, { timeout: WAIT_MS });
    expect(loads - loadsBefore, 'page loads').to.equal(1);
  }

  it('shows why an app asking for more CPUs than any agent has waits, live as offers come in', async () => {
    await expectWaitingFor(HUGE_APP, 'InsufficientCpus', 'needs 64 CPUs per instance; no offer had that many free');
    await browser.screenshot(page, 'waiting-cpus');
  });

  it('shows why an app with a constraint no agent meets waits', async () => {
    await expectWaitingFor(NOWHERE_APP, 'UnfulfilledConstraint', 'constraint hostname LIKE nowhere not met by the offering agents');
    await browser.screenshot(page, 'waiting-constraint');
  });

  it('fits the apps list, an app page and the create form in a phone-wide window', async () => {
    expect((await marathon.json('POST', '/v2/apps', RUNNING_APP)).status).to.equal(201);
    const phone = await browser.newPage();
    phone.setDefaultTimeout(WAIT_MS);
    try {
      await phone.setViewportSize(PHONE);
      await phone.goto(`${marathon.url}/ui/?group=/usable`);
      await phone.waitForSelector(`tr[data-app-id="${RUNNING_APP.id}"][data-status="running"]`);
      await expectFitsWidth(phone, 'the apps list');
      await browser.screenshot(phone, 'phone-apps');

      await phone.click(`tr[data-app-id="${RUNNING_APP.id}"] th a`);
      await phone.waitForSelector('tr.task-row[data-state="Running"]');
      await expectFitsWidth(phone, 'a running app page');
      await browser.screenshot(phone, 'phone-app');

      await phone.goto(`${marathon.url}/ui/apps${HUGE_APP.id}`);
      await phone.waitForSelector('#why-waiting tr[data-reason="InsufficientCpus"]');
      await expectFitsWidth(phone, 'a waiting app page');
      await browser.screenshot(phone, 'phone-app-waiting');

      await phone.click('header nav >> text=Create app');
      await phone.waitForSelector('#app-form');
      await expectFitsWidth(phone, 'the create form');
      await browser.screenshot(phone, 'phone-create');
    } finally {
      await phone.close();
    }
  });

  it('goes by keyboard: Tab reaches the search box, then the app links in order; Enter opens an app at its URL; focus is visible', async () => {
    await page.goto(`${marathon.url}/ui/?group=/usable`);
    await page.waitForSelector(`tr[data-app-id="${RUNNING_APP.id}"]`);
    const appLinks = await page.$$eval('#apps-table tr.app-row th a', (links) => links.map((a) => a.getAttribute('href')));
    expect(appLinks).to.deep.equal(['/ui/apps/usable/huge', '/ui/apps/usable/nowhere', '/ui/apps/usable/running']);
    const reached: string[] = [];
    while (reached.length < 40 && !reached.includes(appLinks[appLinks.length - 1]!)) {
      await page.keyboard.press('Tab');
      reached.push(String(await page.evaluate(FOCUSED)));
      if (reached.length === 1) {
        // The first stop shows where it is: the focus ring (a :focus-visible outline) is drawn.
        expect(await page.evaluate(`getComputedStyle(document.activeElement).outlineStyle`), 'focus outline').to.not.equal('none');
      }
    }
    const search = reached.indexOf('#app-search');
    expect(search, `the search box among ${reached.join(' ')}`).to.be.at.least(0);
    const linkStops = reached.filter((r) => appLinks.includes(r));
    expect(linkStops, 'app links in the order listed').to.deep.equal(appLinks);
    expect(reached.indexOf(appLinks[0]!)).to.be.greaterThan(search);
    expect(await page.evaluate(`getComputedStyle(document.activeElement).outlineStyle`), 'focus outline on an app link').to.not.equal('none');
    const rule = await page.evaluate(`[...document.styleSheets].some((sheet) => [...sheet.cssRules].some((r) => r.cssText.includes(':focus-visible')))`);
    expect(rule, 'a :focus-visible style').to.equal(true);
    await browser.screenshot(page, 'keyboard-focus-app-link');

    await page.keyboard.press('Enter');
    await page.waitForSelector('#app-title:text("/usable/running")');
    expect(new URL(page.url()).pathname).to.equal('/ui/apps/usable/running');
  });

  it('cancels and confirms a confirmation dialog by keyboard', async () => {
    await page.waitForSelector('tr.task-row[data-state="Running"]');
    const suspend = '.controls button:text-is("Suspend")';
    const dialog = '.controls dialog[open]';
    await page.focus(suspend);
    await page.keyboard.press('Enter');
    await page.waitForSelector(dialog);
    expect(await page.evaluate(FOCUSED), 'focus starts on Cancel').to.equal('button:Cancel');
    await page.keyboard.press('Escape');
    await page.waitForSelector(dialog, { state: 'detached' });

    await page.focus(suspend);
    await page.keyboard.press('Enter');
    await page.waitForSelector(dialog);
    await page.keyboard.press('Enter');
    await page.waitForSelector(dialog, { state: 'detached' });
    expect(((await marathon.json('GET', `/v2/apps${RUNNING_APP.id}`)).body as { app: { instances: number } }).app.instances, 'still 1 after two cancels').to.equal(1);

    await page.focus(suspend);
    await page.keyboard.press('Enter');
    await page.waitForSelector(dialog);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(FOCUSED)).to.equal('button:Suspend');
    await browser.screenshot(page, 'keyboard-confirm');
    await page.keyboard.press('Enter');
    await page.waitForSelector(dialog, { state: 'detached' });
    await page.waitForSelector('#app-instances[data-target="0"]');
    expect(((await marathon.json('GET', `/v2/apps${RUNNING_APP.id}`)).body as { app: { instances: number } }).app.instances).to.equal(0);
  });

  it('lists groups that have no apps, live as they are created and deleted', async () => {
    const loadsBefore = loads;
    await page.goto(`${marathon.url}/ui/`);
    await page.waitForSelector('tr[data-group-id="/usable"]');
    expect((await marathon.json('POST', '/v2/groups', { id: '/empty-team' })).status).to.equal(201);
    const emptyRow = 'tr[data-group-id="/empty-team"]';
    await page.waitForSelector(emptyRow);
    expect(await page.textContent(`${emptyRow} th`)).to.contain('no apps');
    expect(await page.textContent(`${emptyRow} td.instances`)).to.contain('0 / 0');
    await browser.screenshot(page, 'empty-group');

    await page.click(`${emptyRow} a`);
    await page.waitForSelector('#apps-empty:text("No apps here yet")');
    expect(new URL(page.url()).search).to.equal(`?group=${encodeURIComponent('/empty-team')}`);

    await page.click('.breadcrumbs a:text("All apps")');
    await page.click('tr[data-group-id="/usable"] a');
    await page.waitForSelector('tr[data-app-id="/usable/huge"]');
    expect((await marathon.json('PUT', '/v2/groups/usable/spare', {})).status).to.be.oneOf([200, 201]);
    await page.waitForSelector('tr[data-group-id="/usable/spare"]');
    expect((await marathon.json('DELETE', '/v2/groups/usable/spare')).status).to.equal(200);
    await page.waitForSelector('tr[data-group-id="/usable/spare"]', { state: 'detached' });
    expect(loads - loadsBefore, 'page loads').to.equal(1);
  });
});
