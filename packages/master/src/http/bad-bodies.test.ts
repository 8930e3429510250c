// Every body-taking endpoint of the master against the shared hostile bodies: each answer is a
// 4xx (or, where stout's rules make the body valid, the normal answer), never a 5xx, and the
// master keeps serving with its books unchanged.
import { request } from 'node:http';
import { expect } from 'chai';
import { MAX_REQUEST_BODY_BYTES, hostileBodies, newStatusUuid, type HostileBody } from '@tepui/protocol';
import { ScriptedScheduler, startInProcess, until, type InProcessCluster } from '../testing/in-process';

/** POSTs and reads the status; a SUBSCRIBE that succeeds is a stream, so the body is not awaited. */
function statusOf(url: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      if (res.statusCode === 200 && res.headers['transfer-encoding'] === 'chunked') {
        resolve({ status: 200, text: '' });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('master HTTP APIs under hostile bodies (in-process)', function () {
  this.timeout(120_000);
  let cluster: InProcessCluster;
  let s: ScriptedScheduler;

  before(async () => {
    cluster = await startInProcess();
    s = new ScriptedScheduler(cluster.master.url);
    await s.subscribe({ user: 'root', name: 'fuzzed', capabilities: [{ type: 'MULTI_ROLE' }], roles: ['fuzz'] });
    await until(() => s.frameworkId, 'SUBSCRIBED');
  });
  after(async () => {
    s.disconnect();
    await cluster.stop();
  });

  const books = () => {
    const m = cluster.master.master;
    return { frameworks: [...m.frameworks.keys()], agents: [...m.agents.keys()], tasks: [...m.frameworks.values()].map((f) => f.tasks.size) };
  };

  async function expectNo5xx(path: string, bodies: readonly HostileBody[], headers: () => Record<string, string> = () => ({})): Promise<void> {
    const before = books();
    const failures: string[] = [];
    for (const { name, body } of bodies) {
      const res = await statusOf(`${cluster.master.url}${path}`, body, headers());
      if (res.status >= 500) failures.push(`${name}: ${res.status} ${res.text.slice(0, 200)}`);
      if (res.status >= 400 && res.text.length === 0) failures.push(`${name}: ${res.status} without a message`);
    }
    expect(failures).to.deep.equal([]);
    expect((await fetch(`${cluster.master.url}/health`)).status).to.equal(200);
    expect(books()).to.deep.equal(before);
  }

  const fw = () => ({ value: s.frameworkId });
  const schedulerCalls = () => [
    { type: 'RECONCILE', framework_id: fw(), reconcile: { tasks: [{ task_id: { value: 'nope' }, agent_id: { value: 'nope' } }] } },
    { type: 'DECLINE', framework_id: fw(), decline: { offer_ids: [{ value: 'nope' }], filters: { refuse_seconds: 1 } } },
    { type: 'KILL', framework_id: fw(), kill: { task_id: { value: 'nope' }, agent_id: { value: 'nope' }, kill_policy: { grace_period: { nanoseconds: 1 } } } },
    { type: 'ACKNOWLEDGE', framework_id: fw(), acknowledge: { agent_id: { value: 'nope' }, task_id: { value: 'nope' }, uuid: newStatusUuid() } },
    { type: 'REVIVE', framework_id: fw(), revive: { roles: ['fuzz'] } },
    { type: 'ACCEPT', framework_id: fw(), accept: { offer_ids: [{ value: 'nope' }], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't' }, agent_id: { value: 'a' }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }], command: { value: 'true', shell: true } }] } }], filters: { refuse_seconds: 1 } } },
  ];

  it('POST /api/v1/scheduler: calls of a subscribed framework', async () => {
    for (const call of schedulerCalls()) await expectNo5xx('/api/v1/scheduler', hostileBodies(call), () => ({ 'Mesos-Stream-Id': s.streamId! }));
  });

  it('POST /api/v1/scheduler: SUBSCRIBE', async () => {
    const subscribe = { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', failover_timeout: 0, capabilities: [{ type: 'MULTI_ROLE' }], roles: ['r'], labels: { labels: [{ key: 'k', value: 'v' }] } } } };
    const before = cluster.master.master.frameworks.size;
    const bodies = hostileBodies(subscribe);
    for (const { name, body } of bodies) {
      const res = await statusOf(`${cluster.master.url}/api/v1/scheduler`, body, {});
      expect(res.status, `${name}: ${res.text}`).to.be.below(500);
    }
    // The mutations that were still valid subscribed, and went away again after their failover
    // timeout (0, or 7 s where a mutation put a 7 there).
    await until(() => [...cluster.master.master.frameworks.values()].every((f) => f.id === s.frameworkId || !f.connected), 'streams closed');
    cluster.clock.advance(7_000);
    expect(cluster.master.master.frameworks.size).to.equal(before);
  });

  it('POST /api/v1: operator calls', async () => {
    const calls = [
      { type: 'GET_STATE' },
      { type: 'GET_METRICS', get_metrics: { timeout: { nanoseconds: 1000 } } },
      { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'fuzz', weight: 2 }] } },
      { type: 'TEARDOWN', teardown: { framework_id: { value: 'nope' } } },
      { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: 'nope' } } },
      { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: 'nope' } } },
      { type: 'SET_LOGGING_LEVEL', set_logging_level: { level: 0, duration: { nanoseconds: 1000 } } },
    ];
    for (const call of calls) await expectNo5xx('/api/v1', hostileBodies(call));
  });

  it('answers an oversized body 413 on every body endpoint, as the agent does', async () => {
    for (const path of ['/api/v1/scheduler', '/api/v1']) {
      const res = await statusOf(`${cluster.master.url}${path}`, Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, 0x20), {});
      expect(res.status, path).to.equal(413);
      expect(res.text).to.equal(`Request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes`);
    }
  });

  it('POST /api/v1/scheduler: every mutation of a rich LAUNCH on a real offer, and the state endpoints still render', async () => {
    const tiny = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value }, allocation_info: { role: 'fuzz' } });
    let n = 0;
    const richLaunch = (agentId: { value: string }) => ({
      type: 'LAUNCH',
      launch: { task_infos: [{
        name: 't', task_id: { value: `rich-${n++}` }, agent_id: agentId,
        resources: [tiny('cpus', 0.01), tiny('mem', 1)],
        command: { value: 'sleep 1', shell: false, arguments: ['sleep', '1'], environment: { variables: [{ name: 'A', value: 'b' }] }, uris: [{ value: 'http://x/y' }] },
        container: { type: 'DOCKER', docker: { image: 'busybox', network: 'BRIDGE', port_mappings: [{ host_port: 31000, container_port: 80 }], parameters: [{ key: 'k', value: 'v' }] } },
        health_check: { type: 'HTTP', http: { port: 80, path: '/' }, interval_seconds: 5 },
        kill_policy: { grace_period: { nanoseconds: 1 } },
        labels: { labels: [{ key: 'k', value: 'v' }] },
        discovery: { visibility: 'FRAMEWORK', name: 'd', ports: { ports: [{ number: 80, name: 'http' }] } },
        limits: { cpus: { value: 'Infinity' } },
      }] },
    });
    const template = richLaunch({ value: cluster.agent.agentId! });
    const failures: string[] = [];
    for (const { name, body } of hostileBodies({ type: 'ACCEPT', framework_id: fw(), accept: { offer_ids: [{ value: 'OFFER' }], operations: [template], filters: { refuse_seconds: 0 } } })) {
      // A mutation may have left a refuse filter (refuse_seconds 7, or the default 5): time passes until it is gone.
      const offer = await until(() => cluster.master.master.offers.ofFramework(s.frameworkId!)[0] ?? cluster.clock.advance(1_000), 'an offer');
      const text = typeof body === 'string' ? body.replace('"OFFER"', JSON.stringify(offer.id)).replace(/"rich-\d+"/, JSON.stringify(`rich-${n++}`)) : body;
      const res = await statusOf(`${cluster.master.url}/api/v1/scheduler`, text, { 'Mesos-Stream-Id': s.streamId! });
      if (res.status >= 500) failures.push(`${name}: ${res.status} ${res.text}`);
    }
    expect(failures).to.deep.equal([]);
    for (const path of ['/master/state', '/master/tasks', '/master/roles', '/master/frameworks']) {
      expect((await fetch(`${cluster.master.url}${path}`)).status, path).to.equal(200);
    }
    for (const type of ['GET_STATE', 'GET_TASKS', 'GET_ROLES', 'GET_FRAMEWORKS']) {
      const res = await statusOf(`${cluster.master.url}/api/v1`, JSON.stringify({ type }), {});
      expect(res.status, type).to.equal(200);
    }
    expect(cluster.master.master.frameworks.get(s.frameworkId!)!.tasks.size).to.be.above(10);
  });
});
