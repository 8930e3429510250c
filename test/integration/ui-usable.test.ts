// The web UI is usable, in Debian's Chromium against a real cluster (master, two agents of 4 CPUs,
// Marathon): an app's page says why the app waits (offers seen and used, and the reason each was
// declined, in words), and keeps saying it as offers come in, without a reload. Screenshots go to
// test/output/ui-usable/.
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
});
