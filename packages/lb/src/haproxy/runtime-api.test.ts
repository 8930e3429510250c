// Experiments with the real HAProxy 2.6.12 and the Runtime API: what the sync layer can do to a
// slot without a reload. Each test starts its own HAProxy and node HTTP servers on OS-given ports.
import { expect } from 'chai';
import { RuntimeApiCommandFailed, RuntimeApiCommandInvalid } from './errors';
import { pollUntil } from './poll';
import { setServerStateCommand } from './runtime-commands';
import { startHaproxyFixture, type HaproxyFixture } from './test-support/haproxy-fixture';
import { startHttpBackend, type HttpBackend } from './test-support/http-backend';
import { httpGet, singleConnectionAgent } from './test-support/http-client';

const B = 'be_test';

describe('Runtime API against a real HAProxy', () => {
  let fx: HaproxyFixture | undefined;
  const backends: HttpBackend[] = [];
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
    await Promise.all(backends.splice(0).map((b) => b.close()));
  });
  const backend = async (name: string): Promise<HttpBackend> => {
    const b = await startHttpBackend(name);
    backends.push(b);
    return b;
  };
  /** Bodies of `n` GETs, each on a new connection. */
  const bodies = async (port: number, n: number): Promise<string[]> => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await httpGet(port)).body);
    return out;
  };

  it('a disabled template slot at the placeholder 127.0.0.1:1 serves once given addr+port and `state ready`', async () => {
    const explicit = await backend('s5');
    const slot = await backend('s2');
    fx = await startHaproxyFixture({ extraServers: [`server s5 127.0.0.1:${explicit.port} id 5`] });
    expect(await bodies(fx.frontendPort, 4)).to.deep.equal(['s5', 's5', 's5', 's5']);

    const outputs = await fx.api.execute([
      `set server ${B}/s2 addr 127.0.0.1 port ${slot.port}`,
      setServerStateCommand(B, 's2', 'ready'),
    ]);
    // HAProxy's own words: the address is unchanged (127.0.0.1), the port moves from the placeholder's 1.
    expect(outputs[0]).to.equal(`no need to change the addr, port changed from '1' to '${slot.port}' by 'stats socket command'`);
    expect(outputs[1]).to.equal('');

    const s2 = (await fx.api.showServersState(B)).find((r) => r.server === 's2');
    expect(s2).to.include({ addr: '127.0.0.1', port: slot.port, operationalState: 'running', inMaintenance: false });
    // roundrobin over s2 and s5: s2 answers at once, no reload.
    expect(new Set(await bodies(fx.frontendPort, 6))).to.deep.equal(new Set(['s2', 's5']));
    expect(slot.served()).to.be.greaterThan(0);
  });

  it('`state drain` keeps an open TCP session on the slot and sends new connections elsewhere; `state maint` too', async () => {
    const a = await backend('a');
    const b = await backend('b');
    // tcp mode: one client connection is one server session, as for marathon-lb's tcp backends.
    fx = await startHaproxyFixture({ mode: 'tcp' });
    await fx.api.execute([
      `set server ${B}/s1 addr 127.0.0.1 port ${a.port}`,
      `set server ${B}/s2 addr 127.0.0.1 port ${b.port}`,
      setServerStateCommand(B, 's1', 'ready'),
      setServerStateCommand(B, 's2', 'ready'),
    ]);
    const agent = singleConnectionAgent();
    try {
      const pinned = (await httpGet(fx.frontendPort, agent)).body;
      const slot = pinned === 'a' ? 's1' : 's2';
      const other = pinned === 'a' ? 'b' : 'a';

      await fx.api.execute([setServerStateCommand(B, slot, 'drain')]);
      const drained = (await fx.api.showStat()).find((r) => r.pxname === B && r.svname === slot);
      expect(drained).to.include({ status: 'DRAIN', scur: 1 });
      expect((await fx.api.showServersState(B)).find((r) => r.server === slot)).to.include({ draining: true });
      for (let i = 0; i < 5; i++) expect((await httpGet(fx.frontendPort, agent)).body).to.equal(pinned);
      expect(await bodies(fx.frontendPort, 6)).to.deep.equal(Array(6).fill(other));

      await fx.api.execute([setServerStateCommand(B, slot, 'maint')]);
      const maint = (await fx.api.showStat()).find((r) => r.pxname === B && r.svname === slot);
      // maint stops new traffic but does not cut the established session (`shutdown sessions server` would).
      expect(maint).to.include({ status: 'MAINT', scur: 1 });
      expect((await httpGet(fx.frontendPort, agent)).body).to.equal(pinned);
      expect(await bodies(fx.frontendPort, 6)).to.deep.equal(Array(6).fill(other));
    } finally {
      agent.destroy();
    }
  });

  it('in http mode HAProxy balances every request, so a drained slot gets no more requests even on a kept-alive client connection', async () => {
    const a = await backend('a');
    const b = await backend('b');
    fx = await startHaproxyFixture({});
    await fx.api.execute([
      `set server ${B}/s1 addr 127.0.0.1 port ${a.port}`,
      `set server ${B}/s2 addr 127.0.0.1 port ${b.port}`,
      setServerStateCommand(B, 's1', 'ready'),
      setServerStateCommand(B, 's2', 'ready'),
    ]);
    const agent = singleConnectionAgent();
    try {
      const pinned = (await httpGet(fx.frontendPort, agent)).body;
      await fx.api.execute([setServerStateCommand(B, pinned === 'a' ? 's1' : 's2', 'drain')]);
      const next: string[] = [];
      for (let i = 0; i < 5; i++) next.push((await httpGet(fx.frontendPort, agent)).body);
      expect(next).to.deep.equal(Array(5).fill(pinned === 'a' ? 'b' : 'a'));
    } finally {
      agent.destroy();
    }
  });

  it('with `check inter 1s`, `state ready` alone makes a slot take traffic at once (UP, one failed check from DOWN)', async () => {
    const live = await backend('live');
    fx = await startHaproxyFixture({ templateOptions: 'check inter 1s' });
    const started = performance.now();
    await fx.api.execute([`set server ${B}/s1 addr 127.0.0.1 port ${live.port}`, setServerStateCommand(B, 's1', 'ready')]);
    const status = (await fx.api.showStat()).find((r) => r.svname === 's1')?.status;
    expect(status).to.be.oneOf(['UP 1/3', 'UP']); // "UP 1/3" until the first check after leaving maint passes
    expect((await httpGet(fx.frontendPort)).body).to.equal('live');
    const firstRequestMs = performance.now() - started;
    // The first check runs soon after leaving maintenance: fully UP well before rise × inter.
    await pollUntil(async () => ((await fx?.api.showStat())?.find((r) => r.svname === 's1')?.status === 'UP' ? true : undefined), {
      timeoutMs: 5_000,
      what: 's1 fully UP',
    });
    console.log(`      first request served ${firstRequestMs.toFixed(0)} ms after state ready; fully UP after ${(performance.now() - started).toFixed(0)} ms`);
  });

  it('with checks, a slot pointed at a dead port goes DOWN after its first check; `health down` before `ready` is forgotten', async () => {
    const live = await backend('live');
    fx = await startHaproxyFixture({ templateOptions: 'check inter 1s' });
    const deadPort = (await backend('closed')).port;
    await backends.pop()?.close();
    await fx.api.execute([
      `set server ${B}/s1 addr 127.0.0.1 port ${deadPort}`,
      setServerStateCommand(B, 's1', 'ready'),
      `set server ${B}/s2 addr 127.0.0.1 port ${live.port}`,
      `set server ${B}/s2 health down`,
      setServerStateCommand(B, 's2', 'ready'),
    ]);
    const s2 = (await fx.api.showStat()).find((r) => r.svname === 's2');
    expect(s2?.status).to.equal('UP 1/3'); // leaving maintenance reset the forced DOWN
    await pollUntil(async () => ((await fx?.api.showStat())?.find((r) => r.svname === 's1')?.status === 'DOWN' ? true : undefined), {
      timeoutMs: 5_000,
      what: 's1 DOWN',
    });
    expect(await bodies(fx.frontendPort, 4)).to.deep.equal(Array(4).fill('live'));
  });

  it('answers errors as typed failures, and runs the rest of the batch', async () => {
    const live = await backend('live');
    fx = await startHaproxyFixture({});
    const error = await fx.api
      .execute([
        `set server ${B}/s9 state ready`,
        `set server ${B}/s1 addr 127.0.0.1 port ${live.port}`,
        'set server s1 state ready',
        setServerStateCommand(B, 's1', 'ready'),
        'show nonsense',
      ])
      .catch((err: unknown) => err);
    expect(error).to.be.instanceOf(RuntimeApiCommandFailed);
    const failed = error as RuntimeApiCommandFailed;
    expect(failed.failures.map((f) => [f.index, f.answer.split('\n')[0]])).to.deep.equal([
      [0, 'No such server.'],
      [2, "Require 'backend/server'."],
      [4, 'Unknown command, but maybe one of the following ones is a better match:'],
    ]);
    expect((await httpGet(fx.frontendPort)).body).to.equal('live');
    await fx.api.execute([setServerStateCommand(B, 'nope', 'ready')]).then(
      () => expect.fail('expected a failure'),
      (err: unknown) => expect(err).to.be.instanceOf(RuntimeApiCommandFailed).with.property('answer', 'No such server.'),
    );
    await fx.api.execute(['show stat; show info']).then(
      () => expect.fail('expected a refusal'),
      (err: unknown) => expect(err).to.be.instanceOf(RuntimeApiCommandInvalid),
    );
  });

  it('runs 1000 commands in one execute()', async () => {
    fx = await startHaproxyFixture({ slots: 100 });
    const commands = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0 ? `set server ${B}/s${(i % 100) + 1} addr 127.0.0.1 port ${20000 + i}` : setServerStateCommand(B, `s${(i % 100) + 1}`, 'drain'),
    );
    const started = performance.now();
    const outputs = await fx.api.execute(commands);
    const ms = performance.now() - started;
    console.log(`      1000 commands in one execute(): ${ms.toFixed(1)} ms`);
    expect(outputs).to.have.length(1000);
    expect(ms).to.be.lessThan(5_000);
    const rows = await fx.api.showServersState(B);
    expect(rows).to.have.length(100);
    expect(rows.find((r) => r.server === 's99')).to.include({ port: 20000 + 998 }); // i = 998 was the last address for s99
    expect(rows.find((r) => r.server === 's100')).to.include({ draining: true });
  });
});
