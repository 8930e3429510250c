// Real overlayfs mounts (the agent runs as root here, as in production): a sandbox over layers of
// hard links, what a task may do to its files, and unmounting before removal.
import { expect } from 'chai';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { layersDirName } from './overlay-mounts';
import { SandboxLayers, overlayMountsAtOrBelow, overlayMountsSupported } from './sandbox-layers';

describe('sandbox layers (real overlayfs mounts)', function () {
  let dir: string;
  let layers: SandboxLayers;

  before(async function () {
    // Skipped where mounting is impossible (not root, no overlayfs in the kernel): the agent copies
    // there instead, which fetcher.test.ts covers. CI runs as root with overlayfs, so these run.
    if (!(await overlayMountsSupported())) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'layers-'));
    mkdirSync(join(dir, 'cache', 'tree', 'conf'), { recursive: true });
    writeFileSync(join(dir, 'cache', 'tree', 'conf', 'app.conf'), 'port=1\n');
    writeFileSync(join(dir, 'cache', 'tree', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(dir, 'cache', 'tool'), 'tool v1\n');
    layers = new SandboxLayers(join(dir, 'layers'), pino({ level: 'silent' }));
    await layers.sweep();
  });
  after(async () => {
    if (!dir) return;
    await layers.releaseBelow(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  const sandboxWithStderr = (name: string) => {
    const sandbox = join(dir, 'sandboxes', name);
    mkdirSync(sandbox, { recursive: true });
    writeFileSync(join(sandbox, 'stderr'), 'before the mount\n');
    return sandbox;
  };

  it('shows every layer, the last on top, and keeps each sandbox\'s changes its own', async () => {
    const [a, b] = [sandboxWithStderr('a'), sandboxWithStderr('b')];
    for (const sandbox of [a, b]) {
      expect(await layers.mount(sandbox, [
        [{ source: join(dir, 'cache', 'tree'), target: '' }],
        [{ source: join(dir, 'cache', 'tool'), target: 'bin/tool' }, { source: join(dir, 'cache', 'tree', 'run.sh'), target: 'conf/app.conf' }],
      ])).to.equal(true);
    }
    expect(await overlayMountsAtOrBelow(join(dir, 'sandboxes'))).to.have.members([a, b]);
    expect(readFileSync(join(a, 'stderr'), 'utf8')).to.equal('before the mount\n');
    expect(readFileSync(join(a, 'bin', 'tool'), 'utf8')).to.equal('tool v1\n');
    expect(readFileSync(join(a, 'conf', 'app.conf'), 'utf8')).to.equal('#!/bin/sh\n'); // the upper layer wins
    expect(statSync(join(a, 'run.sh')).mode & 0o777).to.equal(0o755);

    // A task writes to, truncates and removes fetched files: only its own sandbox changes.
    appendFileSync(join(a, 'bin', 'tool'), 'patched\n');
    writeFileSync(join(a, 'run.sh'), '');
    rmSync(join(a, 'conf'), { recursive: true });
    appendFileSync(join(a, 'stderr'), 'after\n');
    expect(readFileSync(join(dir, 'cache', 'tool'), 'utf8')).to.equal('tool v1\n');
    expect(readFileSync(join(dir, 'cache', 'tree', 'run.sh'), 'utf8')).to.equal('#!/bin/sh\n');
    expect(readFileSync(join(b, 'bin', 'tool'), 'utf8')).to.equal('tool v1\n');
    expect(readFileSync(join(b, 'run.sh'), 'utf8')).to.equal('#!/bin/sh\n');
    expect(readFileSync(join(b, 'conf', 'app.conf'), 'utf8')).to.equal('#!/bin/sh\n');

    // The cache may drop its files while sandboxes use them: the layers are links of their own.
    rmSync(join(dir, 'cache', 'tool'));
    expect(readFileSync(join(b, 'bin', 'tool'), 'utf8')).to.equal('tool v1\n');
    writeFileSync(join(dir, 'cache', 'tool'), 'tool v1\n');

    // Unmounted before removal: what the task wrote stays in the directory, the layers go.
    await layers.releaseBelow(a);
    expect(await overlayMountsAtOrBelow(join(dir, 'sandboxes'))).to.deep.equal([b]);
    expect(existsSync(join(dir, 'layers', layersDirName(a)))).to.equal(false);
    expect(readFileSync(join(a, 'stderr'), 'utf8')).to.equal('before the mount\nafter\n');
    expect(readFileSync(join(a, 'bin', 'tool'), 'utf8')).to.equal('tool v1\npatched\n');
    expect(existsSync(join(a, 'conf', 'app.conf'))).to.equal(false);
  });

  it('sweeps layers whose sandbox is not mounted, and keeps the ones in use', async () => {
    const b = join(dir, 'sandboxes', 'b');
    mkdirSync(join(dir, 'layers', 'left-by-an-earlier-run', 'l0'), { recursive: true });
    await layers.sweep();
    expect(readdirSync(join(dir, 'layers'))).to.deep.equal([layersDirName(b)]);
    expect(readFileSync(join(b, 'bin', 'tool'), 'utf8')).to.equal('tool v1\n');
  });

  it('says so, and leaves nothing behind, when a sandbox cannot be mounted', async () => {
    const sandbox = sandboxWithStderr('c');
    expect(await layers.mount(sandbox, [[{ source: join(dir, 'cache', 'missing'), target: 'x' }]])).to.equal(false);
    expect(await layers.mount(join(dir, 'sandboxes', 'with,comma'), [[{ source: join(dir, 'cache', 'tool'), target: 'x' }]])).to.equal(false);
    // mount(8) itself refuses (no such mount point); the next mount works as before.
    const missing = join(dir, 'sandboxes', 'never-created');
    expect(await layers.mount(missing, [[{ source: join(dir, 'cache', 'tool'), target: 'x' }]])).to.equal(false);
    expect(existsSync(join(dir, 'layers', layersDirName(missing)))).to.equal(false);
    const d = sandboxWithStderr('d');
    expect(await layers.mount(d, [[{ source: join(dir, 'cache', 'tool'), target: 'x' }]])).to.equal(true);
    expect(readFileSync(join(d, 'x'), 'utf8')).to.equal('tool v1\n');
    await layers.releaseBelow(d);
    expect(existsSync(join(dir, 'layers', layersDirName(sandbox)))).to.equal(false);
    expect(await overlayMountsAtOrBelow(sandbox)).to.deep.equal([]);
    expect(readdirSync(sandbox)).to.deep.equal(['stderr']);
  });
});
