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

const idle: Containerizer = { launch: () => 99999999, recover: () => undefined, destroy: () => undefined, isAlive: () => false };

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

  it('POST /api/v1 (the agent operator API) is a 400 saying Tepui does not support it yet', async () => {
    const res = await fetch(`http://127.0.0.1:${agent.port}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"GET_HEALTH"}' });
    expect({ status: res.status, text: await res.text() }).to.deep.equal({ status: 400, text: 'Tepui does not support the agent operator API (/api/v1) yet' });
  });
});
