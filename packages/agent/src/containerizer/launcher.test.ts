// The executor launcher, with real processes: pids, exit statuses, output files, a file that
// cannot be run, executors outliving the launcher, and a launcher that dies under its executors.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutorLauncher, type LaunchRequest } from './launcher';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);

async function until(what: string, check: () => boolean, deadlineMs = 20_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('executor launcher (real processes)', () => {
  let dir: string;
  let launcher: ExecutorLauncher;
  let orphans: Array<{ pid: number; exited: (status?: number) => void }>;
  const started: number[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'launcher-'));
    orphans = [];
    launcher = new ExecutorLauncher((pid, exited) => orphans.push({ pid, exited }));
  });
  afterEach(() => {
    launcher.close();
    for (const pid of started.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const shell = (script: string, env: Record<string, string> = {}): LaunchRequest =>
    ({ file: '/bin/sh', args: ['-c', script], cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdout: join(dir, 'stdout'), stderr: join(dir, 'stderr') });

  const launch = async (request: LaunchRequest) => {
    let status: number | undefined | 'running' = 'running';
    const pid = await launcher.launch(request, (s) => (status = s));
    if (pid !== undefined) started.push(pid);
    return { pid, status: () => status };
  };

  it('starts a detached process group in the sandbox with its env and output files, and reports its exit code', async () => {
    const run = await launch(shell('echo "out $GREETING $(pwd)"; echo err >&2; exit 3', { GREETING: 'hello' }));
    expect(run.pid).to.be.a('number');
    await until('the exit', () => run.status() !== 'running');
    expect(run.status()).to.equal(3);
    expect(readFileSync(join(dir, 'stdout'), 'utf8')).to.equal(`out hello ${dir}\n`);
    expect(readFileSync(join(dir, 'stderr'), 'utf8')).to.equal('err\n');
  });

  it('reports a process killed by a signal as 128 + its number, and runs them side by side', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => launch(shell('exec sleep 60'))));
    expect(new Set(runs.map((r) => r.pid)).size).to.equal(3);
    // Its own process group: the agent kills the executor and everything it started with -pid.
    for (const run of runs) expect(readFileSync(`/proc/${run.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2]).to.equal(String(run.pid));
    process.kill(-runs[0]!.pid!, 'SIGKILL');
    process.kill(-runs[1]!.pid!, 'SIGTERM');
    await until('both exits', () => runs[0]!.status() !== 'running' && runs[1]!.status() !== 'running');
    expect([runs[0]!.status(), runs[1]!.status(), runs[2]!.status()]).to.deep.equal([137, 143, 'running']);
  });

  it('a file that cannot be run: no pid, and its exit is reported first', async () => {
    const events: string[] = [];
    const pid = await launcher.launch({ ...shell(''), file: join(dir, 'missing') }, () => events.push('exited'));
    events.push(`started ${pid}`);
    expect(events).to.deep.equal(['exited', 'started undefined']);
  });

  it('executors outlive a launcher that is closed', async () => {
    const run = await launch(shell('exec sleep 60'));
    const launcherPid = parentOf(run.pid!);
    launcher.close();
    await until('the launcher to exit', () => !alive(launcherPid));
    expect(alive(run.pid!)).to.equal(true);
    expect(orphans).to.deep.equal([]);
  });

  it('a launcher that dies hands its running executors over to be watched, and the next launch starts a new one', async () => {
    const run = await launch(shell('exec sleep 60'));
    const launcherPid = parentOf(run.pid!);
    expect(launcherPid).to.not.equal(process.pid);
    process.kill(launcherPid, 'SIGKILL');
    await until('the hand-over', () => orphans.length === 1);
    expect(orphans[0]!.pid).to.equal(run.pid);
    expect(alive(run.pid!)).to.equal(true);
    const next = await launch(shell('exit 0'));
    await until('the next exit', () => next.status() !== 'running');
    expect(next.status()).to.equal(0);
  });
});
