import { expect } from 'chai';
import { connect } from 'node:net';
import { register } from 'prom-client';
import { SystemClock, type MasterInfo } from '@tepui/protocol';
import { loadMasterConfig } from '../config';
import { rehearseAgentChannel, rehearseAgentFailover } from './standby-rehearsal';

const info: MasterInfo = {
  id: 'rehearsal-test', ip: 0x0100007f, port: 5050, pid: 'master@127.0.0.1:5050', hostname: 'localhost', version: '1.11.0',
  address: { hostname: 'localhost', ip: '127.0.0.1', port: 5050 },
};

describe('standby rehearsal of an agent failover', () => {
  it('registers, re-registers after a recovery from the registry, and offers every agent, through the real code', async () => {
    const config = loadMasterConfig(['--port=0', '--ip=127.0.0.1']);
    const rehearsal = await rehearseAgentFailover(config, new SystemClock(), info, 120);
    expect(rehearsal).to.deep.equal({ registered: 120, reregistered: 120, offered: 120 });
  });

  it('leaves nothing behind in the process: no metric in the default registry, no timer', async () => {
    const before = (await register.getMetricsAsJSON()).map((m) => m.name);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const timersBefore = timers();
    await rehearseAgentFailover(loadMasterConfig(['--port=0', '--ip=127.0.0.1']), new SystemClock(), info, 60);
    expect((await register.getMetricsAsJSON()).map((m) => m.name)).to.deep.equal(before);
    expect(timers()).to.equal(timersBefore);
  });

  /** What connecting to `port` on loopback gives: 'connected', or the error code. */
  const probe = (port: number) => new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });

  it('registers agents over real WebSockets on a private loopback channel, and closes it', async () => {
    const { answered, port } = await rehearseAgentChannel(loadMasterConfig(['--port=0', '--ip=127.0.0.1']), new SystemClock(), info, 40);
    expect(answered).to.equal(40);
    expect(await probe(port)).to.equal('ECONNREFUSED');
  });

  it('stops at the next turn once its signal is aborted (the master is stopping), its port closed', async () => {
    const config = loadMasterConfig(['--port=0', '--ip=127.0.0.1']);
    const cut = new AbortController();
    const inProcess = rehearseAgentFailover(config, new SystemClock(), info, 1_000, cut.signal);
    cut.abort();
    // The first turn of 50 agents ran before the abort was seen; no re-registration started.
    expect(await inProcess).to.deep.equal({ registered: 50, reregistered: 0, offered: 0 });
    const socketCut = new AbortController();
    const overSockets = rehearseAgentChannel(config, new SystemClock(), info, 300, socketCut.signal);
    socketCut.abort();
    const { answered, port } = await overSockets;
    expect(answered).to.equal(0);
    expect(await probe(port)).to.equal('ECONNREFUSED');
  });
});
