// Acceptance for packages/lb on a real cluster (a master, three agents on their own loopback
// addresses, Marathon) with a real HAProxy: vhost and service-port routing soon after TASK_RUNNING
// (driven by the event, measured here; the 1 s goal is held by lb.bench.ts), health and KILLING
// draining, apps whose labels would break the configuration.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { echoTaskCommand, get, TestLb } from '../support/lb';
import { followEvents, marathonSuite } from '../support/marathon';
import { freePort } from '../support/processes';

/** TASK_RUNNING → routed, on a machine running the whole suite (the 1 s goal is the benchmark's). */
const ROUTED_WITHIN_LOADED_MS = 5_000;

describe('tepui-lb with a real HAProxy', function () {
  this.timeout(180_000);
  const { cluster, marathon } = marathonSuite(3);
  let lb: TestLb;

  before(async () => {
    // The first Marathon URL answers nothing (a closed port): the generator moves on to the next.
    const dead = `http://127.0.0.1:${await freePort()}`;
    lb = await new TestLb(cluster.dir, () => [dead, marathon.url]).start();
  });

  after(async function () {
    if (this.currentTest?.state === 'failed') console.log(lb?.process.log().slice(-8000));
    await lb?.stop();
  });

  async function answers(port: number, host: string | undefined, count: number): Promise<Set<string>> {
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const a = await get(port, host);
      expect(a.status, a.body).to.equal(200);
      seen.add(a.body);
    }
    return seen;
  }

  it('routes a vhost and its service port to all three tasks as they reach TASK_RUNNING', async () => {
    const events = await followEvents(marathon.url, ['status_update_event']);
    const routedAt = new Map<string, number>();
    const listeningSince = new Map<string, number>();
    let polling = true;
    // Requests go out all the time, so the first one a new task answers shows when it was routed.
    const poller = (async () => {
      while (polling) {
        const results = await Promise.allSettled([0, 1, 2, 3].map(() => get(lb.httpPort, 'web.example')));
        for (const r of results) {
          if (r.status !== 'fulfilled' || r.value.status !== 200 || routedAt.has(r.value.body)) continue;
          routedAt.set(r.value.body, Date.now());
          listeningSince.set(r.value.body, r.value.listeningSince ?? 0);
        }
      }
    })();
    try {
      const app = {
        id: '/web', cmd: echoTaskCommand(), cpus: 0.05, mem: 32, instances: 3, constraints: [['hostname', 'UNIQUE']],
        labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'web.example' }, portDefinitions: [{ port: 0, name: 'http' }],
      };
      expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
      await eventually(() => routedAt.size === 3, { timeoutMs: 60_000, message: 'web.example did not reach 3 tasks' });
    } finally {
      polling = false;
      await poller;
      events.close();
    }
    const runningAt = new Map<string, number>();
    for (const e of events.events) {
      if (e.taskStatus === 'TASK_RUNNING' && !runningAt.has(e.taskId as string)) runningAt.set(e.taskId as string, Date.parse(e.timestamp));
    }
    const tasks = await marathon.running('/web');
    expect([...routedAt.keys()].sort()).to.deep.equal(tasks.map((t) => t.id).sort());
    // From TASK_RUNNING, or from the moment the task's process could answer if that came later
    // (the executor reports RUNNING when it has started the process, not when node listens).
    // The goal (p99 ≤ 1 s) is held by the benchmark on a quiet machine (`lb.bench.ts`, 100 tasks);
    // here, in a loaded suite, routing must follow the event rather than a periodic resync
    // (marathon-lb's is 60 s), so the bound is set for a loaded machine.
    for (const [taskId, at] of routedAt) {
      const ready = Math.max(runningAt.get(taskId)!, listeningSince.get(taskId)!);
      const delay = at - ready;
      expect(delay, `${taskId} routed ${delay} ms after TASK_RUNNING`).to.be.below(ROUTED_WITHIN_LOADED_MS);
    }
    // The service port's own frontend reaches the same three tasks.
    const servicePort = (await lb.waitForServers('/web', 3)).servicePort;
    expect([...(await answers(servicePort, undefined, 30))].sort()).to.deep.equal(tasks.map((t) => t.id).sort());
    // The app-id frontend routes on X-Marathon-App-Id as marathon-lb's does.
    const byAppId = await fetch(`http://127.0.0.1:${lb.appIdPort}/`, { headers: { 'X-Marathon-App-Id': '/web' } });
    expect(tasks.map((t) => t.id)).to.include(await byAppId.text());
  });

  it('stops sending requests to a task whose health check fails, and to a KILLING task while it still runs', async () => {
    const healthDir = join(cluster.dir, 'health');
    mkdirSync(healthDir, { recursive: true });
    const app = {
      id: '/checked', cmd: echoTaskCommand(), cpus: 0.05, mem: 32, instances: 3, env: { HEALTH_DIR: healthDir, DRAIN_SECONDS: '20' },
      labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'checked.example' }, portDefinitions: [{ port: 0 }], taskKillGracePeriodSeconds: 30,
      healthChecks: [{ protocol: 'MESOS_HTTP', path: '/health', portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 0 }],
    };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    await lb.waitForServers('/checked', 3, 60_000).catch(async (err) => {
      console.log(JSON.stringify(await marathon.tasks('/checked')), JSON.stringify(await lb.backends()));
      throw err;
    });
    const [sick, doomed, healthy] = (await marathon.running('/checked')).map((t) => t.id);

    writeFileSync(join(healthDir, `unhealthy-${sick}`), '');
    await eventually(async () => !(await lb.backends()).find((b) => b.appId === '/checked')!.servers.some((s) => s.taskId === sick), {
      timeoutMs: 30_000, message: 'the unhealthy task stayed in the backend',
    });
    const afterSick = await answers(lb.httpPort, 'checked.example', 40);
    expect(afterSick.has(sick!), 'the unhealthy task still got requests').to.equal(false);
    expect([...afterSick].sort()).to.deep.equal([doomed, healthy].sort());

    // Kill one (scaling down): it keeps serving for DRAIN_SECONDS after SIGTERM, but gets nothing new.
    expect((await marathon.json('DELETE', `/v2/apps/checked/tasks/${doomed}?scale=true`)).status).to.equal(200);
    const drained = await eventually(async () => {
      const server = (await lb.backends()).find((b) => b.appId === '/checked')!.servers.find((s) => s.taskId === doomed);
      return server === undefined || server.draining ? (server ?? 'gone') : undefined;
    }, { timeoutMs: 30_000, message: 'the KILLING task was never drained' });
    const afterKill = await answers(lb.httpPort, 'checked.example', 40);
    expect([...afterKill]).to.deep.equal([healthy]);
    if (drained !== 'gone') {
      // Still running, and saying it was asked to stop: drained before its process went.
      const direct = await get(drained.port, undefined, '/', 2000);
      expect(direct).to.include({ body: doomed, killing: true });
    }
  });

  it('leaves out an app whose labels would break the configuration, reporting why, and serves the rest', async () => {
    const badBalance = {
      id: '/bad-balance', cmd: echoTaskCommand(), cpus: 0.05, mem: 32, instances: 1, portDefinitions: [{ port: 0 }],
      labels: { HAPROXY_GROUP: 'external', HAPROXY_0_BALANCE: 'fastest' },
    };
    // Valid to the generator's own label checks, refused by `haproxy -c`: found through HAProxy's
    // line number and left out alone.
    const badBind = {
      id: '/bad-bind', cmd: echoTaskCommand(), cpus: 0.05, mem: 32, instances: 1, portDefinitions: [{ port: 0 }],
      labels: { HAPROXY_GROUP: 'external', HAPROXY_0_BIND_OPTIONS: 'no-such-bind-keyword' },
    };
    const good = {
      id: '/good', cmd: echoTaskCommand(), cpus: 0.05, mem: 32, instances: 1, portDefinitions: [{ port: 0 }],
      labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'good.example' },
    };
    for (const app of [badBalance, badBind, good]) expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    await lb.waitForServers('/good', 1, 60_000);
    const status = await eventually(async () => {
      const s = await lb.status();
      return s.excluded.some((e) => e.appId === '/bad-bind') && s.excluded.some((e) => e.appId === '/bad-balance') ? s : undefined;
    }, { timeoutMs: 30_000, message: 'the bad apps were not reported' });
    expect(status.excluded.find((e) => e.appId === '/bad-balance')!.reason).to.include('HAPROXY_0_BALANCE');
    expect(status.excluded.find((e) => e.appId === '/bad-bind')!.reason).to.include('no-such-bind-keyword');
    const config = await lb.config();
    expect(config).to.not.include('bad-balance').and.not.include('bad_bind');
    expect((await get(lb.httpPort, 'good.example')).status).to.equal(200);
    expect((await get(lb.httpPort, 'web.example')).status).to.equal(200);
  });
});
