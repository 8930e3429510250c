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

  it('registers agents over real WebSockets on a private loopback channel, and closes it', async () => {
    const { answered, port } = await rehearseAgentChannel(loadMasterConfig(['--port=0', '--ip=127.0.0.1']), new SystemClock(), info, 40);
    expect(answered).to.equal(40);
    const refused = await new Promise<string>((resolve) => {
      const probe = connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve('connected');
      });
      probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(refused).to.equal('ECONNREFUSED');
  });
});
