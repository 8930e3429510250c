// The rest of Marathon's v2 surface on a real cluster: listing filters and embeds, versions and
// rollback, tasks (JSON and text/plain), killing with and without scale, the queue and its delay,
// groups (scale, version rollback, delete, dry run), forced deployment cancel, restart, metrics, info.
import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { followEvents, marathonSuite, type MarathonTask } from '../support/marathon';

/** One step of Marathon's reason funnel in GET /v2/queue. */
interface Step { reason: string; declined: number; processed: number }
const FUNNEL = ['UnfulfilledRole', 'UnfulfilledConstraint', 'NoCorrespondingReservationFound', 'InsufficientCpus', 'InsufficientMemory', 'InsufficientDisk', 'InsufficientGpus', 'InsufficientPorts'];

describe('Marathon v2 API on a real cluster', function () {
  this.timeout(120_000);
  const { cluster, marathon } = marathonSuite(2);
  const api = { id: '/prod/api', cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 2, labels: { tier: 'backend', team: 'a' }, portDefinitions: [{ port: 0, name: 'http' }] };
  const db = { id: '/prod/db', cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 1, labels: { tier: 'data' } };

  before(async () => {
    const res = await marathon.json('PUT', '/v2/apps', [api, db]);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await marathon.waitForDeployments();
  });

  it('filters apps by id, cmd and label, and embeds what is asked', async () => {
    const ids = async (query: string) => ((await marathon.json('GET', `/v2/apps${query}`)).body as { apps: Array<{ id: string }> }).apps.map((a) => a.id);
    expect(await ids('')).to.deep.equal(['/prod/api', '/prod/db']);
    expect(await ids('?id=API')).to.deep.equal(['/prod/api']);
    expect(await ids('?cmd=sleep')).to.deep.equal(['/prod/api', '/prod/db']);
    expect(await ids('?label=tier==backend')).to.deep.equal(['/prod/api']);
    expect(await ids('?label=tier%20in%20(data,cache)')).to.deep.equal(['/prod/db']);
    const plain = ((await marathon.json('GET', '/v2/apps')).body as { apps: Array<Record<string, unknown>> }).apps[0]!;
    expect(plain).to.include.keys('tasksRunning', 'tasksStaged', 'tasksHealthy', 'tasksUnhealthy', 'deployments', 'labels', 'env', 'constraints', 'healthChecks');
    expect(plain).to.not.have.key('tasks');
    const embedded = ((await marathon.json('GET', '/v2/apps?embed=apps.tasks&embed=apps.taskStats')).body as { apps: Array<{ tasks: MarathonTask[]; taskStats: { totalSummary: unknown } }> }).apps[0]!;
    expect(embedded.tasks).to.have.length(2);
    expect(embedded.taskStats.totalSummary).to.have.nested.property('stats.counts.running', 2);
    const group = (await marathon.json('GET', '/v2/apps/prod/*')).body as { '*': Array<{ id: string }> };
    expect(group['*'].map((a) => a.id)).to.deep.equal(['/prod/api', '/prod/db']);
  });

  it('previews a group change with dryRun=true: the steps, and nothing stored, deployed, launched or published', async () => {
    const events = await followEvents(marathon.url);
    const prodTaskIds = async (): Promise<string[]> => ((await marathon.json('GET', '/v2/tasks')).body as { tasks: MarathonTask[] }).tasks.filter((t) => t.appId.startsWith('/prod/')).map((t) => t.id).sort();
    const masterTaskIds = async (): Promise<string[]> => (await cluster.state()).frameworks.filter((f) => f.name === 'marathon').flatMap((f) => f.tasks.map((t) => t.id)).sort();
    const snapshot = async () => ({
      apps: (await marathon.json('GET', '/v2/apps?id=/prod/')).body,
      tasks: await prodTaskIds(),
      onMaster: await masterTaskIds(),
      deployments: (await marathon.json('GET', '/v2/deployments')).body,
      queue: (await marathon.json('GET', '/v2/queue')).body,
    });
    const before = await snapshot();
    const cache = { id: 'cache', cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 1 };
    // db as GET shows it (with its service port), so that only its instance count changes.
    const { version: _v, ...dbNow } = ((await marathon.json('GET', '/v2/apps/prod/db')).body as { app: Record<string, unknown> }).app;
    const res = await marathon.json('PUT', '/v2/groups/prod?dryRun=true', { apps: [{ ...api, id: 'api', cmd: 'sleep 601' }, { ...dbNow, instances: 2 }, cache] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.headers.get('marathon-deployment-id')).to.equal(null);
    expect(res.body).to.deep.equal({
      steps: [
        { actions: [{ action: 'StartApplication', app: '/prod/cache' }] },
        { actions: [{ action: 'RestartApplication', app: '/prod/api' }, { action: 'ScaleApplication', app: '/prod/cache' }, { action: 'ScaleApplication', app: '/prod/db' }] },
      ],
    });
    expect(await snapshot(), 'right after the dry run').to.deep.equal(before);
    // A real deployment elsewhere: once it is done, anything the dry run had set off would show.
    expect((await marathon.json('POST', '/v2/apps', { id: '/dry/barrier', cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 1 })).status).to.equal(201);
    await marathon.waitForDeployments();
    await eventually(async () => (await marathon.running('/dry/barrier')).length === 1, { message: 'the barrier app did not start' });
    const after = await snapshot();
    expect({ ...after, onMaster: after.onMaster.filter((id) => !id.startsWith('dry_barrier.')) }).to.deep.equal(before);
    events.close();
    // Reconciliation restates the running tasks; anything else about /prod came from the dry run.
    const restated = (e: { eventType: string; taskId?: unknown }): boolean => e.eventType === 'status_update_event' && before.tasks.includes(String(e.taskId));
    expect(events.events.filter((e) => !restated(e)).map((e) => JSON.stringify(e)).filter((e) => e.includes('/prod')).map((e) => e.slice(0, 300))).to.deep.equal([]);
    expect((await marathon.json('DELETE', '/v2/apps/dry/barrier')).status).to.equal(200);
    await marathon.waitForDeployments();
  });

  it('lists tasks as JSON and as the text/plain lines of old load balancers', async () => {
    const tasks = ((await marathon.json('GET', '/v2/tasks?status=running')).body as { tasks: Array<MarathonTask & { servicePorts: number[] }> }).tasks;
    expect(tasks).to.have.length(3);
    const apiTask = tasks.find((t) => t.appId === '/prod/api')!;
    const text = await (await fetch(`${marathon.url}/v2/tasks`, { headers: { Accept: 'text/plain' } })).text();
    const line = text.split('\n').find((l) => l.startsWith('prod_api\t'))!;
    expect(line).to.equal(`prod_api\t${apiTask.servicePorts[0]}\t${tasks.filter((t) => t.appId === '/prod/api').map((t) => `${t.host}:${t.ports[0]}`).sort().join('\t')}\t`);
  });

  it('keeps versions, returns one, and rolls back to it with PUT {version}', async () => {
    const first = ((await marathon.json('GET', '/v2/apps/prod/db/versions')).body as { versions: string[] }).versions;
    expect(first).to.have.length(1);
    expect((await marathon.json('PUT', '/v2/apps/prod/db', { cmd: 'sleep 601' })).status).to.equal(200);
    await marathon.waitForDeployments();
    const versions = ((await marathon.json('GET', '/v2/apps/prod/db/versions')).body as { versions: string[] }).versions;
    expect(versions).to.have.length(2);
    expect(versions[1]).to.equal(first[0]);
    const old = (await marathon.json('GET', `/v2/apps/prod/db/versions/${first[0]}`)).body as { cmd: string };
    expect(old.cmd).to.equal('sleep 600');
    expect((await marathon.json('PUT', '/v2/apps/prod/db', { version: first[0] })).status).to.equal(200);
    await marathon.waitForDeployments();
    expect(((await marathon.json('GET', '/v2/apps/prod/db')).body as { app: { cmd: string } }).app.cmd).to.equal('sleep 600');
    expect((await marathon.json('GET', '/v2/apps/prod/db/versions/2001-01-01T00:00:00.000Z')).status).to.equal(404);
  });

  it('kills a task (replaced) and kills with scale (not replaced)', async () => {
    const [victim] = await marathon.running('/prod/api');
    const killed = await marathon.json('DELETE', `/v2/apps/prod/api/tasks/${victim!.id}`);
    expect(killed.status).to.equal(200);
    expect((killed.body as { task: { id: string } }).task.id).to.equal(victim!.id);
    await eventually(async () => {
      const running = await marathon.running('/prod/api');
      return running.length === 2 && !running.some((t) => t.id === victim!.id);
    }, { timeoutMs: 30_000, message: 'the killed task was not replaced' });
    const [second] = await marathon.running('/prod/api');
    const scaled = await marathon.json('POST', '/v2/tasks/delete?scale=true', { ids: [second!.id] });
    expect(scaled.status).to.equal(200);
    expect(scaled.body).to.have.keys('deploymentId', 'version');
    await marathon.waitForDeployments();
    const app = ((await marathon.json('GET', '/v2/apps/prod/api')).body as { app: { instances: number; tasks: MarathonTask[] } }).app;
    expect(app.instances).to.equal(1);
    expect(app.tasks.map((t) => t.id)).to.not.include(second!.id);
    expect((await marathon.json('POST', '/v2/tasks/delete', { ids: ['not a task id'] })).status).to.equal(400);
  });

  it('shows waiting instances in the queue, resets their delay, and cancels a stuck deployment with force', async () => {
    const huge = { id: '/prod/huge', cmd: 'sleep 600', cpus: 100, mem: 16, instances: 1 };
    const res = await marathon.json('POST', '/v2/apps', huge);
    expect(res.status).to.equal(201);
    const deploymentId = res.headers.get('marathon-deployment-id')!;
    const entry = await eventually(async () => {
      const queue = ((await marathon.json('GET', '/v2/queue')).body as { queue: Array<{ app: { id: string }; count: number; delay: { overdue: boolean }; processedOffersSummary: { processedOffersCount: number; rejectSummaryLastOffers: Step[]; rejectSummaryLaunchAttempt: Step[] } }> }).queue;
      const e = queue.find((q) => q.app.id === '/prod/huge');
      return e && e.processedOffersSummary.rejectSummaryLastOffers.some((r) => r.declined > 0) ? e : undefined;
    }, { message: 'no queue entry with offer statistics' });
    expect(entry.count).to.equal(1);
    // Marathon's funnel: every reason in its order; an offer counts under its first failed check.
    const summary = entry.processedOffersSummary;
    expect(summary.rejectSummaryLastOffers.map((r) => r.reason)).to.deep.equal(FUNNEL);
    const cpus = summary.rejectSummaryLastOffers.find((r) => r.reason === 'InsufficientCpus')!;
    expect(cpus.declined).to.be.greaterThan(0);
    expect(cpus.declined).to.be.at.most(2); // the last offer of each of the two agents
    expect(summary.rejectSummaryLaunchAttempt.find((r) => r.reason === 'InsufficientCpus')!.declined).to.be.at.most(summary.processedOffersCount);
    expect(summary.rejectSummaryLaunchAttempt[0]!.processed).to.equal(summary.processedOffersCount);
    const embedded = ((await marathon.json('GET', '/v2/queue?embed=lastUnusedOffers')).body as { queue: Array<{ app: { id: string }; lastUnusedOffers?: Array<{ offer: { agentId: string; resources: Array<{ name: string }> }; reason: string[] }> }> }).queue;
    const unused = embedded.find((q) => q.app.id === '/prod/huge')!.lastUnusedOffers!;
    expect(unused.length).to.be.within(1, 2);
    expect(unused[0]!.reason).to.include('InsufficientCpus');
    expect(unused[0]!.offer.resources.map((r) => r.name)).to.include('cpus');
    expect(entry).to.not.have.property('lastUnusedOffers');
    expect((await marathon.json('DELETE', '/v2/queue/prod/huge/delay')).status).to.equal(204);
    expect((await marathon.json('DELETE', '/v2/queue/prod/nothing/delay')).status).to.equal(404);
    const listed = (await marathon.json('GET', '/v2/deployments')).body as Array<{ id: string; currentActions: Array<{ action: string }> }>;
    expect(listed.find((d) => d.id === deploymentId)!.currentActions[0]!.action).to.equal('ScaleApplication');
    const cancel = await marathon.json('DELETE', `/v2/deployments/${deploymentId}?force=true`);
    expect(cancel.status).to.equal(202);
    expect((await marathon.json('GET', '/v2/deployments')).body).to.deep.equal([]);
    expect((await marathon.json('DELETE', '/v2/apps/prod/huge')).status).to.equal(200);
    await marathon.waitForDeployments();
  });

  it('scales a group, rolls it back to a version, restarts an app and deletes the group', async () => {
    const before = (await marathon.json('GET', '/v2/groups/prod')).body as { version: string; apps: Array<{ id: string; instances: number }> };
    const versions = (await marathon.json('GET', '/v2/groups/prod/versions')).body as string[];
    expect(versions.length).to.be.greaterThan(1);
    expect((await marathon.json('PUT', '/v2/groups/prod', { scaleBy: 2 })).status).to.equal(200);
    await marathon.waitForDeployments();
    const scaled = (await marathon.json('GET', '/v2/groups/prod')).body as { apps: Array<{ id: string; instances: number }> };
    expect(scaled.apps.map((a) => a.instances)).to.deep.equal(before.apps.map((a) => a.instances * 2));
    expect((await marathon.json('PUT', '/v2/groups/prod', { version: versions[0] })).status).to.equal(200);
    await marathon.waitForDeployments();
    const back = (await marathon.json('GET', '/v2/groups/prod')).body as { apps: Array<{ instances: number }> };
    expect(back.apps.map((a) => a.instances)).to.deep.equal(before.apps.map((a) => a.instances));
    const restart = await marathon.json('POST', '/v2/apps/prod/db/restart');
    expect(restart.status).to.equal(200);
    await marathon.waitForDeployments();
    const del = await marathon.json('DELETE', '/v2/groups/prod');
    expect(del.status).to.equal(200);
    await marathon.waitForDeployments();
    expect(((await marathon.json('GET', '/v2/apps')).body as { apps: unknown[] }).apps).to.deep.equal([]);
    await eventually(async () => ((await marathon.json('GET', '/v2/tasks')).body as { tasks: unknown[] }).tasks.length === 0, { message: 'tasks left after the group was deleted' });
  });

  it('answers /v2/info, /v2/leader, /ping and /metrics', async () => {
    const info = (await marathon.json('GET', '/v2/info')).body as { name: string; frameworkId: string; leader: string; marathon_config: { framework_name: string } };
    expect(info.name).to.equal('marathon');
    expect(info.marathon_config.framework_name).to.equal('marathon');
    expect((await marathon.json('GET', '/v2/leader')).body).to.deep.equal({ leader: info.leader });
    const metrics = (await marathon.json('GET', '/metrics')).body as { gauges: Record<string, { value: number }> };
    expect(metrics.gauges).to.have.property('marathon.apps.active.gauge');
    const prom = await (await fetch(`${marathon.url}/metrics/prometheus`)).text();
    expect(prom).to.match(/^marathon_apps_active \d+$/m);
    const state = await cluster.state();
    expect(state.frameworks.find((f) => f.id === info.frameworkId)!.name).to.equal('marathon');
  });
});
