// tepui-lb changes HAProxy without failing a request: a rolling restart, a scale up, a scale down
// and a change that needs a real reload, each under a steady request loop through HAProxy; and
// when Marathon stops, stalls or restarts, HAProxy keeps serving and the generator catches up.
import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { echoTaskCommand, get, startLoadLoop, TestLb, type LoadLoop } from '../support/lb';
import { marathonSuite } from '../support/marathon';

const RATE = 60;

describe('tepui-lb without dropped requests', function () {
  this.timeout(300_000);
  const { cluster, marathon } = marathonSuite(3);
  let lb: TestLb;
  let loop: LoadLoop | undefined;

  before(async () => {
    lb = await new TestLb(cluster.dir, () => [marathon.url], ['--stall-timeout-seconds=3']).start();
    const app = {
      id: '/web', cmd: echoTaskCommand(), cpus: 0.05, mem: 32, instances: 4, env: { DRAIN_SECONDS: '2' }, taskKillGracePeriodSeconds: 10,
      labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'web.example' }, portDefinitions: [{ port: 0 }],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
      healthChecks: [{ protocol: 'HTTP', path: '/health', portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 1, timeoutSeconds: 2, maxConsecutiveFailures: 3 }],
    };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    await lb.waitForServers('/web', 4, 90_000);
    await marathon.waitForDeployments();
  });

  afterEach(async function () {
    await loop?.stop();
    loop = undefined;
    if (this.currentTest?.state === 'failed') console.log(lb.process.log().slice(-8000));
  });

  after(async () => {
    await lb?.stop();
  });

  async function underLoad(change: () => Promise<void>): Promise<LoadLoop> {
    loop = startLoadLoop(lb.httpPort, 'web.example', RATE);
    await eventually(() => loop!.sent >= RATE, { message: 'the request loop did not start' });
    await change();
    await marathon.waitForDeployments('the deployment did not finish', 120_000);
    // A second of traffic after the deployment, on what it left.
    const sentAtEnd = loop.sent;
    await eventually(() => loop!.sent >= sentAtEnd + RATE, { message: 'the request loop stalled' });
    await loop.stop();
    const done = loop;
    loop = undefined;
    expect(done.failures, `${done.failures.length} of ${done.sent} requests failed`).to.deep.equal([]);
    return done;
  }

  it('restarts all four tasks (rolling, minimumHealthCapacity 0.5) with 0 failed requests', async () => {
    const before = new Set((await marathon.running('/web')).map((t) => t.id));
    const done = await underLoad(async () => {
      expect((await marathon.json('POST', '/v2/apps/web/restart', {})).status).to.equal(200);
    });
    const after = (await marathon.running('/web')).map((t) => t.id);
    expect(after.filter((id) => before.has(id))).to.deep.equal([]);
    expect(done.sent).to.be.greaterThan(2 * RATE);
    // New tasks took traffic during the same loop.
    expect(after.some((id) => done.answeredBy.has(id))).to.equal(true);
  });

  it('scales up past the backend\'s slots and down with 0 failed requests, and without a reload', async () => {
    const reloads = (await lb.status()).reloads;
    const slotsBefore = (await lb.waitForServers('/web', 4)).slots;
    await underLoad(async () => {
      expect((await marathon.json('PUT', '/v2/apps/web', { instances: 9 })).status).to.equal(200);
    });
    const grown = await lb.waitForServers('/web', 9);
    expect(slotsBefore).to.be.lessThan(9);
    expect(grown.slots).to.be.greaterThan(slotsBefore);
    // Every task answers through HAProxy, those in the added slots too (http mode balances each request).
    const nine = new Set(grown.servers.map((s) => s.taskId));
    const answered = new Set<string>();
    await eventually(async () => {
      for (let i = 0; i < 18; i++) answered.add((await get(lb.httpPort, 'web.example')).body);
      return [...nine].every((id) => answered.has(id));
    }, { message: 'not every task answered through HAProxy' });
    await underLoad(async () => {
      expect((await marathon.json('PUT', '/v2/apps/web', { instances: 2 })).status).to.equal(200);
    });
    await lb.waitForServers('/web', 2);
    const status = await lb.status();
    // Nine outgrow the backend's 8 slots (made for 4 tasks): HAProxy gets more with `add server`, and
    // every task joins and leaves through the Runtime API.
    expect(status.reloads).to.equal(reloads);
    expect(status.runtimeUpdates).to.be.greaterThan(0);
  });

  it('adds a new app with a new service port (a real reload) with 0 failed requests', async () => {
    const reloads = (await lb.status()).reloads;
    await underLoad(async () => {
      const app = {
        id: '/api', cmd: echoTaskCommand(), cpus: 0.05, mem: 32, instances: 1,
        labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'api.example' }, portDefinitions: [{ port: 0 }],
      };
      expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
      await lb.waitForServers('/api', 1, 60_000);
    });
    expect((await lb.status()).reloads).to.be.greaterThan(reloads);
    expect((await get(lb.httpPort, 'api.example')).status).to.equal(200);
  });

  it('keeps serving while Marathon stalls, stops and restarts, and catches up afterwards', async () => {
    loop = startLoadLoop(lb.httpPort, 'web.example', 20);
    // A stalled stream: Marathon stops answering (SIGSTOP) without closing anything.
    process.kill(marathon.process.pid, 'SIGSTOP');
    try {
      await eventually(async () => ((await lb.status()).marathon.stalls ?? 0) > 0, { timeoutMs: 30_000, message: 'the stall was never noticed' });
    } finally {
      process.kill(marathon.process.pid, 'SIGCONT');
    }
    await eventually(async () => (await lb.status()).marathon.connected, { timeoutMs: 30_000, message: 'the stream was not re-opened' });

    await marathon.stop();
    await eventually(async () => !(await lb.status()).marathon.connected, { message: 'the generator did not notice Marathon was gone' });
    const served = loop.sent;
    await eventually(() => loop!.sent >= served + 20, { message: 'the request loop stalled' });
    await marathon.start();
    // A change made after the restart reaches HAProxy.
    expect((await marathon.json('PUT', '/v2/apps/web', { instances: 3 })).status).to.equal(200);
    await lb.waitForServers('/web', 3, 60_000);
    await marathon.waitForDeployments();
    await loop.stop();
    const done = loop;
    loop = undefined;
    expect(done.failures, `${done.failures.length} of ${done.sent} requests failed`).to.deep.equal([]);
  });
});
