// Two Marathons in one election (held in memory here; ZooKeeper in the HA integration tests): the
// leader serves, the standby forwards every request to it and relays the answer (event streams
// included), DELETE /v2/leader hands leadership over, and a lost candidacy stops the leader's work.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { MemoryElection } from '@tepui/coordination';
import { until } from '@tepui/protocol';
import { loadMarathonConfig } from './config';
import { startMarathon, type RunningMarathon } from './marathon';
import { MemoryStateStore } from './storage/memory-state-store';

describe('Marathon leader election and the standby proxy', function () {
  this.timeout(30_000);
  let dir: string;
  let election: MemoryElection<string>;
  let marathons: RunningMarathon[];
  let lost: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tepui-marathon-ha-'));
    election = new MemoryElection<string>();
    lost = [];
    marathons = [];
    for (const name of ['a', 'b']) {
      // No master answers at port 1: the leader keeps trying to subscribe, and serves its API meanwhile.
      const config = loadMarathonConfig(['--master=127.0.0.1:1', '--http_address=127.0.0.1', '--http_port=0', `--state_dir=${join(dir, name)}`, '--hostname=127.0.0.1']);
      marathons.push(await startMarathon(config, {
        log: pino({ level: 'silent' }),
        contender: (self) => election.contender(self), detector: () => election.detector(),
        onLostLeadership: (reason) => lost.push(`${name}: ${reason}`),
      }));
    }
    await until(() => marathons[1]!.role.leader() !== undefined, 'the standby detecting the leader');
  });

  afterEach(async () => {
    for (const m of marathons) await m.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const selfOf = (m: RunningMarathon): string => m.url.replace('http://', '');
  const json = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  it('proxies every request a standby gets to the leader, and relays its answer', async () => {
    const [leader, standby] = [marathons[0]!, marathons[1]!];
    expect((await json(`${standby.url}/v2/leader`)).body).to.deep.equal({ leader: selfOf(leader) });
    const created = await json(`${standby.url}/v2/apps`, { method: 'POST', body: JSON.stringify({ id: '/via-standby', cmd: 'sleep 1', cpus: 0.1, mem: 16, instances: 0 }) });
    expect(created.status).to.equal(201);
    expect(created.headers.get('x-marathon-leader')).to.equal(`http://${selfOf(leader)}`);
    expect(created.headers.get('x-marathon-via')).to.equal(`1.1 ${selfOf(standby)}`);
    const onLeader = await json(`${leader.url}/v2/apps/via-standby`);
    expect((onLeader.body.app as { id: string }).id, 'the app was created on the leader').to.equal('/via-standby');
    expect((await fetch(`${standby.url}/ping`)).status).to.equal(200);
    const info = await json(`${standby.url}/v2/info`);
    expect([info.body.elected, info.body.leader]).to.deep.equal([true, selfOf(leader)]);
  });

  it('relays the leader’s event stream through a standby', async () => {
    const [leader, standby] = [marathons[0]!, marathons[1]!];
    const controller = new AbortController();
    const stream = await fetch(`${standby.url}/v2/events`, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
    expect(stream.status).to.equal(200);
    let text = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body!) text += decoder.decode(chunk as Uint8Array);
    })().catch(() => undefined);
    await json(`${leader.url}/v2/apps`, { method: 'POST', body: JSON.stringify({ id: '/evented', cmd: 'sleep 1', cpus: 0.1, mem: 16, instances: 0 }) });
    await until(() => text.includes('api_post_event') && text.includes('/evented'), 'the leader’s event through the standby');
    controller.abort();
    await reading;
  });

  it('hands leadership over on DELETE /v2/leader; a lost candidacy stops the leader', async () => {
    const [first, second] = [marathons[0]!, marathons[1]!];
    const abdicated = await json(`${second.url}/v2/leader`, { method: 'DELETE' });
    expect(abdicated.body).to.deep.equal({ message: 'Leadership abdicated' });
    await until(() => second.role.isLeader(), 'the standby elected');
    await until(() => first.role.leader() === selfOf(second), 'the old leader following the new one');
    expect((await json(`${first.url}/v2/leader`)).body).to.deep.equal({ leader: selfOf(second) });
    election.expire(selfOf(second));
    await until(() => lost.length === 1 && first.role.isLeader(), 'the first Marathon leading again');
    expect(lost).to.deep.equal(['b: session expired']);
    expect(second.role.isLeader()).to.equal(false);
  });

  it('holds a request with a body that reaches a leader still loading its state, and answers it once loaded', async () => {
    // A store whose first read takes a while: the Marathon is elected but not yet serving.
    class SlowStore extends MemoryStateStore {
      slow = true;
      override async get<T>(key: string): Promise<T | undefined> {
        if (this.slow) await new Promise((r) => setTimeout(r, 500));
        this.slow = false;
        return super.get<T>(key);
      }
    }
    const config = loadMarathonConfig(['--master=127.0.0.1:1', '--http_address=127.0.0.1', '--http_port=0', '--hostname=127.0.0.1']);
    const slow = await startMarathon(config, { log: pino({ level: 'silent' }), store: new SlowStore() });
    try {
      const created = await json(`${slow.url}/v2/apps`, { method: 'POST', body: JSON.stringify({ id: '/while-loading', cmd: 'sleep 1', cpus: 0.1, mem: 16, instances: 0 }) });
      expect(created.status).to.equal(201);
      expect((created.body as { id: string }).id).to.equal('/while-loading');
    } finally {
      await slow.stop();
    }
  });

  it('answers 503 while no leader is known', async () => {
    for (const m of marathons) await m.role.stop();
    const res = await json(`${marathons[0]!.url}/v2/apps`);
    expect([res.status, res.body.message]).to.deep.equal([503, 'Could not determine the current leader']);
  });
});
