// The web UI's deployments page, versions and app actions in Debian's Chromium against a real
// cluster (master, two agents, Marathon): a rolling restart started from an app's page shows on
// /ui/deployments with its step progress and leaves when it is done, the app's tasks replaced; a
// 422 on the edit form shows at its field; an edit through the form makes a new version whose
// diff against the one before names the changed fields, and rolling back restores that
// definition; kill, kill-and-scale, suspend and destroy work from the page, each asked first; a
// stuck deployment is rolled back, another force-cancelled, from /ui/deployments. Screenshots go
// to test/output/ui-deployments/.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startBrowser, type TestBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
import { marathonSuite, type TestMarathon } from '../support/marathon';

/** Generous: a loaded 2-core machine may take a while to launch Python and render. */
const WAIT_MS = 90_000;
const APP_ID = '/ui-deploy/web';
const APP_PATH = '/ui/apps/ui-deploy/web';

/**
 * Two instances, replaced one at a time (minimumHealthCapacity 1 allows one extra), each new one
 * healthy only once its server is up a few seconds after launch: the restart runs long enough
 * for the page to show it.
 */
const WEB_APP = {
  id: APP_ID, cmd: 'sleep 3 && exec python3 -m http.server $PORT0', instances: 2, cpus: 0.1, mem: 32,
  portDefinitions: [{ port: 0 }], env: { MODE: 'first' }, labels: { team: 'ui' },
  upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 0.5 },
  healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 60, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 3 }],
};

interface AppJson {
  readonly app: Record<string, unknown> & { version: string; tasksHealthy: number; tasksRunning: number };
}

async function appJson(marathon: TestMarathon, id = APP_ID): Promise<AppJson['app']> {
  return ((await marathon.json('GET', `/v2/apps${id}`)).body as AppJson).app;
}

/** Clicks a button that opens a confirmation dialog, then the dialog's confirm button. */
async function confirm(page: Page, scope: string, label: string, confirmLabel: string): Promise<void> {
  await page.click(`${scope} button:text-is("${label}")`);
  await page.click(`${scope} dialog[open] button:text-is("${confirmLabel}")`);
}

describe('web UI: deployments, versions and app actions', function () {
  this.timeout(300_000);
  const { marathon } = marathonSuite(2);
  let browser: TestBrowser;
  let deployments: Page;
  let app: Page;

  before(async () => {
    const ui = await fetch(`${marathon.url}/ui/`);
    if (!ui.ok) throw new Error(`Marathon does not serve the UI (${ui.status}: ${await ui.text()}); run \`npm run build\``);
    browser = await startBrowser('ui-deployments');
    deployments = await browser.newPage();
    app = await browser.newPage();
    for (const page of [deployments, app]) page.setDefaultTimeout(WAIT_MS);
    const created = await marathon.json('POST', '/v2/apps', WEB_APP);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await eventually(async () => (await appJson(marathon)).tasksHealthy === 2, { timeoutMs: WAIT_MS, message: 'the app did not become healthy' });
    await marathon.waitForDeployments('the app did not finish deploying', WAIT_MS);
  });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const [name, page] of [['deployments', deployments], ['app', app]] as const) if (page) await browser.screenshot(page, `failed-${name}`).catch(() => undefined);
  });
  after(async () => {
    await browser?.close();
  });

  it('shows a rolling restart started from the app page on /ui/deployments with its progress, until it ends with every task replaced', async () => {
    await deployments.goto(`${marathon.url}/ui/`);
    await deployments.click('header nav >> text=Deployments');
    expect(new URL(deployments.url()).pathname).to.equal('/ui/deployments');
    await deployments.waitForSelector('#deployments-empty');

    await app.goto(`${marathon.url}${APP_PATH}`);
    await app.waitForFunction('document.querySelectorAll("tr.task-row[data-state=\\"Running\\"]").length === 2');
    const before = (await marathon.running(APP_ID)).map((t) => t.id);
    expect(before).to.have.length(2);
    await confirm(app, '.controls', 'Restart', 'Restart');
    await app.waitForSelector('#action-outcome.ok');

    const row = `tr.deployment-row:has(a.affected-app[href="${APP_PATH}"])`;
    await deployments.waitForSelector(row);
    await deployments.waitForSelector(`${row} .step-label:text-matches("Step 1 of 1")`);
    expect(await deployments.getAttribute(`${row} progress`, 'max')).to.equal('1');
    expect(await deployments.textContent(`${row} .current-actions`)).to.contain('RestartApplication');
    await browser.screenshot(deployments, 'rolling-restart');

    // The row leaves when Marathon reports the deployment done.
    await deployments.waitForSelector('#deployments-empty', { timeout: WAIT_MS * 2 });
    const after = await eventually(async () => {
      const running = (await marathon.running(APP_ID)).map((t) => t.id);
      return running.length === 2 && running;
    }, { timeoutMs: WAIT_MS, message: 'the app did not run two tasks after the restart' });
    expect(after.filter((id) => before.includes(id)), 'old tasks left after the restart').to.deep.equal([]);
    await app.waitForFunction(`${JSON.stringify(before)}.every((id) => document.querySelector('tr.task-row[data-task-id="' + id + '"]') === null)`);
    await browser.screenshot(deployments, 'restart-done');
  });

  it('edits the app through the form; the new version is listed, its diff names the change, and rolling back restores the first definition', async () => {
    const first = await appJson(marathon);
    await app.goto(`${marathon.url}${APP_PATH}`);
    await app.click('#edit-app');
    await app.waitForSelector('#edit-title');
    expect(new URL(app.url()).pathname).to.equal(`${APP_PATH}/edit`);
    expect(await app.inputValue('#field-cmd')).to.equal(WEB_APP.cmd);
    expect(await app.inputValue('#field-env')).to.equal('MODE=first');
    expect(await app.getAttribute('#field-id', 'readonly'), 'a PUT cannot rename').to.not.equal(null);
    // Marathon's 422 lands at the field it names, as on the create form; nothing changes.
    await app.fill('#field-cpus', '-1');
    await app.click('#edit-submit');
    await app.waitForSelector('[data-field="cpus"] [data-field-error="cpus"]');
    expect(await app.textContent('[data-field-error="cpus"]')).to.contain('minimum');
    expect((await appJson(marathon)).version).to.equal(first.version);
    await browser.screenshot(app, 'edit-422');
    await app.fill('#field-cpus', String(WEB_APP.cpus));
    await app.fill('#field-env', 'MODE=second');
    await app.fill('#field-labels', 'team=ui\nedited=yes');
    await browser.screenshot(app, 'edit-form');
    await app.click('#edit-submit');

    await app.waitForSelector('#app-title');
    expect(new URL(app.url()).pathname).to.equal(APP_PATH);
    const edited = await eventually(async () => {
      const now = await appJson(marathon);
      return now.version !== first.version && now;
    }, { timeoutMs: WAIT_MS, message: 'the edit made no new version' });
    expect(edited.env).to.deep.equal({ MODE: 'second' });
    expect(edited.healthChecks, 'fields the form does not show are kept').to.have.length(1);

    await app.waitForSelector(`tr.version-row[data-version="${edited.version}"] .label.current`);
    await app.waitForSelector(`tr.version-row[data-version="${first.version}"]`);
    await app.selectOption('#diff-from', first.version);
    await app.selectOption('#diff-to', edited.version);
    await app.waitForSelector('#version-diff tr[data-path="env.MODE"][data-kind="changed"]');
    expect(await app.textContent('#version-diff tr[data-path="env.MODE"]')).to.contain('"first"').and.contain('"second"');
    await app.waitForSelector('#version-diff tr[data-path="labels.edited"][data-kind="added"]');
    expect(await app.$$eval('#version-diff tr.diff-row', (rows) => rows.map((r) => r.getAttribute('data-path'))))
      .to.deep.equal(['env.MODE', 'labels.edited']);
    await browser.screenshot(app, 'version-diff');

    await marathon.waitForDeployments('the edit did not finish deploying', WAIT_MS * 2);
    await confirm(app, `tr.version-row[data-version="${first.version}"]`, 'Roll back to this version', 'Roll back');
    await app.waitForSelector('#action-outcome.ok');
    const rolledBack = await eventually(async () => {
      const now = await appJson(marathon);
      return now.version !== edited.version && now;
    }, { timeoutMs: WAIT_MS, message: 'the rollback made no new version' });
    const definition = (a: Record<string, unknown>) => {
      const { version: _v, versionInfo: _vi, tasksRunning: _r, tasksStaged: _s, tasksHealthy: _h, tasksUnhealthy: _u, deployments: _d, tasks: _t, lastTaskFailure: _f, ...rest } = a;
      return rest;
    };
    expect(definition(rolledBack)).to.deep.equal(definition(first));
    await app.waitForSelector(`tr.version-row[data-version="${rolledBack.version}"] .label.current`);
    await browser.screenshot(app, 'rolled-back');
    await marathon.waitForDeployments('the rollback did not finish deploying', WAIT_MS * 2);
  });

  it('kills a task (replaced), kills and scales (one fewer), suspends and destroys the app from its page, each asked first', async () => {
    await app.goto(`${marathon.url}${APP_PATH}`);
    const runningRows = (n: number) => app.waitForFunction(`document.querySelectorAll('tr.task-row[data-state="Running"]').length === ${n}`);
    await runningRows(2);
    const [killed, killedAndScaled] = (await marathon.running(APP_ID)).map((t) => t.id);

    // Cancel first: nothing happens.
    await app.click(`tr.task-row[data-task-id="${killed}"] button:text-is("Kill")`);
    await app.click(`tr.task-row[data-task-id="${killed}"] dialog[open] button:text-is("Cancel")`);
    expect(await app.$(`tr.task-row[data-task-id="${killed}"] dialog[open]`)).to.equal(null);
    expect((await marathon.running(APP_ID)).map((t) => t.id)).to.include(killed);

    await confirm(app, `tr.task-row[data-task-id="${killed}"]`, 'Kill', 'Kill');
    await app.waitForSelector(`tr.task-row[data-task-id="${killed}"]`, { state: 'detached' });
    await runningRows(2);
    expect((await marathon.running(APP_ID)).map((t) => t.id)).to.not.include(killed);
    expect((await appJson(marathon)).instances, 'a kill keeps the target').to.equal(2);
    await browser.screenshot(app, 'task-killed');

    await confirm(app, `tr.task-row[data-task-id="${killedAndScaled}"]`, 'Kill & scale', 'Kill and scale');
    await app.waitForSelector('#app-instances[data-running="1"][data-target="1"]');
    await app.waitForSelector(`tr.task-row[data-task-id="${killedAndScaled}"]`, { state: 'detached' });
    expect((await appJson(marathon)).instances).to.equal(1);
    await eventually(async () => (await marathon.running(APP_ID)).length === 1, { timeoutMs: WAIT_MS, message: 'kill and scale left more than one task' });
    await marathon.waitForDeployments('kill and scale did not finish', WAIT_MS);

    await confirm(app, '.controls', 'Suspend', 'Suspend');
    await app.waitForSelector('#app-instances[data-running="0"][data-target="0"]');
    await app.waitForSelector('#tasks-empty');
    expect(await app.isDisabled('.controls button:text-is("Suspend")')).to.equal(true);
    expect((await appJson(marathon)).instances).to.equal(0);
    await browser.screenshot(app, 'suspended');
    await marathon.waitForDeployments('the suspend did not finish', WAIT_MS);

    await confirm(app, '.controls', 'Destroy', 'Destroy');
    await app.waitForURL(`${marathon.url}/ui/`);
    await eventually(async () => (await marathon.json('GET', `/v2/apps${APP_ID}`)).status === 404, { timeoutMs: WAIT_MS, message: 'the app was not destroyed' });
    await app.waitForSelector('tr[data-group-id="/ui-deploy"]', { state: 'detached' });
    await app.waitForSelector('#apps-empty');
    await browser.screenshot(app, 'destroyed');
  });

  it('rolls back and force-cancels deployments from /ui/deployments', async () => {
    // Never healthy (nothing listens), so its deployments wait until the page ends them.
    const stuck = (id: string, instances: number) => ({
      id, cmd: 'sleep 1000', instances, cpus: 0.1, mem: 32, portDefinitions: [{ port: 0 }],
      healthChecks: [{ protocol: 'TCP', portIndex: 0, gracePeriodSeconds: 600, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 1000 }],
    });
    await deployments.goto(`${marathon.url}/ui/deployments`);
    await deployments.waitForSelector('#deployments-empty');

    // Rolling back the creation of an app takes the app away again.
    expect((await marathon.json('POST', '/v2/apps', stuck('/ui-deploy/created', 1))).status).to.equal(201);
    const created = 'tr.deployment-row:has(a.affected-app[href="/ui/apps/ui-deploy/created"])';
    await deployments.waitForSelector(created);
    await browser.screenshot(deployments, 'stuck-deployment');
    await confirm(deployments, created, 'Roll back', 'Roll back');
    await deployments.waitForSelector('#deployment-outcome:text-matches("Rolling back")');
    await eventually(async () => (await marathon.json('GET', '/v2/apps/ui-deploy/created')).status === 404, { timeoutMs: WAIT_MS, message: 'the rollback did not remove the created app' });
    await deployments.waitForSelector('#deployments-empty');

    // Force-cancelling a scale stops it where it is: the app keeps its new target, no rollback starts.
    const scaled = await marathon.json('POST', '/v2/apps', { ...stuck('/ui-deploy/scaled', 0), healthChecks: [] });
    expect(scaled.status).to.equal(201);
    await marathon.waitForDeployments('the empty app did not deploy', WAIT_MS);
    expect((await marathon.json('PUT', '/v2/apps/ui-deploy/scaled', stuck('/ui-deploy/scaled', 1))).status).to.equal(200);
    const scaling = 'tr.deployment-row:has(a.affected-app[href="/ui/apps/ui-deploy/scaled"])';
    await deployments.waitForSelector(scaling);
    await confirm(deployments, scaling, 'Force cancel', 'Force cancel');
    await deployments.waitForSelector('#deployments-empty');
    expect((await marathon.json('GET', '/v2/deployments')).body).to.deep.equal([]);
    expect((await appJson(marathon, '/ui-deploy/scaled')).instances).to.equal(1);
    await browser.screenshot(deployments, 'force-cancelled');
  });
});
