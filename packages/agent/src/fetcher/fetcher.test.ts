import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import * as tar from 'tar';
import { Fetcher, FetchFailure } from './fetcher';
import { FetcherCache } from './fetcher-cache';
import { SandboxLayers, overlayMountsAtOrBelow, overlayMountsSupported } from './sandbox-layers';

describe('fetcher against a local HTTP server', () => {
  let dir: string;
  let server: Server;
  let base: string;
  let fetcher: Fetcher;
  /** A short stall timeout, for the one case that stalls: elsewhere a paused machine must not look like a stall. */
  let impatient: Fetcher;
  /** Mounts sandboxes over the cache's files where it can (root, overlayfs), as the agent does. */
  let layered: Fetcher;
  let layers: SandboxLayers;
  const requests = new Map<string, number>();
  const hanging: ServerResponse[] = [];
  let tarball: Buffer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fetcher-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'run.sh'), '#!/bin/sh\necho ran\n', { mode: 0o755 });
    tar.c({ file: join(dir, 'app.tgz'), gzip: true, cwd: join(dir, 'src'), sync: true }, ['run.sh']);
    tarball = readFileSync(join(dir, 'app.tgz'));
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      requests.set(path, (requests.get(path) ?? 0) + 1);
      if (path.split('?')[0] === '/app.tgz') return void setTimeout(() => res.end(tarball), 50);
      if (path.split('?')[0] === '/tool') return void res.end('#!/bin/sh\necho tool\n');
      if (path === '/moved') return void res.writeHead(302, { Location: '/tool' }).end();
      if (path === '/stall') {
        res.writeHead(200, { 'Content-Length': '1000' }).write('x');
        hanging.push(res);
        return;
      }
      if (path === '/short') {
        res.writeHead(200, { 'Content-Length': '1000' }).write('only a little');
        setTimeout(() => res.destroy(), 20);
        return;
      }
      if (path === '/conf.gz') return void res.end(gzipSync('a=1\n'));
      res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cache = new FetcherCache(join(dir, 'cache'), 1 << 20, pino({ level: 'silent' }));
    await cache.reset();
    fetcher = new Fetcher({ cache, stallTimeoutMs: 30_000 }, pino({ level: 'silent' }));
    impatient = new Fetcher({ cache, stallTimeoutMs: 300 }, pino({ level: 'silent' }));
    layers = new SandboxLayers(join(dir, 'layers'), pino({ level: 'silent' }));
    layered = new Fetcher({ cache, stallTimeoutMs: 30_000, layers }, pino({ level: 'silent' }));
  });
  after(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await layers.releaseBelow(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  const sandbox = () => join(dir, `sandbox-${++n}`);
  const failure = async (promise: Promise<void>) => {
    const err = await promise.then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(FetchFailure);
    return err as FetchFailure;
  };

  it('downloads, extracts archives, makes executables executable and decompresses .gz files', async () => {
    const box = sandbox();
    await fetcher.fetch({ sandbox: box, uris: [{ value: `${base}/app.tgz` }, { value: `${base}/moved`, executable: true, output_file: 'bin/tool' }, { value: `${base}/conf.gz` }] });
    expect(readFileSync(join(box, 'run.sh'), 'utf8')).to.include('echo ran');
    expect(existsSync(join(box, 'app.tgz'))).to.equal(true);
    expect(statSync(join(box, 'bin', 'tool')).mode & 0o777).to.equal(0o755);
    expect(readFileSync(join(box, 'conf'), 'utf8')).to.equal('a=1\n');
    expect(readFileSync(join(box, 'stderr'), 'utf8')).to.include(`Fetching URI '${base}/app.tgz'`);
  });

  it('fetches a cached URI once for many concurrent sandboxes, and copies it into each', async () => {
    const before = requests.get('/app.tgz') ?? 0;
    const boxes = Array.from({ length: 8 }, sandbox);
    await Promise.all(boxes.map((box) => fetcher.fetch({ sandbox: box, user: 'root', uris: [{ value: `${base}/app.tgz`, cache: true }] })));
    await fetcher.fetch({ sandbox: sandbox(), user: 'root', uris: [{ value: `${base}/app.tgz`, cache: true }] });
    expect((requests.get('/app.tgz') ?? 0) - before).to.equal(1);
    for (const box of boxes) expect(readFileSync(join(box, 'run.sh'), 'utf8')).to.include('echo ran');
  });

  it('unpacks a cached archive once, giving every sandbox its own copy of the files', async () => {
    const [one, two] = [sandbox(), sandbox()];
    const uri = { value: `${base}/app.tgz?unpacked-once`, cache: true };
    await fetcher.fetch({ sandbox: one, uris: [uri] });
    await fetcher.fetch({ sandbox: two, uris: [uri] });
    writeFileSync(join(one, 'run.sh'), 'changed by a task');
    expect(readFileSync(join(two, 'run.sh'), 'utf8')).to.include('echo ran');
    expect(statSync(join(two, 'run.sh')).mode & 0o111).to.not.equal(0);
    expect(existsSync(join(two, 'app.tgz'))).to.equal(true);
    expect(readFileSync(join(two, 'stderr'), 'utf8')).to.include('unpacked once in the fetcher cache');
    const third = sandbox();
    await fetcher.fetch({ sandbox: third, uris: [uri] });
    expect(readFileSync(join(third, 'run.sh'), 'utf8')).to.include('echo ran');
  });

  it('mounts sandboxes over the cached files instead of copying them, each keeping its changes to itself', async function () {
    // Skipped where the agent cannot mount overlayfs (not root, no overlayfs in the kernel): there
    // it copies, which the tests above and the next one cover.
    if (!(await overlayMountsSupported())) this.skip();
    const boxes = [sandbox(), sandbox(), sandbox()];
    const uris = [{ value: `${base}/app.tgz?layered`, cache: true }, { value: `${base}/tool?layered`, cache: true, executable: true, output_file: 'bin/tool' }];
    await Promise.all(boxes.map((box) => layered.fetch({ sandbox: box, uris })));
    expect(requests.get('/app.tgz?layered')).to.equal(1);
    expect(requests.get('/tool?layered')).to.equal(1);
    expect(await overlayMountsAtOrBelow(dir)).to.include.members(boxes);
    for (const box of boxes) {
      expect(readFileSync(join(box, 'run.sh'), 'utf8')).to.include('echo ran');
      expect(existsSync(join(box, 'app.tgz'))).to.equal(true);
      expect(statSync(join(box, 'bin', 'tool')).mode & 0o777).to.equal(0o755);
      expect(readFileSync(join(box, 'stderr'), 'utf8')).to.include('as read-only layers');
    }
    writeFileSync(join(boxes[0]!, 'run.sh'), 'changed by a task');
    rmSync(join(boxes[0]!, 'bin', 'tool'));
    expect(readFileSync(join(boxes[1]!, 'run.sh'), 'utf8')).to.include('echo ran');
    expect(existsSync(join(boxes[1]!, 'bin', 'tool'))).to.equal(true);
    // Another sandbox asking for the tool without `executable` gets the cache's own mode, not 755.
    const plain = sandbox();
    await layered.fetch({ sandbox: plain, uris: [{ value: `${base}/tool?layered`, cache: true }] });
    expect(statSync(join(plain, 'tool')).mode & 0o111).to.equal(0);
    // An uncached URI before a cached one: both copied, so the later one wins where names clash.
    const mixed = sandbox();
    await layered.fetch({ sandbox: mixed, uris: [{ value: `${base}/tool`, output_file: 'run.sh' }, { value: `${base}/app.tgz?layered`, cache: true }] });
    expect(await overlayMountsAtOrBelow(mixed)).to.deep.equal([]);
    expect(readFileSync(join(mixed, 'run.sh'), 'utf8')).to.include('echo ran');
  });

  it('copies the cached files when the sandbox cannot be mounted', async () => {
    const box = join(dir, 'sandbox,unmountable');
    const before = requests.get('/tool?fallback') ?? 0;
    await layered.fetch({ sandbox: box, uris: [{ value: `${base}/app.tgz?layered`, cache: true }, { value: `${base}/tool?fallback`, cache: true, executable: true, output_file: 'bin/tool' }] });
    expect(await overlayMountsAtOrBelow(box)).to.deep.equal([]);
    expect(readFileSync(join(box, 'run.sh'), 'utf8')).to.include('echo ran');
    expect(existsSync(join(box, 'app.tgz'))).to.equal(true);
    expect(statSync(join(box, 'bin', 'tool')).mode & 0o777).to.equal(0o755);
    expect(requests.get('/tool?fallback')).to.equal(before + 1);
    const stderr = readFileSync(join(box, 'stderr'), 'utf8');
    expect(stderr).to.include('Copied from the fetcher cache');
    // Each URI fetched once: the copies come from what was brought for the layers.
    expect(stderr.match(/Fetching URI/g)).to.have.length(2);
  });

  it('fails naming the URI: HTTP errors, stalls, short bodies, corrupt archives, unreachable hosts', async () => {
    const box = sandbox();
    const missing = await failure(fetcher.fetch({ sandbox: box, uris: [{ value: `${base}/tool` }, { value: `${base}/missing.tgz` }] }));
    expect(missing.uri).to.equal(`${base}/missing.tgz`);
    expect(missing.message).to.equal(`Failed to fetch '${base}/missing.tgz': Error downloading resource, received HTTP return code 404`);
    expect(readdirSync(box).sort()).to.deep.equal(['stderr', 'tool']);
    expect((await failure(impatient.fetch({ sandbox: sandbox(), uris: [{ value: `${base}/stall`, cache: true }] }))).message).to.include('stalled');
    expect((await failure(fetcher.fetch({ sandbox: sandbox(), uris: [{ value: `${base}/short` }] }))).message).to.match(/Error downloading resource|ended early/);
    expect((await failure(fetcher.fetch({ sandbox: sandbox(), uris: [{ value: `${base}/tool`, output_file: 'x.tgz' }] }))).message).to.include('Failed to extract');
    // Cached, it is unpacked as it downloads: the failure is the same, and nothing half-unpacked stays in the cache.
    for (const f of [fetcher, layered]) {
      expect((await failure(f.fetch({ sandbox: sandbox(), uris: [{ value: `${base}/tool?corrupt`, output_file: 'x.tgz', cache: true }] }))).message).to.include('Failed to extract');
    }
    const cached = readdirSync(join(dir, 'cache')).filter((name) => name.includes('x.tgz'));
    expect(cached).to.have.length(1);
    expect(cached[0]).to.match(/^c\d+-x\.tgz$/);
    expect((await failure(fetcher.fetch({ sandbox: sandbox(), uris: [{ value: 'http://127.0.0.1:1/x' }] }))).message).to.include('ECONNREFUSED');
    expect((await failure(fetcher.fetch({ sandbox: sandbox(), uris: [{ value: 'ftp://h/x' }] }))).message).to.include("does not support 'ftp://'");
  });

  it('copies local files and file:// URIs', async () => {
    const box = sandbox();
    await fetcher.fetch({ sandbox: box, uris: [{ value: join(dir, 'app.tgz'), extract: false }, { value: `file://${join(dir, 'src', 'run.sh')}` }] });
    expect(readFileSync(join(box, 'app.tgz'))).to.deep.equal(tarball);
    expect(readFileSync(join(box, 'run.sh'), 'utf8')).to.include('echo ran');
    expect((await failure(fetcher.fetch({ sandbox: sandbox(), uris: [{ value: join(dir, 'nope') }] }))).message).to.include('ENOENT');
  });
});
