// The shared Docker executor against a fake engine: a SHUTDOWN that arrives while a container
// is being created exits only once that container is gone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ManualClock, until, type TaskInfo, type TaskStatus } from '@tepui/protocol';
import { DockerExecutor } from './docker-executor';
import { FakeEngine } from './fake-engine';
import { FakeRunner } from '../command/fake-runner';

describe('Docker executor against a fake engine', () => {
  let sandbox: string;
  let engine: FakeEngine;
  let updates: TaskStatus[];
  let exits: number[];
  let logs: string[];
  let executor: DockerExecutor;

  const task = (id: string): TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'a' }, command: { value: 'sleep 600' }, container: { type: 'DOCKER', docker: { image: 'local/busybox' } } });

  beforeEach(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'tepui-docker-executor-'));
    engine = new FakeEngine();
    updates = [];
    exits = [];
    logs = [];
    executor = new DockerExecutor({
      driver: { update: (s) => { const full = { ...s, uuid: `u${updates.length}` }; updates.push(full); return full; } },
      runner: new FakeRunner(),
      clock: new ManualClock(),
      runCheck: async () => true,
      baseEnv: {},
      sandbox,
      executorPid: 1,
      shutdownGracePeriodMs: 5000,
      exit: (code) => exits.push(code),
      log: (m) => logs.push(m),
      docker: () => engine,
      context: { agentId: 'A', frameworkId: 'F', executorId: 'tepui-docker-executor', sandbox, env: {} },
    });
    executor.handle({ type: 'SUBSCRIBED', subscribed: { framework_info: { user: 'root', name: 'fw' }, executor_info: { executor_id: { value: 'e' } }, agent_info: { hostname: 'h' } } });
  });
  afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

  /** Task `one` runs; the container of task `two` is being created (the engine holds the call). */
  async function runningAndCreating(): Promise<void> {
    executor.handle({ type: 'LAUNCH', launch: { task: task('one') } });
    await until(() => updates.some((u) => u.state === 'TASK_RUNNING'), 'the first task');
    engine.hold('create');
    executor.handle({ type: 'LAUNCH', launch: { task: task('two') } });
    await until(() => engine.isHeld('create'), 'the second create');
  }

  it('a SHUTDOWN while a container is being created exits once every container is gone', async () => {
    await runningAndCreating();
    executor.handle({ type: 'SHUTDOWN' });
    await until(() => updates.some((u) => u.task_id.value === 'one' && u.state === 'TASK_KILLED'), 'the first task killed');
    expect(exits, 'no exit while a container may still be created').to.deep.equal([]);
    engine.release('create');
    await until(() => exits.length > 0, 'the exit');
    expect(exits).to.deep.equal([0]);
    expect(engine.containers).to.deep.equal([]);
    expect(updates.filter((u) => u.task_id.value === 'two').map((u) => u.state)).to.deep.equal(['TASK_STARTING', 'TASK_KILLED']);
  });

  it('losing the agent removes every container, also one being created, before it exits', async () => {
    await runningAndCreating();
    executor.agentLost('agent gone');
    await until(() => engine.containers.length === 1, 'the running container removed');
    expect(exits, 'no exit while a container is being created').to.deep.equal([]);
    engine.release('create');
    await until(() => exits.length > 0, 'the exit');
    expect(exits).to.deep.equal([1]);
    expect(engine.containers).to.deep.equal([]);
  });

  it('a KILL for a task it does not run is logged, and sends nothing', () => {
    executor.handle({ type: 'KILL', kill: { task_id: { value: 'ghost' } } });
    expect(updates).to.deep.equal([]);
    expect(logs.some((l) => l.includes("'ghost'"))).to.equal(true);
  });
});
