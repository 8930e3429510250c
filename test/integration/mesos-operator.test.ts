// The operator side of a real cluster, as Mesos 1.11 answers it: a role's running task in
// /master/roles and GET_ROLES, weights updated per role, `dcos service shutdown`'s
// POST /master/teardown killing a framework's task, and the agent's /flags and /version.
import { expect } from 'chai';
import { TestCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { RawScheduler, post, type Json } from '../support/raw-scheduler';

describe('operator endpoints on a real cluster', function () {
  this.timeout(60_000);
  const cluster = new TestCluster({ agents: 1, masterFlags: ['--weights=web=2'] });
  let scheduler: RawScheduler;

  before(async () => {
    await cluster.start();
    scheduler = new RawScheduler(cluster.masterUrl, true);
    await scheduler.subscribe({ user: 'root', name: 'roles-fw', roles: ['web'], capabilities: [{ type: 'MULTI_ROLE' }] });
    const offer = (await scheduler.next((e) => e.type === 'OFFERS', 'no offer')).offers.offers[0] as Json;
    const resources = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.25 }, allocation_info: { role: 'web' } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 48 }, allocation_info: { role: 'web' } },
    ];
    const accepted = await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 'web', task_id: { value: 'web-1' }, agent_id: offer.agent_id, resources, command: { value: 'sleep 1000' } }] } }],
        filters: { refuse_seconds: 3600 },
      },
    });
    expect(accepted.status).to.equal(202);
    await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_RUNNING', 'no TASK_RUNNING');
  });
  after(async () => {
    scheduler?.disconnect();
    await cluster.stop();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(cluster.logs());
  });

  const operator = async (body: Json) => {
    const res = await post(`${cluster.masterUrl}/api/v1`, JSON.stringify(body), { Accept: 'application/json' });
    return { status: res.status, json: res.status === 200 && res.body ? (JSON.parse(res.body) as Json) : undefined, body: res.body };
  };

  it('reports the running task under its role, with the weight from --weights', async () => {
    const roles = (await (await fetch(`${cluster.masterUrl}/master/roles`)).json()) as { roles: Json[] };
    const web = roles.roles.find((r) => r.name === 'web');
    expect(web).to.deep.include({ weight: 2, allocated: { cpus: 0.25, mem: 48 }, resources: { cpus: 0.25, mem: 48 }, offered: {}, frameworks: [scheduler.frameworkId] });
    const info = ((await operator({ type: 'GET_ROLES' })).json!.get_roles.roles as Json[]).find((r) => r.name === 'web');
    expect(info).to.deep.equal({
      name: 'web', weight: 2, frameworks: [{ value: scheduler.frameworkId }],
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.25 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 48 } }],
    });
  });

  it('UPDATE_WEIGHTS sets the named role only, and GET_WEIGHTS reports it', async () => {
    expect((await operator({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'batch', weight: 0.5 }] } })).status).to.equal(200);
    expect((await operator({ type: 'GET_WEIGHTS' })).json).to.deep.equal({ type: 'GET_WEIGHTS', get_weights: { weight_infos: [{ weight: 0.5, role: 'batch' }, { weight: 2, role: 'web' }] } });
    const bad = await operator({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'web', weight: -1 }] } });
    expect(bad).to.include({ status: 400, body: "Failed to validate update weights request JSON for role 'web': Invalid weight '-1': Weights must be positive" });
  });

  it("the agent answers /flags and /version as a Mesos agent does", async () => {
    const agentUrl = `http://127.0.0.1:${cluster.agents[0]!.port}`;
    const flags = (await (await fetch(`${agentUrl}/flags`)).json()) as { flags: Json };
    expect(flags.flags).to.include({ work_dir: cluster.agents[0]!.workDir });
    expect(await (await fetch(`${agentUrl}/version`)).json()).to.include({ version: '1.11.0' });
    expect(((await (await fetch(`${cluster.masterUrl}/master/flags`)).json()) as { flags: Json }).flags).to.include({ weights: 'web=2' });
  });

  it('POST /master/teardown frameworkId=… (dcos service shutdown) removes the framework and kills its task', async () => {
    const res = await post(`${cluster.masterUrl}/master/teardown`, `frameworkId=${encodeURIComponent(scheduler.frameworkId!)}`, { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res).to.include({ status: 200, body: '' });
    await eventually(async () => {
      const state = await cluster.state();
      const done = state.completed_frameworks.find((f) => f.id === scheduler.frameworkId) as unknown as { completed_tasks: Array<{ id: string; state: string }> } | undefined;
      return state.frameworks.length === 0 && done?.completed_tasks.some((t) => t.id === 'web-1' && t.state === 'TASK_KILLED');
    }, { message: 'framework not torn down with its task killed' });
    expect((await post(`${cluster.masterUrl}/master/teardown`, `frameworkId=${scheduler.frameworkId}`)).status).to.equal(400);
  });
});
