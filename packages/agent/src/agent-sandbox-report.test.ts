// The agent telling the master where executors' sandboxes are: EXECUTOR_LAUNCHED when an executor
// the master tracks is launched, before any fetch (never for command or Docker executors, which the master does
// not track), and the directory in each executor a re-registration reports. The agent core with a
// checkpoint in a temp dir, a fake containerizer and a manual clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Resources, type AgentToMasterMessage, type ExecutorInfo, type TaskInfo } from '@tepui/protocol';
import { registrationMessage } from './agent';
import type { AgentCore } from './agent-core';
import { testAgentCore } from './testing/core-fixture';
import { CheckpointStore } from './checkpoint/checkpoint-store';
import type { Containerizer } from './containerizer/containerizer';
import type { ExecutorConnection, ExecutorRun } from './executors/executor-run';

const FW = 'fw-1';
const framework = { user: 'root', name: 'fw', id: { value: FW }, checkpoint: true };
const idle: Containerizer = { launch: () => Promise.resolve(4001), recover: () => undefined, destroy: () => undefined, isAlive: () => false };
const task = (id: string): TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'A-S0' }, command: { value: 'sleep 600' } });
const groupExecutor: ExecutorInfo = { type: 'DEFAULT', executor_id: { value: 'group-ex' }, framework_id: { value: FW } };

describe('agent: reporting executor sandboxes to the master', () => {
  let dir: string;
  let core: AgentCore;
  let toMaster: AgentToMasterMessage[];
  const connection: ExecutorConnection = { send: () => undefined, close: () => undefined };
  const subscribe = (run: ExecutorRun) => core.executorSubscribed(run, connection, []);
  const launched = () => toMaster.filter((m) => m.type === 'EXECUTOR_LAUNCHED');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tepui-sandbox-report-'));
    toMaster = [];
    core = testAgentCore(idle, new CheckpointStore(dir));
    core.attachMaster((m) => toMaster.push(m));
    core.handleMasterMessage({ type: 'RUN_TASK_GROUP', framework_info: framework, executor_info: groupExecutor, task_group: { tasks: [task('g.1')] } });
    core.handleMasterMessage({ type: 'RUN_TASK', framework_info: framework, task: task('c.1') });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("sends the default executor's sandbox once, when it is launched, and nothing for a command executor", () => {
    const group = core.findRun(FW, 'group-ex')!;
    subscribe(group);
    subscribe(core.findRun(FW, 'c.1')!);
    subscribe(group); // a re-subscription on a new stream
    expect(launched()).to.deep.equal([{
      type: 'EXECUTOR_LAUNCHED', agent_id: { value: 'A-S0' }, framework_id: { value: FW }, executor_id: { value: 'group-ex' },
      container_id: { value: group.containerId }, directory: group.paths!.sandbox,
    }]);
    expect(group.paths!.sandbox).to.equal(join(dir, 'slaves', 'A-S0', 'frameworks', FW, 'executors', 'group-ex', 'runs', group.containerId));
  });

  it('a re-registration reports the directory of each executor the master tracks', () => {
    const message = registrationMessage(core, { resources: Resources.parse('cpus:1;mem:128'), attributes: [] });
    expect(message.type).to.equal('REREGISTER_AGENT');
    if (message.type !== 'REREGISTER_AGENT') return;
    expect(message.executors).to.deep.equal([{ framework_id: { value: FW }, executor_info: groupExecutor, directory: core.findRun(FW, 'group-ex')!.paths!.sandbox }]);
  });
});
