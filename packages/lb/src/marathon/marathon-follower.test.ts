// The follower against fake Marathons: first load, patches, stalls, failover, redirects, outages,
// malformed events, coalesced re-lists, and a clean stop.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pino from 'pino';
import { until, type MarathonAppWithTasks } from '@tepui/protocol';
import { MarathonClient } from './marathon-client';
import { MarathonFollower, type MarathonFollowerOptions, type ViewSinkChange } from './marathon-follower';
import { MarathonView } from './marathon-view';
import { appJson, healthChanged, instanceIdOf, statusUpdate, taskJson } from './testing/fixtures';
import { FakeMarathon } from './testing/fake-marathon';

const WEB = '/shop/web';
const API = '/shop/api';
const log = pino({ level: 'silent' });

/** What the view shows, in the shape Marathon lists it (task order aside). */
function shape(apps: readonly MarathonAppWithTasks[]): Array<{ id: string; tasks: string[] }> {
  return [...apps].sort((a, b) => a.id.localeCompare(b.id)).map((a) => ({ id: a.id, tasks: (a.tasks ?? []).map((t) => `${t.id}:${t.state}`).sort() }));
}

describe('MarathonFollower', () => {
  const fakes: FakeMarathon[] = [];
  let follower: MarathonFollower | undefined;
  let view: MarathonView;
  let changes: ViewSinkChange[];

  async function fake(apps: MarathonAppWithTasks[] = []): Promise<FakeMarathon> {
    const f = await FakeMarathon.start({ keepAliveMs: 50 });
    f.apps = apps;
    fakes.push(f);
    return f;
  }

  function follow(urls: string[], options: Partial<MarathonFollowerOptions> = {}): MarathonFollower {
    view = new MarathonView();
    changes = [];
    follower = new MarathonFollower({
      client: new MarathonClient({ urls, responseTimeoutMs: 1000 }), view, log, stallTimeoutMs: 1500,
      sink: { onChange: (c) => changes.push(c) }, ...options,
    });
    follower.start();
    return follower;
  }

  const inSync = (f: FakeMarathon) => JSON.stringify(shape(view.allApps())) === JSON.stringify(shape(f.apps));

  afterEach(async () => {
    await follower?.stop();
    follower = undefined;
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  it('opens the stream first, then loads the listing and tells the sink every app changed', async () => {
    const m = await fake([appJson(WEB, [taskJson(WEB, 1), taskJson(WEB, 2)]), appJson(API)]);
    const f = follow([m.url]);
    await until(() => changes.length > 0, 'the first load');
    expect(changes[0]).to.deep.include({ full: true, version: 1 });
    expect([...changes[0]!.changedApps].sort()).to.deep.equal([API, WEB]);
    expect(inSync(m)).to.equal(true);
    expect(m.streamRequests).to.equal(1);
    expect(m.listRequests).to.equal(1);
    expect(f.status()).to.include({ connected: true, marathon: m.url, resyncs: 1, stalls: 0 });
    expect(f.status().lastSyncMs).to.be.a('number');
  });

  it('adds and removes a task from status updates alone, without a re-list (the benchmark times it)', async () => {
    const m = await fake([appJson(WEB, [taskJson(WEB, 1)])]);
    const f = follow([m.url]);
    await until(() => view.loaded, 'the first load');
    const t2 = taskJson(WEB, 2);
    m.push(statusUpdate(t2, 'TASK_RUNNING'));
    await until(() => view.tasks(WEB).some((t) => t.id === t2.id), 'the new task');
    expect(changes.at(-1)).to.deep.include({ full: false, version: 2 });
    expect([...changes.at(-1)!.changedApps]).to.deep.equal([WEB]);
    m.push(statusUpdate(t2, 'TASK_KILLED'));
    await until(() => view.tasks(WEB).length === 1, 'the task removed');
    expect(m.listRequests).to.equal(1);
    expect(f.status().events).to.equal(2);
  });

  it('replays events that arrive during a listing over it, never reviving a task being killed', async () => {
    const m = await fake([appJson(WEB, [taskJson(WEB, 1, { state: 'TASK_KILLING' })])]);
    m.onList = () => {
      m.push(statusUpdate(taskJson(WEB, 1), 'TASK_RUNNING')); // older than the listing's KILLING
      m.push(statusUpdate(taskJson(WEB, 2), 'TASK_RUNNING')); // newer than the listing
      m.onList = undefined;
    };
    const f = follow([m.url]);
    await until(() => view.tasks(WEB).length === 2, 'the replayed task');
    expect(view.tasks(WEB).map((t) => `${t.id}:${t.state}`).sort()).to.deep.equal([`${taskJson(WEB, 1).id}:TASK_KILLING`, `${taskJson(WEB, 2).id}:TASK_RUNNING`]);
    expect(changes.filter((c) => c.full)).to.have.length(1);
    expect(m.listRequests).to.equal(1);
    expect(f.status().events).to.equal(2);
  });

  it('applies health changes to the instance’s task', async () => {
    const m = await fake([appJson(WEB, [taskJson(WEB, 1)])]);
    follow([m.url]);
    await until(() => view.loaded, 'the first load');
    m.push(healthChanged(WEB, instanceIdOf(WEB, 1), true));
    await until(() => view.tasks(WEB)[0]?.healthCheckResults[0]?.alive === true, 'alive');
    m.push(healthChanged(WEB, instanceIdOf(WEB, 1), false));
    await until(() => view.tasks(WEB)[0]?.healthCheckResults[0]?.alive === false, 'not alive');
  });

  it('re-lists on definition events, collapsing a burst into at most one more listing', async () => {
    const m = await fake([appJson(WEB)]);
    follow([m.url]);
    await until(() => view.loaded, 'the first load');
    m.apps = [appJson(WEB), appJson(API, [taskJson(API, 1)])];
    for (let i = 0; i < 10; i++) m.push({ eventType: 'deployment_info', plan: { id: 'd', steps: [], version: 'v' }, currentStep: { actions: [] } });
    await until(() => inSync(m), 'the new app');
    await until(() => changes.at(-1)?.full === true && m.listRequests >= 2, 'the re-list reported');
    expect(m.listRequests).to.be.within(2, 3);
    expect([...changes.find((c) => c.changedApps.has(API))!.changedApps]).to.deep.equal([API]);
  });

  it('detects a stalled stream, reopens it and re-lists what changed meanwhile', async () => {
    const m = await fake([appJson(WEB, [taskJson(WEB, 1)])]);
    const f = follow([m.url]);
    await until(() => view.loaded, 'the first load');
    m.stall();
    m.apps = [appJson(WEB, [taskJson(WEB, 1), taskJson(WEB, 2)])];
    await until(() => f.status().stalls === 1, 'the stall detected');
    m.resume();
    await until(() => inSync(m) && f.status().connected, 'the view caught up');
    expect(m.streamRequests).to.equal(2);
    expect(m.listRequests).to.equal(2);
    expect(f.status().resyncs).to.equal(2);
  });

  it('fails over from a dead first URL to the second', async () => {
    const dead = await fake();
    await dead.close();
    const m = await fake([appJson(WEB)]);
    const f = follow([dead.url, m.url]);
    await until(() => view.loaded, 'the load from the second Marathon');
    expect(f.status().marathon).to.equal(m.url);
    expect(inSync(m)).to.equal(true);
  });

  it('follows a standby’s redirect to the leader, for the stream and the listing', async () => {
    const leader = await fake([appJson(WEB, [taskJson(WEB, 1)])]);
    const standby = await fake();
    standby.redirectTo = leader.url;
    follow([standby.url]);
    await until(() => view.loaded, 'the load through the standby');
    expect(inSync(leader)).to.equal(true);
    leader.push(statusUpdate(taskJson(WEB, 2), 'TASK_RUNNING'));
    await until(() => view.tasks(WEB).length === 2, 'the leader’s event');
  });

  it('keeps the last view while Marathon is down, and catches up when it is back', async () => {
    const m = await fake([appJson(WEB, [taskJson(WEB, 1)])]);
    const f = follow([m.url], { retryMaxMs: 200 });
    await until(() => view.loaded, 'the first load');
    await m.down();
    await until(() => f.status().unreachableSinceMs !== undefined, 'Marathon unreachable');
    expect(f.status()).to.include({ connected: false });
    expect(f.status().error).to.be.a('string');
    expect(view.tasks(WEB)).to.have.length(1);
    m.apps = [appJson(WEB, [taskJson(WEB, 2)]), appJson(API)];
    await m.up();
    await until(() => inSync(m), 'the view caught up');
    await until(() => f.status().error === undefined, 'the error cleared');
    expect(f.status()).to.include({ connected: true, unreachableSinceMs: undefined });
  });

  it('resyncs after a malformed event', async () => {
    const m = await fake([appJson(WEB)]);
    const f = follow([m.url]);
    await until(() => view.loaded, 'the first load');
    m.apps = [appJson(WEB, [taskJson(WEB, 3)])];
    m.pushRaw('event: status_update_event\r\ndata: {"eventType":"status_update_event","taskId":\r\n\r\n');
    await until(() => inSync(m) && m.listRequests === 2, 'the resync');
    expect(m.streamRequests).to.equal(2);
    expect(f.status().error).to.equal(undefined);
  });

  it('re-lists a quiet view every resyncSeconds', async () => {
    const m = await fake([appJson(WEB)]);
    follow([m.url], { resyncSeconds: 0.1 });
    await until(() => m.listRequests >= 3, 'two periodic re-lists');
    expect(m.streamRequests).to.equal(1);
  });

  it('stop() leaves nothing behind: the process exits by itself', async () => {
    const probe = join(__dirname, 'testing', 'exit-probe.js');
    const child = spawn(process.execPath, [probe], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // The probe's resync and stall timers are 60 s: one left behind would hold it past this.
    const deadline = setTimeout(() => child.kill(), 10_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(deadline);
    expect(out).to.equal('stopped with 1 app\n');
    expect(code).to.equal(0);
  });
});
