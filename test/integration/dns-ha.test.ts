// Tepui-DNS finding the leading master through ZooKeeper (a real 3-node ensemble, 3 masters): the
// records stay served while the leader is killed and a new one is elected, and catch up with it
// (leader records, and a Marathon scale-up) after the resync.
import { expect } from 'chai';
import { TestDns } from '../support/dns';
import { eventually } from '../support/eventually';
import { HaCluster } from '../support/ha-cluster';

describe('Tepui-DNS across a master failover (ZooKeeper, 3 masters, Marathon)', function () {
  this.timeout(180_000);
  let cluster: HaCluster;
  let dns: TestDns;
  let failed = false;

  before(async () => {
    cluster = await new HaCluster({ masters: 3, agents: 1, marathons: 1, sessionTimeout: '2secs' }).start();
    dns = await new TestDns(cluster.dir, [`--zk=${cluster.zkUrl}`, '--externalon=false', '--ttl=1']).start();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async () => {
    if (failed) process.stdout.write(`${cluster?.logs() ?? ''}\n==== dns\n${dns?.process.log().slice(-4000) ?? ''}`);
    await dns?.stop();
    await cluster?.stop();
  });

  const srvPorts = async (name: string) => (await dns.dig(name, 'SRV')).answers.map((r) => Number(r.data.split(' ')[2])).sort();

  it('keeps answering while the leader dies, then follows the new one', async () => {
    const marathon = await cluster.marathonLeader();
    const post = await fetch(`${marathon.url}/v2/apps`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: '/web', cmd: 'sleep 600', cpus: 0.05, mem: 16, instances: 2 }),
    });
    expect(post.status).to.equal(201);
    const leader = await cluster.leader();
    await eventually(async () => (await srvPorts('_web._tcp.marathon.mesos')).length === 2, { timeoutMs: 60_000, message: '/web never had 2 SRV records' });
    expect(await srvPorts('_leader._tcp.mesos')).to.deep.equal([leader.port]);

    await leader.process.kill9();
    // Until a new leader is elected and followed, the last records are what is served.
    expect(await srvPorts('_web._tcp.marathon.mesos')).to.have.length(2);
    const next = await cluster.leader(60_000);
    expect(next).not.to.equal(leader);
    await eventually(async () => (await srvPorts('_leader._tcp.mesos'))[0] === next.port, { timeoutMs: 30_000, message: 'leader records never followed the new leader' });
    expect(await srvPorts('_web._tcp.marathon.mesos')).to.have.length(2);

    const scaled = await eventually(async () => {
      const res = await fetch(`${(await cluster.marathonLeader()).url}/v2/apps/web`, {
        method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ instances: 3 }),
      });
      return res.status === 200 ? res : undefined;
    }, { timeoutMs: 30_000, message: 'could not scale /web' });
    expect(scaled.status).to.equal(200);
    await eventually(async () => (await srvPorts('_web._tcp.marathon.mesos')).length === 3, { timeoutMs: 60_000, message: 'the scale-up after the failover never reached DNS' });
    const status = (await (await fetch(`${dns.httpUrl}/v1/status`)).json()) as { connected: boolean; master: string };
    expect(status).to.include({ connected: true, master: `127.0.0.1:${next.port}` });
  });
});
