// The routes clients call besides the v1 APIs, with Mesos' paths and answers: the /master
// prefixed API paths, /master/teardown (what `dcos service shutdown` posts), /flags, /version and
// the /state aliases.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { hostileBodies } from '@tepui/protocol';
import { ScriptedAgent, ScriptedScheduler, startInProcess, until, type InProcessCluster } from '../testing/in-process';

describe('master endpoints (in-process)', () => {
  let cluster: InProcessCluster;
  let url: string;
  beforeEach(async () => {
    cluster = await startInProcess(['--cluster=tepui-test']);
    url = cluster.master.url;
  });
  afterEach(() => cluster.stop());

  const form = async (path: string, body: string, method = 'POST') => {
    const res = await fetch(`${url}${path}`, { method, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, ...(method === 'GET' ? {} : { body }) });
    return { status: res.status, text: await res.text(), allow: res.headers.get('allow') };
  };

  for (const path of ['/master/teardown', '/teardown']) {
    it(`POST ${path} frameworkId=… tears the framework down (200), with Mesos' 400s and 405`, async () => {
      const s = new ScriptedScheduler(url);
      await s.subscribe({ user: 'root', name: 'shut-me-down' });
      await until(() => s.frameworkId, 'SUBSCRIBED');
      expect(await form(path, 'frameworkId=nope')).to.include({ status: 400, text: 'No framework found with specified ID' });
      expect(await form(path, 'id=x')).to.include({ status: 400, text: "Missing 'frameworkId' query parameter in the request body" });
      expect(await form(path, 'frameworkId=a%zz')).to.include({ status: 400, text: "Unable to decode query string: Malformed % escape in 'a%zz': '%zz'" });
      expect(await form(path, '', 'GET')).to.include({ status: 405, allow: 'POST' });
      expect(await form(path, `other=1&frameworkId=${encodeURIComponent(s.frameworkId!)}`)).to.include({ status: 200, text: '' });
      expect(cluster.master.master.frameworks.has(s.frameworkId!)).to.equal(false);
      expect(cluster.master.master.completedFrameworks.map((f) => f.id)).to.include(s.frameworkId);
      s.disconnect();
    });
  }

  it('POST /master/teardown survives every hostile body with a 4xx', async () => {
    const failures: string[] = [];
    for (const { name, body } of hostileBodies({ frameworkId: 'x' })) {
      const res = await fetch(`${url}/master/teardown`, { method: 'POST', body });
      if (res.status >= 500 || res.status < 400) failures.push(`${name}: ${res.status} ${await res.text()}`);
      else await res.text();
    }
    expect(failures).to.deep.equal([]);
  });

  it('/master/api/v1/scheduler and /master/api/v1 are the v1 APIs', async () => {
    const s = new ScriptedScheduler(url);
    await s.subscribe({ user: 'root', name: 'prefixed' });
    await until(() => s.frameworkId, 'SUBSCRIBED');
    expect(await s.call({ type: 'REVIVE' }, '/master/api/v1/scheduler')).to.equal(202);
    const res = await fetch(`${url}/master/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"GET_HEALTH"}' });
    expect(await res.json()).to.deep.equal({ type: 'GET_HEALTH', get_health: { healthy: true } });
    s.disconnect();
  });

  it('/metrics/snapshot sums the agents’ scalars, exact to a thousandth, and what tasks use of them', async () => {
    const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value }, role: '*' });
    const small = [new ScriptedAgent(), new ScriptedAgent()];
    await small[0]!.connect(url, 'slave(1)@127.0.0.1:15061', [scalar('cpus', 0.1), scalar('mem', 10), { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31009 }] }, role: '*' }]);
    await small[1]!.connect(url, 'slave(1)@127.0.0.1:15062', [scalar('cpus', 0.2), scalar('mem', 20.5), { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31005, end: 31020 }] }, role: '*' }]);
    const s = new ScriptedScheduler(url);
    await s.subscribe({ user: 'root', name: 'metrics' });
    const offer = await until(() => s.find((e) => e.offers?.offers?.find((o) => o.agent_id.value === cluster.agent.agentId)), 'an offer of the 4-cpu agent');
    expect(await s.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [
      { name: 't', task_id: { value: 't' }, agent_id: offer.agent_id, resources: [scalar('cpus', 0.3), scalar('mem', 100)], command: { value: 'sleep 60' } },
    ] } }] } })).to.equal(202);
    await until(() => cluster.agent.received.find((m) => m.type === 'RUN_TASK'), 'RUN_TASK');
    const snapshot = (await (await fetch(`${url}/metrics/snapshot`)).json()) as Record<string, number>;
    expect(snapshot).to.include({
      'master/cpus_total': 4.3, 'master/mem_total': 4126.5, 'master/disk_total': 0, 'master/gpus_total': 0,
      'master/cpus_used': 0.3, 'master/mem_used': 100, 'master/slaves_active': 3, 'master/frameworks_active': 1,
    });
    expect(snapshot['master/cpus_percent']).to.be.closeTo(0.3 / 4.3, 1e-9);
    expect(snapshot['system/cpus_total']).to.be.greaterThan(0);
    for (const a of small) a.close();
    s.disconnect();
  });

  it('listens with the kernel’s largest accept backlog, so a fleet of agents reconnecting at once is not dropped', () => {
    // For a listening socket `ss` shows the backlog as Send-Q; the kernel caps it at net.core.somaxconn.
    const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    const listening = execFileSync('ss', ['-Hltn', `sport = :${cluster.master.port}`], { encoding: 'utf8' }).trim().split(/\s+/);
    expect(Number(listening[2]), `ss: ${listening.join(' ')}`).to.equal(somaxconn);
  });

  it('/flags and /master/flags answer {"flags": {...}}, /version and /master/version the version', async () => {
    for (const path of ['/flags', '/master/flags']) {
      const body = (await (await fetch(`${url}${path}`)).json()) as { flags: Record<string, string> };
      expect(body.flags).to.include({ allocation_interval: '1secs', cluster: 'tepui-test', port: '0' });
    }
    for (const path of ['/version', '/master/version']) {
      expect(await (await fetch(`${url}${path}`)).json()).to.include({ version: '1.11.0', build_user: 'tepui' });
    }
  });

  it('/state, /master/state and their pre-1.0 .json names all answer the state', async () => {
    for (const path of ['/state', '/master/state', '/state.json', '/master/state.json']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).to.equal(200);
      expect(((await res.json()) as { cluster: string }).cluster).to.equal('tepui-test');
    }
  });

  it('legacy endpoints of features Tepui lacks answer a 400 naming them, not a 404', async () => {
    for (const path of ['/master/quota', '/quota', '/master/reserve', '/master/maintenance/schedule', '/master/machine/down']) {
      const res = await fetch(`${url}${path}`, { method: 'POST', body: '{}' });
      expect({ status: res.status, text: await res.text() }, path).to.deep.equal({ status: 400, text: `Tepui does not support /master${path.replace(/^\/master/, '')} yet` });
    }
    expect((await fetch(`${url}/master/no-such-thing`)).status).to.equal(404);
  });
});
