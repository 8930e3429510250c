// The operator API and the legacy endpoints against a master in-process, as Mesos 1.11 answers
// them: weights updated per role and reported everywhere, roles with their real resources, the
// logging level set for a while on the injected clock, and calls Tepui lacks refused with a 400.
import { expect } from 'chai';
import pino from 'pino';
import { ScriptedScheduler, operatorCall, startInProcess, until, type InProcessCluster } from '../testing/in-process';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('operator API (in-process master)', () => {
  let cluster: InProcessCluster;
  let url: string;
  const call = (body: object) => operatorCall(url, body);
  const get = async (path: string): Promise<Json> => (await (await fetch(`${url}${path}`)).json()) as Json;

  beforeEach(async () => {
    cluster = await startInProcess(['--weights=prod=2,dev=3']);
    url = cluster.master.url;
  });
  afterEach(() => cluster.stop());

  describe('weights', () => {
    it('UPDATE_WEIGHTS changes only the roles it names; GET_WEIGHTS, /weights, /roles and the allocator see the new map', async () => {
      const update = await call({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'dev', weight: 5 }, { role: 'new', weight: 0.5 }] } });
      expect(update).to.include({ status: 200, text: '' });
      const expected = [{ weight: 0.5, role: 'new' }, { weight: 2, role: 'prod' }, { weight: 5, role: 'dev' }].sort((a, b) => a.role.localeCompare(b.role));
      expect((await call({ type: 'GET_WEIGHTS' })).json).to.deep.equal({ type: 'GET_WEIGHTS', get_weights: { weight_infos: expected } });
      expect(await get('/weights')).to.deep.equal(expected);
      expect(await get('/master/weights')).to.deep.equal(expected);
      expect((await get('/master/roles')).roles.map((r: Json) => [r.name, r.weight])).to.deep.equal([['dev', 5], ['new', 0.5], ['prod', 2]]);
      const roles = (await call({ type: 'GET_ROLES' })).json!.get_roles.roles as Json[];
      expect(roles.map((r) => [r.name, r.weight])).to.deep.equal([['dev', 5], ['new', 0.5], ['prod', 2]]);
      const { allocator } = cluster.master.master;
      expect([allocator.weight('dev'), allocator.weight('prod'), allocator.weight('new')]).to.deep.equal([5, 2, 0.5]);
    });

    const refusals: Array<{ name: string; infos: Json[]; message: string }> = [
      { name: 'a zero weight', infos: [{ role: 'dev', weight: 0 }], message: "Failed to validate update weights request JSON for role 'dev': Invalid weight '0': Weights must be positive" },
      { name: 'a negative weight', infos: [{ role: 'dev', weight: -1.5 }], message: "Failed to validate update weights request JSON for role 'dev': Invalid weight '-1.5': Weights must be positive" },
      { name: 'no role', infos: [{ weight: 2 }], message: "Failed to validate update weights request JSON: Invalid role '': Role names cannot be the empty string" },
      { name: 'a role starting with a slash', infos: [{ role: '/a', weight: 2 }], message: "Failed to validate update weights request JSON: Invalid role '/a': Role '/a' cannot start with a slash" },
      { name: 'a role with a dot component', infos: [{ role: 'a/..', weight: 2 }], message: "Failed to validate update weights request JSON: Invalid role 'a/..': Role 'a/..' cannot include '..' as a component" },
      { name: 'a role with a space', infos: [{ role: 'a b', weight: 2 }], message: "Failed to validate update weights request JSON: Invalid role 'a b': Role component 'a b' is invalid because it contains backspace or whitespace" },
      { name: 'a good entry before a bad one (all or nothing)', infos: [{ role: 'dev', weight: 9 }, { role: 'x', weight: 0 }], message: "Failed to validate update weights request JSON for role 'x': Invalid weight '0': Weights must be positive" },
    ];
    for (const row of refusals) {
      it(`refuses ${row.name} with Mesos' 400 and changes nothing`, async () => {
        const res = await call({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: row.infos } });
        expect(res).to.include({ status: 400, text: row.message });
        expect(await get('/weights')).to.deep.equal([{ weight: 3, role: 'dev' }, { weight: 2, role: 'prod' }]);
      });
    }

    it('trims role names, as Mesos does', async () => {
      expect((await call({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: ' dev ', weight: 4 }] } })).status).to.equal(200);
      expect(await get('/weights')).to.deep.equal([{ weight: 4, role: 'dev' }, { weight: 2, role: 'prod' }]);
    });

    it('PUT /weights takes a JSON array of WeightInfo; bodies that are not one get its 400s', async () => {
      const put = async (body: string) => {
        const res = await fetch(`${url}/weights`, { method: 'PUT', body });
        return { status: res.status, text: await res.text() };
      };
      expect(await put(JSON.stringify([{ role: 'dev', weight: 7 }]))).to.deep.equal({ status: 200, text: '' });
      expect(await get('/weights')).to.deep.equal([{ weight: 7, role: 'dev' }, { weight: 2, role: 'prod' }]);
      expect(await put('{"role":"dev"}')).to.deep.equal({ status: 400, text: `Failed to parse update weights request JSON '{"role":"dev"}': Unexpected JSON type parsed` });
      expect(await put('[{"role":"dev"}]')).to.deep.equal({ status: 400, text: `Failed to convert weights JSON array to protobuf '[{"role":"dev"}]': Failed to convert JSON into WeightInfo protobuf: Missing required fields: weight_infos[0].weight` });
      expect((await put('[')).status).to.equal(400);
      expect((await fetch(`${url}/weights`, { method: 'DELETE' })).status).to.equal(405);
    });

    it('rescinds outstanding offers when an updated role has frameworks, so the new shares apply', async () => {
      const s = new ScriptedScheduler(url);
      await s.subscribe({ user: 'root', name: 'prod-fw', role: 'prod' });
      const offer = await until(() => s.find((e) => e.offers?.offers?.[0]), 'an offer');
      expect((await call({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'prod', weight: 4 }] } })).status).to.equal(200);
      const rescind = await until(() => s.find((e) => e.rescind), 'RESCIND');
      expect(rescind.offer_id).to.deep.equal(offer.id);
      s.disconnect();
    });
  });

  describe('roles', () => {
    const cpusMem = (cpus: number, mem: number) => ({ cpus, mem });

    it('/master/roles and GET_ROLES report what each role is offered and uses, with ancestors', async () => {
      const s = new ScriptedScheduler(url);
      await s.subscribe({ user: 'root', name: 'web-fw', roles: ['eng/web'], capabilities: [{ type: 'MULTI_ROLE' }] });
      const offer = await until(() => s.find((e) => e.offers?.offers?.[0]), 'an offer');
      const offered = (await get('/master/roles')).roles as Json[];
      const web = offered.find((r) => r.name === 'eng/web');
      expect(web).to.deep.equal({
        name: 'eng/web', weight: 1,
        quota: { role: 'eng/web', guarantee: {}, limit: {}, consumed: {} },
        resources: cpusMem(4, 4096), allocated: {}, offered: cpusMem(4, 4096), reserved: {}, frameworks: [s.frameworkId],
      });
      expect(offered.find((r) => r.name === 'eng')).to.deep.include({ resources: cpusMem(4, 4096), offered: cpusMem(4, 4096), frameworks: [] });

      await s.call({
        type: 'ACCEPT',
        accept: {
          offer_ids: [offer.id],
          operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't1' }, agent_id: offer.agent_id, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1.5 }, allocation_info: { role: 'eng/web' } }, { name: 'mem', type: 'SCALAR', scalar: { value: 128 }, allocation_info: { role: 'eng/web' } }], command: { value: 'sleep 100' } }] } }],
          filters: { refuse_seconds: 3600 },
        },
      });
      await until(() => cluster.agent.received.find((m) => m.type === 'RUN_TASK'), 'RUN_TASK');
      const used = ((await get('/roles')).roles as Json[]).find((r) => r.name === 'eng/web');
      expect(used).to.deep.include({ resources: cpusMem(1.5, 128), allocated: cpusMem(1.5, 128), offered: {} });
      expect(used!.quota.consumed).to.deep.equal(cpusMem(1.5, 128));
      const info = ((await call({ type: 'GET_ROLES' })).json!.get_roles.roles as Json[]).find((r) => r.name === 'eng/web');
      expect(info).to.deep.equal({
        name: 'eng/web', weight: 1, frameworks: [{ value: s.frameworkId }],
        resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1.5 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 128 } }],
      });
      s.disconnect();
    });
  });

  describe('logging level', () => {
    it('SET_LOGGING_LEVEL raises the verbosity for the duration, on the injected clock; GET_LOGGING_LEVEL and /logging/toggle report it', async () => {
      await cluster.stop();
      // A master whose logger starts at info (writing nowhere), to see pino's level move.
      cluster = await startInProcess([], pino({ level: 'info' }, { write: () => undefined }));
      const { clock, master } = cluster;
      url = master.url;
      expect((await call({ type: 'GET_LOGGING_LEVEL' })).json).to.deep.equal({ type: 'GET_LOGGING_LEVEL', get_logging_level: { level: 0 } });
      expect(await call({ type: 'SET_LOGGING_LEVEL', set_logging_level: { level: 2, duration: { nanoseconds: 10e9 } } })).to.include({ status: 200, text: '' });
      expect((await call({ type: 'GET_LOGGING_LEVEL' })).json!.get_logging_level.level).to.equal(2);
      expect(master.master.log.level).to.equal('trace');
      expect(await (await fetch(`${url}/logging/toggle`)).text()).to.equal('2\n');
      clock.advance(9_999);
      expect(master.master.log.level).to.equal('trace');
      clock.advance(1);
      expect(master.master.log.level).to.equal('info');
      expect((await call({ type: 'GET_LOGGING_LEVEL' })).json!.get_logging_level.level).to.equal(0);

      const toggle = async (query: string) => {
        const res = await fetch(`${url}/logging/toggle${query}`);
        return { status: res.status, text: await res.text() };
      };
      expect(await toggle('?level=1&duration=1mins')).to.deep.equal({ status: 200, text: '' });
      expect(master.master.log.level).to.equal('debug');
      clock.advance(60_000);
      expect(master.master.log.level).to.equal('info');
      expect(await toggle('?level=1')).to.deep.equal({ status: 400, text: "Expecting 'duration=value' in query.\n" });
      expect(await toggle('?duration=1secs')).to.deep.equal({ status: 400, text: "Expecting 'level=value' in query.\n" });
      expect(await toggle('?level=x&duration=1secs')).to.deep.equal({ status: 400, text: "Failed to convert 'x' to number.\n" });
      expect(await toggle('?level=-1&duration=1secs')).to.deep.equal({ status: 400, text: "Invalid level '-1'.\n" });
      expect(await toggle('?level=1&duration=soon')).to.deep.equal({ status: 400, text: "Invalid duration 'soon'.\n" });
      expect((await call({ type: 'SET_LOGGING_LEVEL', set_logging_level: { level: 1 } })).text).to.equal('Failed to convert JSON into Call protobuf: Missing required fields: set_logging_level.duration');
    });
  });

  describe('other calls', () => {
    it('TEARDOWN answers 200 and removes the framework; an unknown id is Mesos\' 400', async () => {
      const s = new ScriptedScheduler(url);
      await s.subscribe({ user: 'root', name: 'doomed' });
      await until(() => s.frameworkId, 'SUBSCRIBED');
      expect(await call({ type: 'TEARDOWN', teardown: { framework_id: { value: 'nope' } } })).to.include({ status: 400, text: 'No framework found with specified ID' });
      expect(await call({ type: 'TEARDOWN', teardown: { framework_id: { value: s.frameworkId } } })).to.include({ status: 200, text: '' });
      expect(cluster.master.master.frameworks.has(s.frameworkId!)).to.equal(false);
    });

    it('calls Tepui cannot carry out are a 400 naming them; reads of features it lacks answer empty', async () => {
      expect(await call({ type: 'UPDATE_QUOTA', update_quota: { quota_configs: [] } })).to.include({ status: 400, text: "Tepui does not support the operator call 'UPDATE_QUOTA' yet" });
      expect(await call({ type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: cluster.agent.agentId } } })).to.include({ status: 400, text: "Tepui does not support the operator call 'DRAIN_AGENT' yet" });
      expect(await call({ type: 'UPDATE_QUOTA' })).to.include({ status: 400, text: "Failed to validate master::Call: Expecting 'update_quota' to be present" });
      expect(await call({ type: 'GET_METRICS' })).to.include({ status: 400, text: "Failed to validate master::Call: Expecting 'get_metrics' to be present" });
      expect((await call({ type: 'GET_OPERATIONS' })).json).to.deep.equal({ type: 'GET_OPERATIONS', get_operations: {} });
      expect((await call({ type: 'GET_QUOTA' })).json).to.deep.equal({ type: 'GET_QUOTA', get_quota: { status: {} } });
      expect((await call({ type: 'GET_MAINTENANCE_STATUS' })).json).to.deep.equal({ type: 'GET_MAINTENANCE_STATUS', get_maintenance_status: { status: {} } });
    });

    it('DEACTIVATE_AGENT / REACTIVATE_AGENT answer 200, and Mesos\' 400s for an unknown or active agent', async () => {
      const agentId = cluster.agent.agentId;
      expect(await call({ type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: agentId } } })).to.include({ status: 400, text: 'Agent is not deactivated' });
      expect(await call({ type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: 'nope' } } })).to.include({ status: 400, text: 'Unknown agent' });
      expect(await call({ type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: agentId } } })).to.include({ status: 200, text: '' });
      expect(cluster.master.master.agents.get(agentId!)!.active).to.equal(false);
      expect(await call({ type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: agentId } } })).to.include({ status: 200, text: '' });
      expect(cluster.master.master.agents.get(agentId!)!.active).to.equal(true);
    });
  });
});
