// Which directories the agent core hands to the garbage collector, and when: a finished run's
// sandbox and meta directory; its executor's once no run of it is left; its framework's once the
// framework is gone; and back off the schedule when the executor or framework returns.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentToMasterMessage, type TaskInfo, type TaskStatus } from '@tepui/protocol';
import type { AgentCore } from './agent-core';
import { testAgentCore } from './testing/core-fixture';
import { CheckpointStore } from './checkpoint/checkpoint-store';
import type { Containerizer } from './containerizer/containerizer';

const FW = 'fw-1';
const framework = { user: 'root', name: 'f', id: { value: FW }, checkpoint: true };
const task = (id: string): TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'A-S0' }, command: { value: 'true' } });

describe('agent: directories for garbage collection', () => {
  let dir: string;
  let core: AgentCore;
  let exits: Array<(status?: number) => void>;
  let collected: string[];
  let kept: string[];
  let toMaster: AgentToMasterMessage[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-gc-dirs-'));
    exits = [];
    collected = [];
    kept = [];
    toMaster = [];
    const containerizer: Containerizer = { launch: (_spec, onExit) => { exits.push(onExit); return Promise.resolve(7000 + exits.length); }, recover: () => undefined, destroy: () => undefined, isAlive: () => false };
    core = testAgentCore(containerizer, new CheckpointStore(dir));
    core.gc = { collect: (path) => collected.push(path), keep: (path) => kept.push(path) };
    core.attachMaster((m) => toMaster.push(m));
    core.updates.resume();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const work = (...parts: string[]) => join(dir, 'slaves', 'A-S0', 'frameworks', FW, ...parts);
  const meta = (...parts: string[]) => join(dir, 'meta', 'slaves', 'A-S0', 'frameworks', FW, ...parts);
  const ackAll = () => {
    for (const m of toMaster.splice(0)) {
      if (m.type !== 'STATUS_UPDATE') continue;
      const status: TaskStatus = m.update.status;
      core.handleMasterMessage({ type: 'STATUS_UPDATE_ACK', framework_id: { value: FW }, task_id: status.task_id, uuid: status.uuid! });
    }
  };

  it('collects the run, then the executor and the framework directories, and keeps them when the framework returns', () => {
    core.handleMasterMessage({ type: 'RUN_TASK', framework_info: framework, task: task('t1') });
    const run = core.findRun(FW, 't1')!;
    exits[0]!(0);
    ackAll();
    expect(collected).to.deep.equal([
      run.paths!.sandbox, run.paths!.meta,
      work('executors', 't1'), meta('executors', 't1'),
      work(), meta(),
    ]);
    core.handleMasterMessage({ type: 'RUN_TASK', framework_info: framework, task: task('t2') });
    expect(kept).to.include.members([work(), meta(), work('executors', 't2'), meta('executors', 't2')]);
  });

  it('leaves the framework directories alone while another executor of it runs', () => {
    core.handleMasterMessage({ type: 'RUN_TASK', framework_info: framework, task: task('t1') });
    core.handleMasterMessage({ type: 'RUN_TASK', framework_info: framework, task: task('t2') });
    exits[0]!(0);
    ackAll();
    expect(collected).to.include(work('executors', 't1'));
    expect(collected).to.not.include(work());
  });
});
