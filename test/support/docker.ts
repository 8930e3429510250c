// A private Docker Engine for tests: its own socket, data root and exec root, vfs storage, and a
// `local/busybox` image imported from Debian's static busybox (no registry is reachable). Stopping
// it leaves the machine as it was: containers removed, and the iptables rules, docker0 bridge and
// ip_forward setting that bridge networking changes put back.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, copyFileSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { eventually } from './eventually';

export const BUSYBOX_IMAGE = 'local/busybox';
const APPLETS = ['sh', 'sleep', 'httpd', 'nc', 'wget', 'cat', 'echo', 'ls', 'ps', 'env', 'hostname', 'ip', 'ifconfig', 'true', 'false', 'top', 'id', 'kill', 'dd'];

export class TestDocker {
  readonly socket: string;
  readonly client: Docker;
  private daemon?: ChildProcess;
  private readonly iptablesBefore: string;
  private readonly ipForwardBefore: string;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.socket = join(dir, 'docker.sock');
    this.client = new Docker({ socketPath: this.socket });
    this.iptablesBefore = execFileSync('iptables-save', { encoding: 'utf8' });
    this.ipForwardBefore = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
  }

  /** `unix://…` for DOCKER_HOST. */
  get host(): string {
    return `unix://${this.socket}`;
  }

  async start(): Promise<this> {
    const out = openSync(join(this.dir, 'dockerd.log'), 'a');
    this.daemon = spawn('dockerd', [
      '--host', this.host, '--data-root', join(this.dir, 'data'), '--exec-root', join(this.dir, 'exec'),
      '--pidfile', join(this.dir, 'docker.pid'), '--storage-driver=vfs',
    ], { stdio: ['ignore', out, out] });
    // A ping sent while dockerd is still coming up can hang: each attempt gets its own deadline.
    const ping = (): Promise<boolean> => Promise.race([
      this.client.ping().then((r) => r.toString() === 'OK'),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref()),
    ]);
    await eventually(ping, { timeoutMs: 30_000, message: 'dockerd did not answer' });
    return this;
  }

  /** Imports `local/busybox`: static busybox, applet links, /www/index.html for httpd. */
  async importBusybox(): Promise<void> {
    const rootfs = join(this.dir, 'rootfs');
    for (const d of ['bin', 'www', 'etc', 'tmp', 'proc', 'sys', 'dev']) mkdirSync(join(rootfs, d), { recursive: true });
    copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
    for (const applet of APPLETS) symlinkSync('busybox', join(rootfs, 'bin', applet));
    writeFileSync(join(rootfs, 'www', 'index.html'), 'hello from busybox\n');
    writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n');
    const tar = join(this.dir, 'rootfs.tar');
    execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
    execFileSync('docker', ['import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV PATH=/bin', tar, BUSYBOX_IMAGE], {
      env: { ...process.env, DOCKER_HOST: this.host }, stdio: 'ignore', timeout: 60_000,
    });
  }

  async stop(): Promise<void> {
    if (this.daemon && this.daemon.exitCode === null) {
      for (const c of await this.client.listContainers({ all: true }).catch(() => [])) {
        await this.client.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      }
      const gone = new Promise((r) => this.daemon!.once('exit', r));
      this.daemon.kill('SIGTERM');
      await gone;
    }
    this.unmountLeftovers();
    this.restoreHost();
  }

  /** dockerd can leave its network namespace mounted under the exec root; the directory cannot go until it is unmounted. */
  private unmountLeftovers(): void {
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${this.dir}/`));
    for (const m of mounts.sort().reverse()) {
      try {
        execFileSync('umount', ['-l', m], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  }

  private restoreHost(): void {
    // Tables that did not exist before are emptied (iptables-restore only rewrites the tables it is given).
    for (const table of ['filter', 'nat']) {
      if (this.iptablesBefore.includes(`*${table}`)) continue;
      for (const args of [['-F'], ['-X'], ...(table === 'filter' ? [['-P', 'FORWARD', 'ACCEPT']] : [])]) {
        try {
          execFileSync('iptables', ['-t', table, ...args], { stdio: 'ignore' });
        } catch {
          // already clean
        }
      }
    }
    if (this.iptablesBefore.trim() !== '') {
      try {
        execFileSync('iptables-restore', { input: this.iptablesBefore });
      } catch {
        // nothing sensible to do: the rules stay as dockerd left them
      }
    }
    writeFileSync('/proc/sys/net/ipv4/ip_forward', `${this.ipForwardBefore}\n`);
    try {
      execFileSync('ip', ['link', 'delete', 'docker0'], { stdio: 'ignore' });
    } catch {
      // no bridge was created
    }
  }
}
