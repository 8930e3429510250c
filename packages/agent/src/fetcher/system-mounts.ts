// How the agent makes and removes its sandbox mounts. Two ways, one contract: the mount(2) and
// umount2(2) system calls through the agent's native addon (native/mount.c), or mount(8) and
// umount(8) where the addon was not built. The system calls are what the agent uses wherever it can:
// twenty sandboxes mount in a few milliseconds, where mount(8) took half a second under load.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MountHelper } from './mount-helper';

const run = promisify(execFile);

export interface SystemMounts {
  /** How mounts are made, for the agent's log: 'mount(2)' or 'mount(8)'. */
  readonly method: 'mount(2)' | 'mount(8)';
  /** Mounts an overlay at `target` with the given `-o` options. */
  mountOverlay(options: string, target: string): Promise<void>;
  /** Unmounts `target`; with `detach`, lazily (the kernel frees it when the last file is closed). */
  unmount(target: string, detach?: boolean): Promise<void>;
  close(): void;
}

interface MountAddon {
  mountOverlay(options: string, target: string): void;
  unmount(target: string, detach: boolean): void;
}

/** The addon's functions, or undefined where it was not built (no compiler when installed). */
export function loadMountAddon(): MountAddon | undefined {
  try {
    // dist/fetcher → the package's build/Release, where node-gyp puts it at install.
    return require(join(__dirname, '..', '..', 'build', 'Release', 'tepui_mount.node')) as MountAddon;
  } catch {
    return undefined;
  }
}

export class NativeMounts implements SystemMounts {
  readonly method = 'mount(2)';
  constructor(private readonly addon: MountAddon) {}

  mountOverlay(options: string, target: string): Promise<void> {
    return attempt(() => this.addon.mountOverlay(options, target));
  }

  unmount(target: string, detach = false): Promise<void> {
    return attempt(() => this.addon.unmount(target, detach));
  }

  close(): void {}
}

export class ShellMounts implements SystemMounts {
  readonly method = 'mount(8)';
  private readonly helper = new MountHelper();

  mountOverlay(options: string, target: string): Promise<void> {
    return this.helper.mountOverlay(options, target);
  }

  async unmount(target: string, detach = false): Promise<void> {
    await run('umount', detach ? ['-l', target] : [target]);
  }

  close(): void {
    this.helper.close();
  }
}

/** The system calls where the addon is built, mount(8) elsewhere. */
export function systemMounts(): SystemMounts {
  const addon = loadMountAddon();
  return addon ? new NativeMounts(addon) : new ShellMounts();
}

function attempt(call: () => void): Promise<void> {
  try {
    call();
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err as Error);
  }
}
