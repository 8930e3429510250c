// The master-worker lifecycle with the real HAProxy 2.6.12: start, confirmed reloads (also under
// load and with a refused configuration), unexpected exits, and stop leaving no process behind.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { HaproxyProcess } from './haproxy-process';
import { HaproxyReloadFailed, HaproxyStartFailed } from './errors';
import { pollUntil } from './poll';
import { isProcessRunning } from './process-liveness';
import { setServerAddressCommand, setServerStateCommand } from './runtime-commands';
import { startHaproxyFixture, type HaproxyFixture } from './test-support/haproxy-fixture';
import { startHttpBackend, type HttpBackend } from './test-support/http-backend';
import { httpGet, runLoad } from './test-support/http-client';
import { freePort, makeScratchDir, removeScratchDir } from './test-support/loopback';

const B = 'be_test';

/** The inode of the socket listening on 127.0.0.1:<port>, from /proc/net/tcp (Linux). */
async function listeningInode(port: number): Promise<string | undefined> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const table = await readFile('/proc/net/tcp', 'utf8');
  const row = table.split('\n').find((line) => {
    const cols = line.trim().split(/\s+/);
    return cols[1] === local && cols[3] === '0A'; // 0A = LISTEN
  });
  return row?.trim().split(/\s+/)[9];
}

describe('HaproxyProcess (real HAProxy, master-worker)', () => {
  let fx: HaproxyFixture | undefined;
  const backends: HttpBackend[] = [];
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
    await Promise.all(backends.splice(0).map((b) => b.close()));
  });
  const servingSlot = async (): Promise<HttpBackend> => {
    const b = await startHttpBackend('task');
    backends.push(b);
    return b;
  };
  /** A config with s1 pointed at `b` in the file itself, so it serves in every generation. */
  const configServing = (f: HaproxyFixture, b: HttpBackend, extraLines: string[] = []): string =>
    f.config({ slots: 2, extraServers: [`server s3 127.0.0.1:${b.port} id 3`], extraLines });

  it('start() resolves with a worker up and serving; stop() leaves no haproxy process', async () => {
    const b = await servingSlot();
    fx = await startHaproxyFixture({ slots: 2 });
    await fx.haproxy.reload(configServing(fx, b));
    const list = await fx.haproxy.showProc();
    expect(list.master.pid).to.equal(fx.haproxy.pid);
    expect((await httpGet(fx.frontendPort)).body).to.equal('task');
    const pids = [list.master.pid, ...list.workers.map((w) => w.pid)];
    await fx.haproxy.stop();
    expect(pids.filter(isProcessRunning)).to.deep.equal([]);
    expect(fx.haproxy.pid).to.equal(undefined);
  });

  it('reload() confirms a worker of the new generation; the listening socket is handed over without -x or expose-fd', async () => {
    fx = await startHaproxyFixture({ exposeFd: false });
    const inodeBefore = await listeningInode(fx.frontendPort);
    const before = await fx.haproxy.showProc();
    const outcome = await fx.haproxy.reload(fx.config({ extraLines: ['  # generation 2'] }));
    expect(outcome.workerPid).to.not.be.oneOf(before.workers.map((w) => w.pid));
    expect(outcome.reloads).to.equal(before.master.reloads + 1);
    const after = await fx.haproxy.showProc();
    expect(after.workers.find((w) => w.reloads === 0)?.pid).to.equal(outcome.workerPid);
    // Same inode: the very socket the old worker listened on, not a new bind.
    expect(await listeningInode(fx.frontendPort)).to.equal(inodeBefore).and.not.equal(undefined);
    console.log(`      reload confirmed in ${outcome.durationMs} ms`);
  });

  it('5 reloads under 2000 new-connection requests (concurrency 4) fail no request', async () => {
    const b = await servingSlot();
    fx = await startHaproxyFixture({ slots: 2 });
    await fx.haproxy.reload(configServing(fx, b));
    const fixture = fx;
    let reloads = 0;
    const durations: number[] = [];
    const load = runLoad(fixture.frontendPort, 2000, 4);
    let loadDone = false;
    void load.then(() => (loadDone = true));
    // Reload whenever a few hundred more requests have been served, until 5 happened during the load.
    while (reloads < 5 && !loadDone) {
      const servedAt = b.served();
      await pollUntil(() => (b.served() >= servedAt + 200 || loadDone ? true : undefined), { timeoutMs: 10_000, what: 'load progress' });
      if (loadDone) break;
      const outcome = await fixture.haproxy.reload(configServing(fixture, b, [`  # generation ${reloads + 2}`]));
      durations.push(outcome.durationMs);
      reloads += 1;
    }
    const result = await load;
    console.log(`      ${result.ok} ok / ${result.failed} failed, ${reloads} reloads (${durations.join(', ')} ms)`);
    expect(reloads).to.equal(5);
    expect(result.errors.slice(0, 5)).to.deep.equal([]);
    expect(result.ok).to.equal(2000);
  });

  it('reload() of an invalid config rejects with the line; the old worker keeps serving and the old file is back', async () => {
    const b = await servingSlot();
    fx = await startHaproxyFixture({ slots: 2 });
    const good = configServing(fx, b);
    const first = await fx.haproxy.reload(good);
    const bad = good.replace('\nbackend be_test\n', '\nbackend be_test\n  bogus_keyword 1\n');
    const badLine = bad.split('\n').indexOf('  bogus_keyword 1') + 1;

    const error = await fx.haproxy.reload(bad).catch((err: unknown) => err);
    expect(error).to.be.instanceOf(HaproxyReloadFailed);
    expect((error as HaproxyReloadFailed).problems).to.deep.include({ line: badLine, message: "unknown keyword 'bogus_keyword' in 'backend' section" });

    const list = await fx.haproxy.showProc();
    expect(list.master.failedReloads).to.equal(1);
    expect(list.workers.map((w) => w.pid)).to.deep.equal([first.workerPid]); // still the old one (its reload count moved to 1)
    expect(await readFile(fx.haproxy.configPath, 'utf8')).to.equal(good);
    expect((await httpGet(fx.frontendPort)).body).to.equal('task');
    // The Runtime API of the surviving worker still works, and a later good reload succeeds.
    await fx.api.execute([setServerAddressCommand(B, 's1', { ip: '127.0.0.1', port: b.port }), setServerStateCommand(B, 's1', 'ready')]);
    const next = await fx.haproxy.reload(configServing(fx, b, ['  # fixed']));
    expect(next.workerPid).to.not.equal(first.workerPid);
  });

  it('reload() to a config with a port another process holds rejects at once; no connection is refused', async () => {
    const b = await servingSlot();
    fx = await startHaproxyFixture({ slots: 2 });
    await fx.haproxy.reload(configServing(fx, b));
    const taken = await servingSlot(); // a port some other process holds
    const started = performance.now();
    const [error, load] = await Promise.all([
      fx.haproxy
        .reload(configServing(fx, b, ['frontend fe_taken', `  bind 127.0.0.1:${taken.port}`, '  default_backend be_test']))
        .catch((err: unknown) => err),
      runLoad(fx.frontendPort, 200, 4),
    ]);
    // Without the preflight HAProxy itself refuses after ~2.1 s, having paused the old worker's
    // listeners meanwhile: 138 of these 200 requests got ECONNREFUSED (see bind-preflight.ts).
    console.log(`      refused after ${(performance.now() - started).toFixed(0)} ms; ${load.ok} ok / ${load.failed} failed meanwhile`);
    expect(error).to.be.instanceOf(HaproxyReloadFailed);
    expect((error as HaproxyReloadFailed).problems).to.deep.equal([
      { message: `port 127.0.0.1:${taken.port} is already in use by another process` },
    ]);
    expect(load.errors).to.deep.equal([]);
    expect((await fx.haproxy.showProc()).master.reloads).to.equal(1); // HAProxy was never asked
  });

  it('start() of an invalid config rejects with the problems and leaves no process', async () => {
    const dir = await makeScratchDir();
    const haproxy = new HaproxyProcess({ dir });
    try {
      const error = await haproxy.start('defaults\n  mode http\n  bogus_keyword\n').catch((err: unknown) => err);
      expect(error).to.be.instanceOf(HaproxyStartFailed);
      expect((error as HaproxyStartFailed).problems[0]).to.include({ line: 3 });
      expect(haproxy.running).to.equal(false);
    } finally {
      await haproxy.stop();
      await removeScratchDir(dir);
    }
  });

  it('onExit reports a master that dies unexpectedly, and its worker does not outlive it', async () => {
    fx = await startHaproxyFixture({ frontendPort: await freePort() });
    const worker = (await fx.haproxy.showProc()).workers[0]?.pid;
    const exits: Array<NodeJS.Signals | null> = [];
    fx.haproxy.onExit((exit) => exits.push(exit.signal));
    process.kill(fx.haproxy.pid ?? 0, 'SIGKILL');
    await pollUntil(() => (exits.length > 0 ? true : undefined), { timeoutMs: 5_000, what: 'onExit' });
    expect(exits).to.deep.equal(['SIGKILL']);
    await pollUntil(() => (worker !== undefined && !isProcessRunning(worker) ? true : undefined), { timeoutMs: 12_000, what: 'worker gone' });
  });
});
