// Acceptance for packages/dns on a real cluster (a master, three agents on their own loopback
// addresses, Marathon) with the real `dig`: Mesos-DNS' names for a Marathon app, per-port SRV,
// propagation within a second of TASK_RUNNING and of the end, health-aware answers, truncation over
// UDP and the whole answer over TCP, forwarding, a master restart, and hostile input.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { TestCluster } from '../support/cluster';
import { TestDns, watchRecords } from '../support/dns';
import { eventually } from '../support/eventually';
import { followEvents, TestMarathon } from '../support/marathon';
import { REPO_ROOT } from '../support/processes';
import { startUpstreamResolver, type UpstreamResolver } from '../support/upstream-resolver';

const AGENT_IPS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
const sorted = (xs: readonly string[]) => [...xs].sort();

describe('Tepui-DNS on a real cluster', function () {
  this.timeout(180_000);
  const cluster = new TestCluster({ agents: 3, agentIp: (i) => AGENT_IPS[i]!, agentFlags: (i) => [`--hostname=${AGENT_IPS[i]}`] });
  const marathon = new TestMarathon(cluster);
  let upstream: UpstreamResolver;
  let dns: TestDns;

  before(async () => {
    await cluster.start();
    await marathon.start();
    upstream = await startUpstreamResolver({ 'example.org': '192.0.2.10' });
    dns = await new TestDns(cluster.dir, [`--masters=127.0.0.1:${cluster.masterPort}`, `--resolvers=127.0.0.1:${upstream.port}`, '--ttl=1', '--timeout=2']).start();
  });

  after(async function () {
    if (this.currentTest?.state === 'failed') console.log(dns?.process.log().slice(-6000));
    await dns?.stop();
    await upstream?.close();
    await marathon.stop();
    await cluster.stop();
  });

  it('answers a 3-instance app’s agents, host ports and per-port SRV names', async () => {
    const app = {
      id: '/web', cmd: 'sleep 600', cpus: 0.05, mem: 16, instances: 3, constraints: [['hostname', 'UNIQUE']],
      portDefinitions: [{ port: 0, name: 'http' }, { port: 0, name: 'admin' }],
    };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    const tasks = await eventually(async () => {
      const running = await marathon.running('/web');
      return running.length === 3 ? running : undefined;
    }, { timeoutMs: 60_000, message: '/web did not run 3 tasks' });
    const a = await eventually(async () => {
      const answer = await dns.dig('web.marathon.mesos');
      return answer.answers.length === 3 ? answer : undefined;
    }, { message: 'web.marathon.mesos never had 3 addresses' });
    expect(a.status).to.equal('NOERROR');
    expect(a.flags).to.include('aa');
    expect(sorted(a.answers.map((r) => r.data))).to.deep.equal(AGENT_IPS);
    expect(a.answers[0]!.ttl).to.equal(1);

    const hostPorts = (i: number) => sorted(tasks.map((t) => String(t.ports[i])));
    const srvPorts = (answer: { answers: ReadonlyArray<{ data: string }> }) => sorted(answer.answers.map((r) => r.data.split(' ')[2]!));
    const srv = await dns.dig('_web._tcp.marathon.mesos', 'SRV');
    expect(srvPorts(srv)).to.deep.equal(sorted([...hostPorts(0), ...hostPorts(1)]));
    // Every SRV target resolves to the agent that runs the task, and comes with its address.
    for (const record of srv.answers) {
      const target = record.data.split(' ')[3]!;
      const targetA = await dns.dig(target);
      expect(targetA.answers).to.have.length(1);
      expect(AGENT_IPS).to.include(targetA.answers[0]!.data);
    }
    expect(srvPorts(await dns.dig('_http._web._tcp.marathon.mesos', 'SRV'))).to.deep.equal(hostPorts(0));
    expect(srvPorts(await dns.dig('_admin._web._tcp.marathon.mesos', 'SRV'))).to.deep.equal(hostPorts(1));
    expect(srvPorts(await dns.dig('_port1._web._tcp.marathon.mesos', 'SRV'))).to.deep.equal(hostPorts(1));
    // The name exists, without AAAA records: NODATA, not NXDOMAIN.
    const aaaa = await dns.dig('web.marathon.mesos', 'AAAA');
    expect(aaaa.status).to.equal('NOERROR');
    expect(aaaa.answers).to.deep.equal([]);
    expect((await dns.dig('nothing.marathon.mesos')).status).to.equal('NXDOMAIN');
    // An empty non-terminal exists (NODATA), so RFC 8020 resolvers do not give up on the names below it.
    expect((await dns.dig('_tcp.marathon.mesos', 'SRV')).status).to.equal('NOERROR');
    const leader = await dns.dig('leader.mesos');
    expect(leader.answers.map((r) => r.data)).to.deep.equal(['127.0.0.1']);
    expect(sorted((await dns.dig('slave.mesos')).answers.map((r) => r.data))).to.deep.equal(AGENT_IPS);
    const hosts = (await (await fetch(`${dns.httpUrl}/v1/hosts/web.marathon.mesos`)).json()) as Array<{ ip: string }>;
    expect(sorted(hosts.map((h) => h.ip))).to.deep.equal(AGENT_IPS);
  });

  it('publishes a task within 1 s of TASK_RUNNING and withdraws it within 1 s of its end', async () => {
    const stream = await followEvents(marathon.url, ['status_update_event']);
    const watch = await watchRecords(dns.httpUrl);
    try {
      expect((await marathon.json('POST', '/v2/apps', { id: '/quick', cmd: 'sleep 600', cpus: 0.05, mem: 16, instances: 1 })).status).to.equal(201);
      const running = await eventually(() => stream.events.find((e) => e.appId === '/quick' && e.taskStatus === 'TASK_RUNNING'), { timeoutMs: 60_000, message: 'no TASK_RUNNING' });
      const runningSeen = Date.now();
      await eventually(async () => (await dns.dig('quick.marathon.mesos')).answers.length === 1, { intervalMs: 20, message: 'quick.marathon.mesos never answered' });
      const published = Date.now() - runningSeen;
      expect(published, 'ms from TASK_RUNNING to the name answering').to.be.below(1000);
      // /v1/watch told its client about the change, with a later generation and more records.
      await eventually(() => watch.events.length >= 2, { message: 'no record-change event on /v1/watch' });
      expect(watch.events.at(-1)!.generation).to.be.above(watch.events[0]!.generation);
      expect(watch.events.at(-1)!.records).to.be.above(watch.events[0]!.records);

      expect((await marathon.json('DELETE', '/v2/apps/quick')).status).to.equal(200);
      await eventually(() => stream.events.find((e) => e.taskId === running.taskId && e.taskStatus === 'TASK_KILLED'), { timeoutMs: 30_000, message: 'no TASK_KILLED' });
      const endSeen = Date.now();
      await eventually(async () => (await dns.dig('quick.marathon.mesos')).status === 'NXDOMAIN', { intervalMs: 20, message: 'quick.marathon.mesos never went away' });
      expect(Date.now() - endSeen, 'ms from TASK_KILLED to the name going away').to.be.below(1000);
    } finally {
      stream.close();
      watch.close();
    }
  });

  it('leaves a task out while its health check fails, and brings it back when it passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tepui-dns-health-'));
    try {
      writeFileSync(join(dir, 'ok'), 'ok');
      const app = {
        id: '/checked', cmd: `cd ${dir} && exec python3 -m http.server $PORT0`, cpus: 0.05, mem: 32, instances: 1,
        healthChecks: [{ protocol: 'MESOS_HTTP', path: '/ok', portIndex: 0, gracePeriodSeconds: 1, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 1000 }],
      };
      expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
      await eventually(async () => (await dns.dig('checked.marathon.mesos')).answers.length === 1, { timeoutMs: 60_000, message: 'the healthy task was never answered' });
      unlinkSync(join(dir, 'ok'));
      await eventually(async () => (await dns.dig('checked.marathon.mesos')).status === 'NXDOMAIN', { timeoutMs: 30_000, message: 'the unhealthy task stayed in the answers' });
      expect((await marathon.running('/checked')).length, 'the task still runs').to.equal(1);
      writeFileSync(join(dir, 'ok'), 'ok');
      await eventually(async () => (await dns.dig('checked.marathon.mesos')).answers.length === 1, { timeoutMs: 30_000, message: 'the task never came back once healthy' });
    } finally {
      await marathon.json('DELETE', '/v2/apps/checked?force=true');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('truncates a 40-instance SRV answer over UDP with TC set, and answers all 40 over TCP', async () => {
    expect((await marathon.json('POST', '/v2/apps', { id: '/many', cmd: 'sleep 600', cpus: 0.01, mem: 8, instances: 40 })).status).to.equal(201);
    await eventually(async () => (await marathon.running('/many')).length === 40, { timeoutMs: 150_000, intervalMs: 500, message: '40 tasks did not run' });
    await eventually(async () => (await dns.dig('_many._tcp.marathon.mesos', 'SRV', ['+tcp'])).answers.length === 40, { message: 'TCP never gave 40 SRV records' });
    const udp = await dns.dig('_many._tcp.marathon.mesos', 'SRV', ['+notcp', '+ignore', '+noedns']);
    expect(udp.flags).to.include('tc');
    expect(udp.answers.length).to.be.within(1, 39);
    const tcp = await dns.dig('_many._tcp.marathon.mesos', 'SRV', ['+tcp']);
    expect(tcp.flags).not.to.include('tc');
    expect(new Set(tcp.answers.map((r) => r.data.split(' ')[2])).size).to.equal(40);
    await marathon.json('DELETE', '/v2/apps/many');
  });

  it('forwards names outside the domain upstream, and refuses them with forwarding off', async () => {
    const forwarded = await dns.dig('example.org');
    expect(forwarded.status).to.equal('NOERROR');
    expect(forwarded.answers.map((r) => r.data)).to.deep.equal(['192.0.2.10']);
    expect(upstream.queries()).to.include('example.org');
    const closed = await new TestDns(cluster.dir, [`--masters=127.0.0.1:${cluster.masterPort}`, '--externalon=false']).start('dns-closed');
    try {
      expect((await closed.dig('example.org')).status).to.equal('REFUSED');
      expect((await closed.dig('web.marathon.mesos')).answers).to.have.length(3);
    } finally {
      await closed.stop();
    }
  });

  it('keeps answering through a master restart and catches up after the resync', async () => {
    const status = async () => (await (await fetch(`${dns.httpUrl}/v1/status`)).json()) as { connected: boolean; stale: { reason: string | null } | null };
    await cluster.restartMaster('kill -9', async () => {
      // While the master is gone the last records stand, and the status says why.
      await eventually(async () => !(await status()).connected, { message: 'the lost master stream was not noticed' });
      expect((await status()).stale?.reason).to.be.a('string');
      expect((await dns.dig('web.marathon.mesos')).answers).to.have.length(3);
    });
    await eventually(async () => (await status()).connected, { timeoutMs: 30_000, message: 'never resubscribed' });
    await cluster.waitForAgents(3);
    // A standalone master keeps no registry: it learns the tasks again as their agents re-register
    // (a master on ZooKeeper lists them as recovered meanwhile, see dns-ha.test.ts), and DNS with it.
    await eventually(async () => (await dns.dig('web.marathon.mesos')).answers.length === 3, { timeoutMs: 30_000, message: 'web never had its 3 records again' });
    expect((await marathon.json('POST', '/v2/apps', { id: '/after', cmd: 'sleep 600', cpus: 0.05, mem: 16, instances: 1 })).status).to.equal(201);
    await eventually(async () => (await dns.dig('after.marathon.mesos')).answers.length === 1, { timeoutMs: 60_000, message: 'a task started after the restart was never answered' });
    expect((await dns.dig('web.marathon.mesos')).answers).to.have.length(3);
  });

  it('answers malformed packets with FORMERR or silence, and keeps answering', async () => {
    const id = Buffer.from([0x12, 0x34]);
    const header = (qd: number) => Buffer.concat([id, Buffer.from([0x01, 0x00, 0x00, qd, 0, 0, 0, 0, 0, 0])]);
    const loop = Buffer.concat([header(1), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]);
    const two = dnsPacket.encode({ type: 'query', id: 7, questions: [{ type: 'A', name: 'a.mesos' }, { type: 'A', name: 'b.mesos' }] });
    const udp = createSocket('udp4');
    const replies: Buffer[] = [];
    udp.on('message', (m) => replies.push(m));
    try {
      for (const packet of [Buffer.from([1, 2, 3]), header(1), loop, two, Buffer.alloc(4000, 0xff)]) udp.send(packet, dns.port, '127.0.0.1');
      await eventually(() => replies.length >= 3, { message: 'no FORMERR replies' });
      // RCODE 1 = FORMERR (the low four bits of the flags).
      for (const reply of replies) expect((dnsPacket.decode(reply).flags ?? 0) & 0xf).to.equal(1);
    } finally {
      udp.close();
    }
    // Garbage and a half frame over TCP: the connection is closed, the server stays up.
    await new Promise<void>((resolve) => {
      const socket = connect(dns.port, '127.0.0.1', () => socket.end(Buffer.concat([Buffer.from([0x00, 0x40]), Buffer.alloc(20, 0x41)])));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    const unknownType = await dns.dig('web.marathon.mesos', 'TXT');
    expect(unknownType.status).to.equal('NOERROR');
    expect((await dns.dig('web.marathon.mesos')).answers).to.have.length(3);
    expect(dns.process.exited).to.equal(false);
  });

  it('stops at startup with a message naming a bad config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tepui-dns-bad-config-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ masters: ['127.0.0.1:5050'], refreshSecond: 5 }));
      const run = spawnSync(process.execPath, [join(REPO_ROOT, 'packages/dns/dist/main.js'), `-config=${file}`], { encoding: 'utf8', timeout: 20_000 });
      expect(run.status).to.equal(1);
      expect(run.stderr).to.contain('unknown config key "refreshSecond"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
