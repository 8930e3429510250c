import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pino from 'pino';
import { ManualClock } from '@tepui/protocol';
import { EventBus } from '../events/event-bus';
import { createMarathonApp } from './app';

describe('the web UI at /ui/', () => {
  let dir: string;
  let server: Server;
  let url: string;
  const get = (path: string) => fetch(`${url}${path}`, { redirect: 'manual' });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tepui-ui-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>UI</title>');
    writeFileSync(join(dir, 'assets', 'index-ab12.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-cd34.css'), 'body{}');
    const clock = new ManualClock();
    const app = createMarathonApp({
      log: pino({ level: 'silent' }), clock, bus: new EventBus(clock), uiBundleDir: dir,
      system: { version: '1.11.0', leader: () => '127.0.0.1:8080', elected: () => true, frameworkId: () => 'F', config: {}, httpPort: 8080 },
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects / and /ui to /ui/', async () => {
    expect((await get('/')).headers.get('location')).to.equal('/ui/');
    const ui = await get('/ui');
    expect(ui.status).to.equal(301);
    expect(ui.headers.get('location')).to.equal('/ui/');
  });

  it('serves index.html as HTML that browsers revalidate', async () => {
    const res = await get('/ui/');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(res.headers.get('cache-control')).to.equal('no-cache');
    expect(await res.text()).to.contain('<title>UI</title>');
  });

  it('serves hashed assets with their content types, cached for good', async () => {
    const js = await get('/ui/assets/index-ab12.js');
    expect(js.headers.get('content-type')).to.match(/^(text|application)\/javascript/);
    expect(js.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    expect((await get('/ui/assets/index-cd34.css')).headers.get('content-type')).to.match(/^text\/css/);
  });

  it('answers index.html for client routes, and 404 for a missing file', async () => {
    const page = await get('/ui/apps/prod/web');
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('<title>UI</title>');
    const missing = await get('/ui/assets/gone-1234.js');
    expect(missing.status).to.equal(404);
  });

  it('serves nothing outside the bundle', async () => {
    const res = await get('/ui/..%2F..%2Fetc%2Fpasswd');
    expect(res.status).to.be.oneOf([400, 403, 404]);
    expect(await res.text()).to.not.contain('root:');
  });

  it('says how to build the UI while its bundle is missing', async () => {
    rmSync(join(dir, 'index.html'));
    try {
      const res = await get('/ui/');
      expect(res.status).to.equal(404);
      expect(((await res.json()) as { message: string }).message).to.contain('npm run build');
    } finally {
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>UI</title>');
    }
  });
});
