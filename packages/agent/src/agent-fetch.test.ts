// The agent core around the fetcher (a controllable fake): a container starts only after its
// URIs are in; a failed fetch fails its tasks with REASON_CONTAINER_LAUNCH_FAILED and ends the
// executor; task groups and Docker tasks wait for their own URIs; a kill during a fetch wins.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentToMasterMessage, type ExecutorEvent, type ExecutorInfo, type FrameworkInfo, type TaskInfo, type TaskStatus } from '@tepui/protocol';
import type { AgentCore } from './agent-core';
import { testAgentCore } from './testing/core-fixture';
import { CheckpointStore } from './checkpoint/checkpoint-store';
import type { Containerizer, LaunchSpec } from './containerizer/containerizer';
import type { ExecutorConnection } from './executors/executor-run';
import { FetchFailure, type FetchRequest, type SandboxFetcher } from './fetcher/fetcher';

class ControlledFetcher implements SandboxFetcher {
  readonly pending: Array<{ request: FetchRequest; succeed: () => void; fail: (reason: string) => void }> = [];
  fetch(request: FetchRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, succeed: resolve, fail: (reason) => reject(new FetchFailure(request.uris[0]!.value, reason)) });
    });
  }
}

class FakeContainerizer implements Containerizer {
  readonly launched: LaunchSpec[] = [];
  launch(spec: LaunchSpec): Promise<number> {
    this.launched.push(spec);
    return Promise.resolve(5000 + this.launched.length);
  }
  recover(): void {}
  destroy(): void {}
  isAlive(): boolean {
    return false;
  }
}

const FW = 'fw-1';
const framework: FrameworkInfo & { id: { value: string } } = { user: 'root', name: 'f', id: { value: FW } };
const task = (id: string, uri?: string, container?: TaskInfo['container']): TaskInfo => ({
  name: id, task_id: { value: id }, agent_id: { value: 'A-S0' },
  command: { value: 'sleep 600', ...(uri ? { uris: [{ value: uri }] } : {}) },
  ...(container ? { container } : {}),
});
const flush = () => new Promise((r) => setImmediate(r));

describe('agent: launching through the fetcher', () => {
  let dir: string;
  let fetcher: ControlledFetcher;
  let containerizer: FakeContainerizer;
  let core: AgentCore;
  let toMaster: AgentToMasterMessage[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-fetch-'));
    fetcher = new ControlledFetcher();
    containerizer = new FakeContainerizer();
    toMaster = [];
    core = testAgentCore(containerizer, new CheckpointStore(dir));
    core.fetcher = fetcher;
    core.docker = { available: true, host: 'unix:///fake.sock' };
    core.attachMaster((m) => toMaster.push(m));
    core.updates.resume();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const updates = (taskId: string): TaskStatus[] => toMaster.flatMap((m) => (m.type === 'STATUS_UPDATE' && m.update.status.task_id.value === taskId ? [m.update.status] : []));
  const subscribe = (executorId: string) => {
    const events: ExecutorEvent[] = [];
    const connection: ExecutorConnection = { send: (e) => events.push(e), close: () => undefined };
    core.executorSubscribed(core.findRun(FW, executorId)!, connection, []);
    return events;
  };

  it('starts a command task’s container once its URIs are in the sandbox', async () => {
    core.handleMasterMessage({ type: 'RUN_TASK', framework_info: framework, task: task('t1', 'http://h/app.tgz') });
    expect(containerizer.launched).to.have.length(0);
    expect(fetcher.pending[0]!.request.uris).to.deep.equal([{ value: 'http://h/app.tgz' }]);
    expect(fetcher.pending[0]!.request.sandbox).to.equal(core.findRun(FW, 't1')!.paths!.sandbox);
    fetcher.pending[0]!.succeed();
    await flush();
    expect(containerizer.launched).to.have.length(1);
  });

  it('fails the task with REASON_CONTAINER_LAUNCH_FAILED naming the URI and ends the executor when the fetch fails', async () => {
    core.handleMasterMessage({ type: 'RUN_TASK', framework_info: framework, task: task('t1', 'http://h/missing.tgz') });
    const containerId = core.findRun(FW, 't1')!.containerId;
    fetcher.pending[0]!.fail('Error downloading resource, received HTTP return code 404');
    await flush();
    expect(containerizer.launched).to.have.length(0);
    const [failed] = updates('t1');
    expect(failed).to.deep.include({ state: 'TASK_FAILED', reason: 'REASON_CONTAINER_LAUNCH_FAILED', source: 'SOURCE_AGENT' });
    expect(failed!.message).to.equal(`Failed to launch container: Failed to fetch all URIs for container '${containerId}': Failed to fetch 'http://h/missing.tgz': Error downloading resource, received HTTP return code 404`);
    expect(toMaster.some((m) => m.type === 'EXITED_EXECUTOR' && m.executor_id.value === 't1')).to.equal(true);
  });

  it('kills a task whose fetch is still running, and never starts its container', async () => {
    core.handleMasterMessage({ type: 'RUN_TASK', framework_info: framework, task: task('t1', 'http://h/app.tgz') });
    core.handleMasterMessage({ type: 'KILL_TASK', framework_id: { value: FW }, task_id: { value: 't1' } });
    expect(updates('t1').map((s) => s.state)).to.deep.equal(['TASK_KILLED']);
    fetcher.pending[0]!.succeed();
    await flush();
    expect(containerizer.launched).to.have.length(0);
  });

  it('sends a task group to the default executor only when every task’s URIs are in; a failed one fails the whole group', async () => {
    const executor: ExecutorInfo = { type: 'DEFAULT', executor_id: { value: 'default-1' }, framework_id: { value: FW } };
    const group = (a: string, b: string) => ({ type: 'RUN_TASK_GROUP' as const, framework_info: framework, executor_info: executor, task_group: { tasks: [task(a, `http://h/${a}.tgz`), task(b)] } });
    core.handleMasterMessage(group('a1', 'b1'));
    expect(containerizer.launched).to.have.length(1);
    const events = subscribe('default-1');
    const sandbox = core.findRun(FW, 'default-1')!.paths!.sandbox;
    expect(fetcher.pending[0]!.request.sandbox).to.equal(`${sandbox}/tasks/a1`);
    expect(events.some((e) => e.type === 'LAUNCH_GROUP')).to.equal(false);
    fetcher.pending[0]!.succeed();
    await flush();
    expect(events.filter((e) => e.type === 'LAUNCH_GROUP')).to.have.length(1);

    core.handleMasterMessage(group('a2', 'b2'));
    fetcher.pending[1]!.fail('stalled');
    await flush();
    expect(events.filter((e) => e.type === 'LAUNCH_GROUP')).to.have.length(1);
    for (const id of ['a2', 'b2']) expect(updates(id).map((s) => [s.state, s.reason])).to.deep.equal([['TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED']]);
  });

  it('fetches a Docker task’s URIs into its task sandbox before the shared Docker executor gets it', async () => {
    core.handleMasterMessage({ type: 'RUN_TASK', framework_info: framework, task: task('d1', 'file:///srv/conf.txt', { type: 'DOCKER', docker: { image: 'busybox' } }) });
    const run = core.findRun(FW, 'tepui-docker-executor')!;
    expect(containerizer.launched).to.have.length(1);
    const events = subscribe(run.id);
    expect(fetcher.pending[0]!.request.sandbox).to.equal(`${run.paths!.sandbox}/tasks/d1`);
    expect(events.some((e) => e.type === 'LAUNCH')).to.equal(false);
    fetcher.pending[0]!.succeed();
    await flush();
    expect(events.filter((e) => e.type === 'LAUNCH')).to.have.length(1);
  });
});
