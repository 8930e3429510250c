// Two masters in one election: only the elected one serves framework calls and offers; the other
// redirects to it; a master whose candidacy is lost stops at once and the next one takes over.
import { expect } from 'chai';
import pino from 'pino';
import WebSocket from 'ws';
import { MemoryElection } from '@tepui/coordination';
import { AGENT_CHANNEL_PATH, ManualClock, type MasterInfo } from '@tepui/protocol';
import { loadMasterConfig } from '../config';
import { startMaster, type RunningMaster } from '../app';
import { ScriptedAgent, ScriptedScheduler, until } from '../testing/in-process';

describe('master leadership', () => {
  let clock: ManualClock;
  let pump: NodeJS.Timeout;
  let masters: RunningMaster[];
  let lost: Array<[number, string]>;
  let election: MemoryElection<MasterInfo>;

  beforeEach(async () => {
    clock = new ManualClock();
    pump = setInterval(() => clock.advance(0), 2);
    election = new MemoryElection<MasterInfo>((a, b) => a.id === b.id);
    lost = [];
    masters = [];
    for (let n = 0; n < 2; n++) {
      const config = loadMasterConfig(['--port=0', '--ip=127.0.0.1', '--allocator_seed=1', `--hostname=m${n}.example`]);
      masters.push(await startMaster(config, {
        clock, log: pino({ level: 'silent' }),
        contender: (self) => election.contender(self), detector: () => election.detector(),
        onLostLeadership: (reason) => lost.push([n, reason]),
      }));
    }
  });

  afterEach(async () => {
    clearInterval(pump);
    for (const m of masters) await m.stop();
  });

  const [first, second] = [0, 1];

  it('lets only the elected master serve; the standby redirects to it as Mesos does', async () => {
    const leader = masters[first]!;
    const standby = masters[second]!;
    expect(leader.leadership.isLeader()).to.equal(true);
    await until(() => standby.leadership.leader()?.id === leader.master.info.id, 'the standby detecting the leader');
    expect(standby.leadership.isLeader()).to.equal(false);

    const subscribe = await fetch(`${standby.url}/api/v1/scheduler`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}', redirect: 'manual' });
    expect(subscribe.status).to.equal(307);
    expect(subscribe.headers.get('location')).to.equal(`//m0.example:${leader.port}/api/v1/scheduler`);
    const operator = await fetch(`${standby.url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"GET_STATE"}', redirect: 'manual' });
    expect(operator.status).to.equal(307);
    const redirect = await fetch(`${standby.url}/master/redirect`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).to.deep.equal([307, `//m0.example:${leader.port}`]);
    const state = (await (await fetch(`${leader.url}/master/state`)).json()) as Record<string, unknown>;
    expect(state.leader).to.equal(leader.master.info.pid);
    expect(state.elected_time).to.be.a('number');
    expect(state.leader_info).to.include({ id: leader.master.info.id, hostname: 'm0.example', port: leader.port });
    const metrics = async (m: RunningMaster) => ((await (await fetch(`${m.url}/metrics/snapshot`)).json()) as Record<string, number>)['master/elected'];
    expect([await metrics(leader), await metrics(standby)]).to.deep.equal([1, 0]);
    // The standby admits no agent: its channel is not there.
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(standby.url.replace('http', 'ws') + AGENT_CHANNEL_PATH);
      ws.on('open', () => resolve('open'));
      ws.on('error', (err) => resolve(err.message));
    });
    expect(refused).to.equal('Unexpected server response: 404');
  });

  it('stops a master whose candidacy is lost at once, and the next one leads', async () => {
    const [old, next] = [masters[first]!, masters[second]!];
    const agent = new ScriptedAgent();
    await agent.connect(old.url);
    const scheduler = new ScriptedScheduler(old.url);
    await scheduler.subscribe({ user: 'u', name: 'fw' });
    await until(() => scheduler.find((e) => e.offers), 'an offer from the leader');

    election.expire(old.master.info);
    await until(() => lost.length > 0, 'the lost hook');
    expect(lost).to.deep.equal([[first, 'session expired']]);
    expect(old.leadership.isLeader()).to.equal(false);
    expect(old.master.allocation.running, 'no more allocation on the deposed master').to.equal(false);
    await until(() => next.leadership.isLeader(), 'the next master elected');
    const call = await fetch(`${old.url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"GET_STATE"}', redirect: 'manual' });
    expect([call.status, call.headers.get('location')], 'the deposed master sends callers to the new leader').to.deep.equal([307, `//m1.example:${next.port}/api/v1`]);
    const resubscribed = new ScriptedScheduler(next.url);
    await resubscribe(resubscribed, scheduler.frameworkId!);
    const again = new ScriptedAgent();
    await again.connect(next.url);
    await until(() => resubscribed.find((e) => e.offers), 'offers from the new leader');
    agent.close();
    again.close();
    scheduler.disconnect();
    resubscribed.disconnect();
  });

  async function resubscribe(s: ScriptedScheduler, frameworkId: string): Promise<void> {
    await s.subscribe({ user: 'u', name: 'fw', id: { value: frameworkId } }, frameworkId);
    await until(() => s.frameworkId, 'resubscribed');
  }
});
