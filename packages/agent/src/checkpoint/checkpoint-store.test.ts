import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendFileSync } from 'node:fs';
import { expect } from 'chai';
import { newStatusUuid, type StatusUpdate } from '@tepui/protocol';
import { CheckpointStore } from './checkpoint-store';

describe('CheckpointStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tepui-ckpt-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('recovers nothing from an empty work dir', () => {
    expect(new CheckpointStore(dir).recover()).to.equal(undefined);
  });

  it('round-trips agent, framework, executor, pid, tasks, updates and acknowledgements', () => {
    const store = new CheckpointStore(dir);
    store.writeAgent('A-S0', { hostname: 'h', id: { value: 'A-S0' } });
    store.writeFramework('A-S0', { user: 'root', name: 'fw', id: { value: 'F-0000' }, checkpoint: true });
    const run = store.writeExecutor('A-S0', 'F-0000', { executor_id: { value: 'ex' }, command: { value: 'x' } }, 'c1');
    store.writePid(run, 4242);
    store.writeTask(run, { name: 't', task_id: { value: 't1' }, agent_id: { value: 'A-S0' } });
    const u1: StatusUpdate = { framework_id: { value: 'F-0000' }, agent_id: { value: 'A-S0' }, status: { task_id: { value: 't1' }, state: 'TASK_STARTING', uuid: newStatusUuid() } };
    const u2: StatusUpdate = { ...u1, status: { ...u1.status, state: 'TASK_RUNNING', uuid: newStatusUuid() } };
    store.appendUpdate(run, 't1', u1);
    store.appendAck(run, 't1', u1.status.uuid!);
    store.appendUpdate(run, 't1', u2);
    // A crash mid-append leaves a torn last line, which recovery must survive.
    appendFileSync(join(run.meta, 'tasks', 't1', 'task.updates'), '{"update":{"fram');

    const recovered = new CheckpointStore(dir).recover()!;
    expect(recovered.agentId).to.equal('A-S0');
    expect(recovered.agentInfo?.hostname).to.equal('h');
    const fw = recovered.frameworks[0]!;
    expect(fw.info.id.value).to.equal('F-0000');
    const ex = fw.executors[0]!;
    expect(ex.info.executor_id.value).to.equal('ex');
    expect(ex.run).to.include({ containerId: 'c1', pid: 4242, completed: false });
    const task = ex.run!.tasks[0]!;
    expect(task.info.task_id.value).to.equal('t1');
    expect(task.updates.map((u) => u.status.state)).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING']);
    expect([...task.acked]).to.deep.equal([u1.status.uuid]);
  });

  it('forgets the agent id so the next start registers afresh', () => {
    const store = new CheckpointStore(dir);
    store.writeAgent('A-S0', { hostname: 'h' });
    store.forgetAgent();
    expect(store.recover()).to.equal(undefined);
  });
});
