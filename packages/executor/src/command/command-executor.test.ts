// The command executor with real processes (SandboxProcessRunner) and a recording update sink.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SystemClock, until, type TaskInfo, type TaskStatus } from '@tepui/protocol';
import { CommandExecutor } from './command-executor';
import { SandboxProcessRunner } from './process-runner';

describe('command executor (real processes)', function () {
  this.timeout(20_000);
  let sandbox: string;
  let updates: TaskStatus[];
  let exits: number[];
  let executor: CommandExecutor;

  function start(task: Partial<TaskInfo>, capabilities: Array<{ type: 'TASK_KILLING_STATE' }> = []): void {
    executor = new CommandExecutor({
      driver: { update: (s) => { const full = { ...s, uuid: `u${updates.length}` }; updates.push(full); return full; } },
      runner: new SandboxProcessRunner(sandbox),
      clock: new SystemClock(),
      runCheck: async () => false,
      baseEnv: { PATH: process.env.PATH },
      sandbox,
      executorPid: process.pid,
      shutdownGracePeriodMs: 1000,
      exit: (code) => exits.push(code),
      log: () => undefined,
    });
    executor.handle({ type: 'SUBSCRIBED', subscribed: { framework_info: { user: 'root', name: 'fw', capabilities }, executor_info: { executor_id: { value: 'e' } }, agent_info: { hostname: 'h' } } });
    executor.handle({ type: 'LAUNCH', launch: { task: { name: 't', task_id: { value: 't' }, agent_id: { value: 'a' }, command: { value: 'true' }, ...task } } });
  }

  const states = () => updates.map((u) => u.state);
  const terminal = () => until(() => updates.find((u) => ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED'].includes(u.state)), 'a terminal update');

  beforeEach(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'tepui-sandbox-'));
    updates = [];
    exits = [];
  });
  afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

  it('runs a shell command to TASK_FINISHED with its output in the sandbox', async () => {
    start({ command: { value: 'echo "hi $GREETING from $MESOS_TASK_ID"', environment: { variables: [{ name: 'GREETING', value: 'there' }] } } });
    const end = await terminal();
    expect(states()).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    expect(end.message).to.equal('Command exited with status 0');
    expect(readFileSync(join(sandbox, 'stdout'), 'utf8')).to.equal('hi there from t\n');
  });

  it('runs the argv form without a shell', async () => {
    start({ command: { shell: false, value: '/bin/echo', arguments: ['echo', '$NOT_EXPANDED', 'ok'] } });
    await terminal();
    expect(readFileSync(join(sandbox, 'stdout'), 'utf8')).to.equal('$NOT_EXPANDED ok\n');
  });

  it('reports a failing command as TASK_FAILED with its exit status', async () => {
    start({ command: { value: 'exit 3' } });
    const end = await terminal();
    expect(end).to.include({ state: 'TASK_FAILED', message: 'Command exited with status 3' });
  });

  it('fails a task for a user that does not exist', async () => {
    start({ command: { value: 'true', user: 'no-such-user-tepui' } });
    const end = await terminal();
    expect(end.state).to.equal('TASK_FAILED');
    expect(end.message).to.match(/no-such-user-tepui/);
  });

  it('kills with SIGTERM and reports TASK_KILLING then TASK_KILLED', async () => {
    start({ command: { value: 'sleep 30' } }, [{ type: 'TASK_KILLING_STATE' }]);
    await until(() => updates.find((u) => u.state === 'TASK_RUNNING'), 'TASK_RUNNING');
    executor.handle({ type: 'KILL', kill: { task_id: { value: 't' } } });
    const end = await terminal();
    expect(states()).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
    expect(end.message).to.match(/SIGTERM/);
  });

  it('escalates to SIGKILL after the grace period for a task that ignores SIGTERM', async () => {
    start({ command: { value: "trap '' TERM; echo ready; while true; do sleep 0.05; done" } });
    await until(() => (readFileSync(join(sandbox, 'stdout'), 'utf8').includes('ready') ? true : undefined), 'trap installed');
    const killedAt = Date.now();
    executor.handle({ type: 'KILL', kill: { task_id: { value: 't' }, kill_policy: { grace_period: { nanoseconds: 300e6 } } } });
    const end = await terminal();
    expect(end.state).to.equal('TASK_KILLED');
    expect(end.message).to.match(/SIGKILL/);
    expect(Date.now() - killedAt).to.be.at.least(250);
  });

  it('exits once the terminal update is acknowledged', async () => {
    start({ command: { value: 'true' } });
    const end = await terminal();
    executor.handle({ type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: 't' }, uuid: end.uuid! } });
    expect(exits).to.deep.equal([0]);
  });

  it('kills a task whose COMMAND health check keeps failing, reporting healthy: false', async () => {
    start({ command: { value: 'sleep 30' }, health_check: { type: 'COMMAND', command: { value: 'false' }, delay_seconds: 0, interval_seconds: 0.05, grace_period_seconds: 0, consecutive_failures: 2, timeout_seconds: 1 } });
    const end = await terminal();
    const unhealthy = updates.find((u) => u.healthy === false && u.state === 'TASK_RUNNING');
    expect(unhealthy?.reason).to.equal('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
    expect(end).to.include({ state: 'TASK_KILLED', healthy: false });
  });
});
