import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { until } from '@tepui/protocol';
import { FetcherCache } from './fetcher-cache';

describe('fetcher cache', () => {
  let dir: string;
  let cache: FetcherCache;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fetcher-cache-'));
    cache = new FetcherCache(join(dir, 'cache'), 100, pino({ level: 'silent' }));
    await cache.reset();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const filler = (bytes: number) => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fill = async (file: string) => {
      calls++;
      await gate;
      writeFileSync(file, Buffer.alloc(bytes, 1));
      return bytes;
    };
    return { fill, calls: () => calls, release: () => release() };
  };

  it('coalesces concurrent fetches of one key into one download', async () => {
    const f = filler(10);
    const leases = Promise.all(Array.from({ length: 5 }, () => cache.acquire('k', 'a.tgz', f.fill)));
    f.release();
    const got = await leases;
    expect(f.calls()).to.equal(1);
    expect(new Set(got.map((l) => l.file)).size).to.equal(1);
    expect(got.filter((l) => !l.hit)).to.have.length(1);
    for (const l of got) l.release();
    const again = await cache.acquire('k', 'a.tgz', f.fill);
    expect(again.hit).to.equal(true);
    expect(f.calls()).to.equal(1);
  });

  it('shares a failed download with its waiters and keeps nothing, so the next fetch tries again', async () => {
    const fail = async () => { throw new Error('boom'); };
    const results = await Promise.allSettled([cache.acquire('k', 'x', fail), cache.acquire('k', 'x', fail)]);
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    expect(cache.stats().entries).to.equal(0);
    const f = filler(5);
    f.release();
    expect((await cache.acquire('k', 'x', f.fill)).hit).to.equal(false);
  });

  it('evicts the least recently used idle files beyond its size', async () => {
    const files: string[] = [];
    for (const key of ['a', 'b', 'c']) {
      const f = filler(40);
      f.release();
      const lease = await cache.acquire(key, key, f.fill);
      files.push(lease.file);
      lease.release();
    }
    expect(cache.stats()).to.deep.equal({ entries: 2, bytes: 80 });
    await until(() => !existsSync(files[0]!), 'the least recently used file to go');
    expect(existsSync(files[1]!)).to.equal(true);
    expect(existsSync(files[2]!)).to.equal(true);
  });

  it('serves a file larger than the cache to its readers, then removes it', async () => {
    const f = filler(500);
    f.release();
    const lease = await cache.acquire('big', 'big', f.fill);
    expect(existsSync(lease.file)).to.equal(true);
    expect(cache.stats().entries).to.equal(0);
    lease.release();
    await until(() => !existsSync(lease.file), 'the oversized file to go once read');
  });
});
