// The agent's /flags and /version, as a Mesos agent serves them (Slave::Http::flags and the
// libprocess version process).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pino from 'pino';
import { loadAgentConfig } from '../config';
import { startAgent, type RunningAgent } from '../agent';
import type { Containerizer } from '../containerizer/containerizer';

const idle: Containerizer = { launch: () => Promise.resolve(99999999), recover: () => undefined, destroy: () => undefined, isAlive: () => false };

describe('agent endpoints', () => {
  let dir: string;
  let agent: RunningAgent;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tepui-agent-endpoints-'));
    agent = await startAgent(loadAgentConfig(['--port=0', `--work_dir=${dir}`, '--master=127.0.0.1:1', '--resources=cpus:1;mem:128']), { log: pino({ level: 'silent' }), containerizer: idle });
  });
  after(async () => {
    await agent.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/flags and /slave(1)/flags answer {"flags": {...}}', async () => {
    for (const path of ['/flags', '/slave(1)/flags']) {
      const res = await fetch(`http://127.0.0.1:${agent.port}${path}`);
      expect(res.status, path).to.equal(200);
      expect(((await res.json()) as { flags: Record<string, string> }).flags).to.include({ resources: 'cpus:1;mem:128', work_dir: dir });
    }
  });

  it('/version answers the version the master reports', async () => {
    const res = await fetch(`http://127.0.0.1:${agent.port}/version`);
    expect(await res.json()).to.include({ version: '1.11.0', build_user: 'tepui', tepui_version: '0.1.0' });
  });

  it('POST /api/v1: a call other than LIST_FILES/READ_FILE/GET_CONTAINERS is a 400 naming it as unsupported', async () => {
    for (const path of ['/api/v1', '/slave(1)/api/v1']) {
      const res = await fetch(`http://127.0.0.1:${agent.port}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"GET_STATE"}' });
      expect({ status: res.status, text: await res.text() }).to.deep.equal({ status: 400, text: "Tepui's agent does not support the operator call 'GET_STATE' yet" });
    }
  });

  it('with no executors: /monitor/statistics is an empty array on every path, GET_CONTAINERS lists none', async () => {
    const base = `http://127.0.0.1:${agent.port}`;
    for (const path of ['/monitor/statistics', '/monitor/statistics.json', '/slave(1)/monitor/statistics', '/slave(1)/monitor/statistics.json']) {
      const res = await fetch(`${base}${path}`);
      expect({ path, status: res.status, type: res.headers.get('content-type'), body: await res.text() }).to.deep.equal({ path, status: 200, type: 'application/json', body: '[]' });
    }
    const jsonp = await fetch(`${base}/monitor/statistics?jsonp=show`);
    expect({ type: jsonp.headers.get('content-type'), body: await jsonp.text() }).to.deep.equal({ type: 'text/javascript', body: 'show([]);' });
    const res = await fetch(`${base}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"GET_CONTAINERS"}' });
    expect({ status: res.status, body: await res.json() }).to.deep.equal({ status: 200, body: { type: 'GET_CONTAINERS', get_containers: {} } });
  });

  it('POST /api/v1 LIST_FILES/READ_FILE of an unattached path are 404s; GET is a 405', async () => {
    const call = (body: unknown) => fetch(`http://127.0.0.1:${agent.port}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
    expect((await call({ type: 'LIST_FILES', list_files: { path: '/etc' } })).status).to.equal(404);
    expect((await call({ type: 'READ_FILE', read_file: { path: '/etc/passwd', offset: 0 } })).status).to.equal(404);
    expect((await fetch(`http://127.0.0.1:${agent.port}/api/v1`)).status).to.equal(405);
  });

  it('/files/* answer: debug lists nothing attached yet, read of /etc/passwd is a 404, a missing path a 400', async () => {
    const base = `http://127.0.0.1:${agent.port}`;
    expect(await (await fetch(`${base}/files/debug`)).json()).to.deep.equal({});
    expect((await fetch(`${base}/slave(1)/files/debug`)).status).to.equal(200);
    const read = await fetch(`${base}/files/read?path=/etc/passwd&offset=0`);
    expect({ status: read.status, text: await read.text() }).to.deep.equal({ status: 404, text: '' });
    const noPath = await fetch(`${base}/files/browse`);
    expect({ status: noPath.status, text: await noPath.text() }).to.deep.equal({ status: 400, text: "Expecting 'path=value' in query.\n" });
  });
});
