// One contract for both ways the agent mounts sandboxes: the system calls (the native addon) and
// mount(8)/umount(8). Real overlay mounts, as root (the agent's production setting).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { overlayMountsAtOrBelow, overlayMountsSupported } from './sandbox-layers';
import { NativeMounts, ShellMounts, loadMountAddon, systemMounts, type SystemMounts } from './system-mounts';

const implementations: Array<[string, () => SystemMounts]> = [
  ['the system calls (native addon)', () => {
    const addon = loadMountAddon();
    // npm install builds the addon (packages/agent's install script); without it the agent would
    // silently fall back to mount(8), so a missing addon fails here rather than being skipped.
    if (!addon) throw new Error('the native mount addon was not built (npm run install -w @tepui/agent)');
    return new NativeMounts(addon);
  }],
  ['mount(8) and umount(8)', () => new ShellMounts()],
];

for (const [name, make] of implementations) {
  describe(`system mounts: ${name}`, function () {
    let dir: string;
    let mounts: SystemMounts;

    before(async function () {
      // Skipped where mounting is impossible (not root, no overlayfs); CI runs as root with overlayfs.
      if (!(await overlayMountsSupported())) this.skip();
      mounts = make();
    });
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'mounts-'));
      for (const sub of ['lower', 'upper', 'work']) mkdirSync(join(dir, sub));
      writeFileSync(join(dir, 'lower', 'shared.txt'), 'from the lower layer\n');
      writeFileSync(join(dir, 'upper', 'own.txt'), 'already there\n');
    });
    afterEach(async () => {
      for (const mountPoint of await overlayMountsAtOrBelow(dir)) await mounts.unmount(mountPoint, true);
      rmSync(dir, { recursive: true, force: true });
    });
    after(() => mounts?.close());

    const options = () => `lowerdir=${join(dir, 'lower')},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`;

    it('mounts an overlay (its upper dir as the mount point) and unmounts it', async () => {
      const target = join(dir, 'upper');
      await mounts.mountOverlay(options(), target);
      expect(await overlayMountsAtOrBelow(dir)).to.deep.equal([target]);
      expect(readFileSync(join(target, 'shared.txt'), 'utf8')).to.equal('from the lower layer\n');
      expect(readFileSync(join(target, 'own.txt'), 'utf8')).to.equal('already there\n');
      writeFileSync(join(target, 'shared.txt'), 'changed\n');
      expect(readFileSync(join(dir, 'lower', 'shared.txt'), 'utf8')).to.equal('from the lower layer\n');

      await mounts.unmount(target);
      expect(await overlayMountsAtOrBelow(dir)).to.deep.equal([]);
      // What the task changed stays in its upper dir.
      expect(readFileSync(join(target, 'shared.txt'), 'utf8')).to.equal('changed\n');
    });

    it('refuses a mount it cannot make, naming the mount point', async () => {
      const missing = join(dir, 'no-such-dir');
      const err = await mounts.mountOverlay(options(), missing).then(() => undefined, (e: Error) => e);
      expect(err, 'the mount was refused').to.be.instanceOf(Error);
      expect(err!.message).to.include(missing);
      expect(await overlayMountsAtOrBelow(dir)).to.deep.equal([]);
    });

    it('a busy mount refuses a plain unmount and is detached lazily', async () => {
      const target = join(dir, 'upper');
      await mounts.mountOverlay(options(), target);
      // A process with its working directory in the mount keeps it busy.
      const holder = spawn('sleep', ['60'], { cwd: target, stdio: 'ignore' });
      await new Promise((resolve) => holder.once('spawn', resolve));
      try {
        const err = await mounts.unmount(target).then(() => undefined, (e: Error) => e);
        expect(err, 'a busy mount was unmounted').to.be.instanceOf(Error);
        await mounts.unmount(target, true);
        expect(await overlayMountsAtOrBelow(dir)).to.deep.equal([]);
      } finally {
        holder.kill('SIGKILL');
      }
    });
  });
}

describe('system mounts: choosing', () => {
  it('uses the system calls where the addon is built', () => {
    const chosen = systemMounts();
    chosen.close();
    // npm install builds the addon here, so the agent must not be running mount(8).
    expect(chosen).to.be.instanceOf(NativeMounts);
    expect(chosen.method).to.equal('mount(2)');
  });
});
