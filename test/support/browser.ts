// Debian's Chromium driven by playwright-core (no browser download), started as
// docs/environment notes say: headless, no sandbox (root), nothing fetched in the background, a
// fresh profile per run. Screenshots go to test/output/<folder>/ (gitignored).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT, tempDir } from './processes';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface TestBrowser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  /** Saves a full-page PNG as test/output/<folder>/<NN>-<name>.png and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startBrowser(outputFolder: string): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`npm test\` (its setup installs Debian's chromium) or apt-get install chromium`);
  const profile = tempDir('chromium-profile');
  // A persistent context is the way to give Chromium our own fresh --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const output = join(REPO_ROOT, 'test', 'output', outputFolder);
  rmSync(output, { recursive: true, force: true });
  mkdirSync(output, { recursive: true });
  let shots = 0;
  return {
    context,
    newPage: () => context.newPage(),
    async screenshot(page, name) {
      shots += 1;
      const path = join(output, `${String(shots).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
