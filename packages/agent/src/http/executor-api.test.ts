// The agent's executor API through its real HTTP server (port 0), with a containerizer that
// starts nothing: the test plays the executor.
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pino from 'pino';
import { MAX_REQUEST_BODY_BYTES, RecordIODecoder, hostileBodies, newStatusUuid, until, type ExecutorEvent } from '@tepui/protocol';
import { loadAgentConfig } from '../config';
import { startAgent, type RunningAgent } from '../agent';
import type { Containerizer } from '../containerizer/containerizer';

const idle: Containerizer = { launch: () => Promise.resolve(99999999), recover: () => undefined, destroy: () => undefined, isAlive: () => false };

/** Opens an executor's SUBSCRIBE stream; its events arrive in `events`. */
function subscribeStream(port: number, body: object): { events: ExecutorEvent[]; status: () => number | undefined; close: () => void } {
  const events: ExecutorEvent[] = [];
  let status: number | undefined;
  const req = request(`http://127.0.0.1:${port}/api/v1/executor`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
    status = res.statusCode;
    const decoder = new RecordIODecoder();
    res.on('data', (c: Buffer) => decoder.push(c).forEach((r) => events.push(JSON.parse(r.toString()) as ExecutorEvent)));
  });
  req.on('error', () => undefined); // closed by the test
  req.end(JSON.stringify(body));
  return { events, status: () => status, close: () => req.destroy() };
}

async function post(port: number, body: string | Buffer, contentType = 'application/json'): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/executor`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  return { status: res.status, body: await res.text() };
}

describe('agent executor API', () => {
  let dir: string;
  let agent: RunningAgent;
  const ids = { executor_id: { value: 't1' }, framework_id: { value: 'fw-1' } };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tepui-exapi-'));
    const config = loadAgentConfig(['--port=0', `--work_dir=${dir}`, '--master=127.0.0.1:1', '--resources=cpus:1;mem:128']);
    agent = await startAgent(config, { log: pino({ level: 'silent' }), containerizer: idle });
    agent.core.identity.agentId = 'A-S0';
    agent.core.handleMasterMessage({
      type: 'RUN_TASK',
      framework_info: { user: 'root', name: 'fw', id: { value: 'fw-1' }, checkpoint: true },
      task: { name: 't', task_id: { value: 't1' }, agent_id: { value: 'A-S0' }, command: { value: 'sleep 1' } },
    });
  });

  /** Sends every hostile variant of each call; lists the answers that are a 5xx, or a 4xx without a message. */
  async function fiveHundreds(calls: readonly object[]): Promise<string[]> {
    const failures: string[] = [];
    for (const call of calls) {
      for (const { name, body } of hostileBodies(call)) {
        const res = await post(agent.port, body);
        if (res.status >= 500 || (res.status >= 400 && res.body.length === 0)) failures.push(`${name}: ${res.status} ${res.body.slice(0, 200)}`);
      }
    }
    return failures;
  }

  after(async () => {
    await agent.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows: Array<{ name: string; body: string; type?: string; status: number; message: RegExp }> = [
    { name: 'a charset suffix on Content-Type', body: '{}', type: 'application/json; charset=utf-8', status: 415, message: /Content-Type/ },
    { name: 'malformed JSON', body: '{', status: 400, message: /Failed to parse body into JSON/ },
    { name: 'a call without executor_id', body: JSON.stringify({ type: 'HEARTBEAT', framework_id: { value: 'fw-1' } }), status: 400, message: /Missing required fields: executor_id/ },
    { name: 'an unknown call type', body: JSON.stringify({ ...ids, type: 'DANCE' }), status: 400, message: /Expecting 'type' to be present/ },
    { name: 'an unknown executor', body: JSON.stringify({ ...ids, executor_id: { value: 'nope' }, type: 'SUBSCRIBE' }), status: 400, message: /cannot be found/ },
    { name: 'an UPDATE before SUBSCRIBE', body: JSON.stringify({ ...ids, type: 'UPDATE', update: { status: { task_id: { value: 't1' }, state: 'TASK_RUNNING', uuid: newStatusUuid() } } }), status: 403, message: /not subscribed/ },
  ];
  for (const row of rows) {
    it(`answers ${row.status} to ${row.name}`, async () => {
      const res = await post(agent.port, row.body, row.type);
      expect(res.status).to.equal(row.status);
      expect(res.body).to.match(row.message);
    });
  }

  it('answers every hostile body with a 4xx (or its normal answer), never a 5xx, and keeps serving', async () => {
    const calls = [
      { ...ids, type: 'HEARTBEAT' },
      { ...ids, type: 'MESSAGE', message: { data: 'aGk=' } },
      { ...ids, type: 'UPDATE', update: { status: { task_id: { value: 't1' }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: newStatusUuid(), timestamp: 1, healthy: true, labels: { labels: [{ key: 'k', value: 'v' }] } } } },
    ];
    expect(await fiveHundreds(calls)).to.deep.equal([]);
    expect((await fetch(`http://127.0.0.1:${agent.port}/health`)).status).to.equal(200);
  });

  it('answers an oversized body 413, as the master does', async () => {
    const res = await post(agent.port, Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, 0x20));
    expect(res.status).to.equal(413);
    expect(res.body).to.equal(`Request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes`);
  });

  it('answers 202 to HEARTBEAT and 405 to GET', async () => {
    expect((await post(agent.port, JSON.stringify({ ...ids, type: 'HEARTBEAT' }))).status).to.equal(202);
    expect((await fetch(`http://127.0.0.1:${agent.port}/api/v1/executor`)).status).to.equal(405);
  });

  it('streams SUBSCRIBED and LAUNCH, validates UPDATEs and acknowledges them', async () => {
    const stream = subscribeStream(agent.port, { ...ids, type: 'SUBSCRIBE', subscribe: {} });
    const waitFor = (pred: (e: ExecutorEvent) => boolean) => until(() => stream.events.find(pred), 'an event');
    const subscribed = await waitFor((e) => e.type === 'SUBSCRIBED');
    expect(stream.status()).to.equal(200);
    expect(subscribed.subscribed?.framework_info.id?.value).to.equal('fw-1');
    expect(subscribed.subscribed?.agent_info.id?.value).to.equal('A-S0');
    const launch = await waitFor((e) => e.type === 'LAUNCH');
    expect(launch.launch?.task.task_id.value).to.equal('t1');

    const short = await post(agent.port, JSON.stringify({ ...ids, type: 'UPDATE', update: { status: { task_id: { value: 't1' }, state: 'TASK_RUNNING', uuid: 'AAAA' } } }));
    expect(short.status).to.equal(400);
    expect(short.body).to.match(/16-byte UUID/);
    const staging = await post(agent.port, JSON.stringify({ ...ids, type: 'UPDATE', update: { status: { task_id: { value: 't1' }, state: 'TASK_STAGING', uuid: newStatusUuid() } } }));
    expect(staging.status).to.equal(400);

    const uuid = newStatusUuid();
    const ok = await post(agent.port, JSON.stringify({ ...ids, type: 'UPDATE', update: { status: { task_id: { value: 't1' }, state: 'TASK_RUNNING', uuid, source: 'SOURCE_EXECUTOR' } } }));
    expect(ok.status).to.equal(202);
    const acked = await waitFor((e) => e.type === 'ACKNOWLEDGED');
    expect(acked.acknowledged).to.deep.equal({ task_id: { value: 't1' }, uuid });
    const state = (await (await fetch(`http://127.0.0.1:${agent.port}/state`)).json()) as { frameworks: Array<{ executors: Array<{ tasks: Array<{ id: string; state: string }> }> }> };
    expect(state.frameworks[0]!.executors[0]!.tasks).to.deep.include({ ...state.frameworks[0]!.executors[0]!.tasks[0], id: 't1', state: 'TASK_RUNNING' });
    stream.close();
  });

  it('drops a launched task a re-subscribing executor does not list (TASK_LOST, "Task launched during agent restart") and keeps, without relaunching, one it lists', async () => {
    const framework_info = { user: 'root', name: 'fw', id: { value: 'fw-1' }, checkpoint: true };
    // The executor gets its LAUNCH, then the stream goes away before the executor sends any update.
    const launchedTo = async (id: string): Promise<void> => {
      agent.core.handleMasterMessage({ type: 'RUN_TASK', framework_info, task: { name: id, task_id: { value: id }, agent_id: { value: 'A-S0' }, command: { value: 'sleep 1' } } });
      const stream = subscribeStream(agent.port, { executor_id: { value: id }, framework_id: { value: 'fw-1' }, type: 'SUBSCRIBE', subscribe: {} });
      await until(() => stream.events.find((e) => e.type === 'LAUNCH'), `the LAUNCH of ${id}`);
      stream.close();
      await until(() => !agent.core.findRun('fw-1', id)!.connection, `the executor of ${id} disconnected`);
    };
    const taskState = async (id: string): Promise<string | undefined> => {
      const state = (await (await fetch(`http://127.0.0.1:${agent.port}/state`)).json()) as { frameworks: Array<{ executors: Array<{ tasks: Array<{ id: string; state: string }> }> }> };
      return state.frameworks.flatMap((f) => f.executors).flatMap((e) => e.tasks).find((t) => t.id === id)?.state;
    };
    await launchedTo('lost.1');
    await launchedTo('kept.1');
    const kept = agent.core.findRun('fw-1', 'kept.1')!.tasks.get('kept.1')!.info;

    const lost = subscribeStream(agent.port, { executor_id: { value: 'lost.1' }, framework_id: { value: 'fw-1' }, type: 'SUBSCRIBE', subscribe: { unacknowledged_tasks: [], unacknowledged_updates: [] } });
    const again = subscribeStream(agent.port, { executor_id: { value: 'kept.1' }, framework_id: { value: 'fw-1' }, type: 'SUBSCRIBE', subscribe: { unacknowledged_tasks: [kept] } });
    await until(() => lost.events.some((e) => e.type === 'SUBSCRIBED') && again.events.some((e) => e.type === 'SUBSCRIBED'), 'both executors subscribed again');
    expect(await taskState('lost.1')).to.equal('TASK_LOST');
    expect(agent.core.findRun('fw-1', 'lost.1')!.tasks.get('lost.1')!.latestStatus).to.include({
      state: 'TASK_LOST', source: 'SOURCE_AGENT', reason: 'REASON_AGENT_RESTARTED', message: 'Task launched during agent restart',
    });
    expect(await taskState('kept.1')).to.equal('TASK_STAGING');
    expect(again.events.map((e) => e.type)).to.not.include('LAUNCH');
    lost.close();
    again.close();
  });

  it('answers every hostile UPDATE and MESSAGE of a subscribed executor with a 4xx or 202, never a 5xx', async () => {
    const stream = subscribeStream(agent.port, { ...ids, type: 'SUBSCRIBE', subscribe: {} });
    const run = agent.core.findRun('fw-1', 't1')!;
    await until(() => run.connection, 'the executor subscribed');
    const calls = [
      { ...ids, type: 'UPDATE', update: { status: { task_id: { value: 't1' }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: newStatusUuid(), timestamp: 1, healthy: true, message: 'm', reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', labels: { labels: [{ key: 'k', value: 'v' }] }, container_status: { network_infos: [{ ip_addresses: [{ ip_address: '10.0.0.1' }] }] } } } },
      { ...ids, type: 'MESSAGE', message: { data: 'aGk=' } },
    ];
    expect(await fiveHundreds(calls)).to.deep.equal([]);
    expect((await fetch(`http://127.0.0.1:${agent.port}/state`)).status).to.equal(200);
    stream.close();
  });
});
