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

describe('fetcher against a local HTTP server', () => {
  let dir: string;
  let server: Server;
  let base: string;
  let fetcher: Fetcher;
  /** A short stall timeout, for the one case that stalls: elsewhere a paused machine must not look like a stall. */
  let impatient: Fetcher;
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
      if (path === '/tool') return void res.end('#!/bin/sh\necho tool\n');
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
  });
  after(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
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

  it('fails naming the URI: HTTP errors, stalls, short bodies, corrupt archives, unreachable hosts', async () => {
    const box = sandbox();
    const missing = await failure(fetcher.fetch({ sandbox: box, uris: [{ value: `${base}/tool` }, { value: `${base}/missing.tgz` }] }));
    expect(missing.uri).to.equal(`${base}/missing.tgz`);
    expect(missing.message).to.equal(`Failed to fetch '${base}/missing.tgz': Error downloading resource, received HTTP return code 404`);
    expect(readdirSync(box).sort()).to.deep.equal(['stderr', 'tool']);
    expect((await failure(impatient.fetch({ sandbox: sandbox(), uris: [{ value: `${base}/stall`, cache: true }] }))).message).to.include('stalled');
    expect((await failure(fetcher.fetch({ sandbox: sandbox(), uris: [{ value: `${base}/short` }] }))).message).to.match(/Error downloading resource|ended early/);
    expect((await failure(fetcher.fetch({ sandbox: sandbox(), uris: [{ value: `${base}/tool`, output_file: 'x.tgz' }] }))).message).to.include('Failed to extract');
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
