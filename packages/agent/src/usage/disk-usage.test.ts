// Sandbox disk use: the walk counts allocated blocks as du does, stops at its bound, and the
// sampler walks a sandbox at most once an interval (time from a ManualClock), sharing a walk in flight.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ManualClock } from '@tepui/protocol';
import { DiskUsageSampler, directoryBytes, type DirectorySize } from './disk-usage';

describe('directoryBytes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tepui-disk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts files in subdirectories, and not what a symlink points to', async () => {
    const empty = await directoryBytes(dir);
    mkdirSync(join(dir, 'tasks', 't1'), { recursive: true });
    writeFileSync(join(dir, 'tasks', 't1', 'data'), Buffer.alloc(256 * 1024, 1));
    symlinkSync('/usr', join(dir, 'usr'));
    const filled = await directoryBytes(dir);
    expect(filled.complete).to.equal(true);
    expect(filled.bytes - empty.bytes).to.be.at.least(256 * 1024);
    expect(filled.bytes - empty.bytes).to.be.below(1024 * 1024);
  });

  it('stops at the entry bound and says so', async () => {
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `f${i}`), 'x');
    expect((await directoryBytes(dir, 3)).complete).to.equal(false);
    expect((await directoryBytes(dir, 5)).complete).to.equal(true);
  });

  it('rejects for a directory that is gone', async () => {
    let failed = false;
    await directoryBytes(join(dir, 'missing')).catch(() => (failed = true));
    expect(failed).to.equal(true);
  });
});

describe('DiskUsageSampler', () => {
  const setup = () => {
    const clock = new ManualClock();
    const walks: string[] = [];
    let bytes = 1000;
    const incomplete: string[] = [];
    const walk = async (dir: string): Promise<DirectorySize> => {
      walks.push(dir);
      if (dir === '/gone') throw new Error('ENOENT');
      return { bytes, complete: dir !== '/huge' };
    };
    const sampler = new DiskUsageSampler(walk, clock, 15_000, (dir) => incomplete.push(dir));
    return { clock, walks, sampler, incomplete, grow: (n: number) => (bytes = n) };
  };

  it('walks once an interval: the first request waits, a stale one gets the last figure and starts a walk', async () => {
    const { clock, walks, sampler, grow } = setup();
    expect(await sampler.usedBytes('/s')).to.equal(1000);
    grow(5000);
    clock.advance(14_999);
    expect(await sampler.usedBytes('/s')).to.equal(1000);
    expect(walks).to.deep.equal(['/s']);
    clock.advance(1);
    expect(await sampler.usedBytes('/s')).to.equal(1000);
    expect(walks).to.deep.equal(['/s', '/s']);
    await new Promise(setImmediate); // the background walk's callbacks run
    expect(await sampler.usedBytes('/s')).to.equal(5000);
    expect(walks).to.deep.equal(['/s', '/s']);
  });

  it('concurrent first requests share one walk', async () => {
    const { walks, sampler } = setup();
    expect(await Promise.all([sampler.usedBytes('/s'), sampler.usedBytes('/s')])).to.deep.equal([1000, 1000]);
    expect(walks).to.deep.equal(['/s']);
  });

  it('a sandbox that cannot be walked has no figure; an incomplete walk is reported', async () => {
    const { sampler, incomplete } = setup();
    expect(await sampler.usedBytes('/gone')).to.equal(undefined);
    expect(await sampler.usedBytes('/huge')).to.equal(1000);
    expect(incomplete).to.deep.equal(['/huge']);
  });

  it('forgets sandboxes it is no longer asked about', async () => {
    const { walks, sampler } = setup();
    await sampler.usedBytes('/a');
    await sampler.usedBytes('/b');
    sampler.retain(new Set(['/b']));
    await sampler.usedBytes('/a');
    await sampler.usedBytes('/b');
    expect(walks).to.deep.equal(['/a', '/b', '/a']);
  });
});
