// Kills of process tasks at each moment, with fake processes and a manual clock: repeated KILLs
// (Mesos' escalation rules), a KILL after the end, a KILL of a task never spawned, and task
// groups whose tasks are killed before they start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ManualClock, until, type TaskInfo, type TaskStatus } from '@tepui/protocol';
import { CommandExecutor, type ExecutorDeps } from './command-executor';
import { DefaultExecutor } from '../default/default-executor';
import { FakeRunner } from './fake-runner';
import { runHealthCheck } from '../health/checks';

const KILLING = [{ type: 'TASK_KILLING_STATE' as const }];
const task = (id: string, over: Partial<TaskInfo> = {}): TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'a' }, command: { value: 'sleep 600' }, ...over });
const grace = (seconds: number) => ({ grace_period: { nanoseconds: seconds * 1e9 } });

describe('process tasks killed at each moment (fake processes, manual clock)', () => {
  let sandbox: string;
  let clock: ManualClock;
  let runner: FakeRunner;
  let updates: TaskStatus[];
  let exits: number[];

  const deps = (): ExecutorDeps => ({
    driver: { update: (s) => { const full = { ...s, uuid: `u${updates.length}` }; updates.push(full); return full; } },
    runner, clock, sandbox,
    runCheck: async () => true,
    baseEnv: {},
    executorPid: 1,
    shutdownGracePeriodMs: 5000,
    exit: (code) => exits.push(code),
    log: () => undefined,
  });
  const statesOf = (id: string) => updates.filter((u) => u.task_id.value === id).map((u) => u.state);

  beforeEach(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'tepui-task-process-'));
    clock = new ManualClock();
    runner = new FakeRunner();
    updates = [];
    exits = [];
  });
  afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

  describe('the command executor', () => {
    let executor: CommandExecutor;

    function launch(info: TaskInfo): void {
      executor = new CommandExecutor(deps());
      executor.handle({ type: 'SUBSCRIBED', subscribed: { framework_info: { user: 'root', name: 'fw', capabilities: KILLING }, executor_info: { executor_id: { value: 'e' } }, agent_info: { hostname: 'h' } } });
      executor.handle({ type: 'LAUNCH', launch: { task: info } });
    }
    const kill = (policy?: ReturnType<typeof grace>) => executor.handle({ type: 'KILL', kill: { task_id: { value: 't' }, ...(policy ? { kill_policy: policy } : {}) } });

    beforeEach(() => {
      runner.ignoresTerm = true;
      launch(task('t', { kill_policy: grace(10) }));
    });

    it('a retried KILL sends no second SIGTERM or TASK_KILLING, and keeps the SIGKILL where it was', () => {
      kill();
      clock.advance(4000);
      kill();
      clock.advance(5999);
      expect(runner.started[0]!.signals).to.deep.equal(['SIGTERM']);
      clock.advance(1);
      expect(runner.started[0]!.signals).to.deep.equal(['SIGTERM', 'SIGKILL']);
      expect(statesOf('t')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
    });

    it('a later KILL with a shorter grace brings the SIGKILL forward', () => {
      kill();
      clock.advance(1000);
      kill(grace(3));
      clock.advance(1999);
      expect(runner.started[0]!.signals).to.deep.equal(['SIGTERM']);
      clock.advance(1);
      expect(runner.started[0]!.signals).to.deep.equal(['SIGTERM', 'SIGKILL']);
    });

    it('a later KILL whose shorter grace is already spent SIGKILLs at once', () => {
      kill();
      clock.advance(4000);
      kill(grace(1));
      expect(runner.started[0]!.signals).to.deep.equal(['SIGTERM', 'SIGKILL']);
      expect(statesOf('t').at(-1)).to.equal('TASK_KILLED');
    });

    it('a longer grace never postpones the SIGKILL', () => {
      kill();
      kill(grace(60));
      clock.advance(10_000);
      expect(runner.started[0]!.signals).to.deep.equal(['SIGTERM', 'SIGKILL']);
    });

    it('a SHUTDOWN during a kill escalates to its own grace, the shutdown grace less Mesos\' margin', () => {
      kill(grace(30));
      clock.advance(1000);
      executor.handle({ type: 'SHUTDOWN' }); // 5 s shutdown grace: SIGKILL 3 s after the first KILL
      clock.advance(1999);
      expect(runner.started[0]!.signals).to.deep.equal(['SIGTERM']);
      clock.advance(1);
      expect(runner.started[0]!.signals).to.deep.equal(['SIGTERM', 'SIGKILL']);
    });

    it('a KILL after the task exited sends nothing and signals nothing', () => {
      runner.started[0]!.exit(0);
      kill();
      kill();
      clock.advance(60_000);
      expect(statesOf('t')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
      expect(runner.started[0]!.signals).to.deep.equal([]);
    });
  });

  it('a KILL of a task whose command could not be spawned ends it once, with TASK_KILLED', async () => {
    runner.failSpawn = true;
    const executor = new CommandExecutor(deps());
    executor.handle({ type: 'LAUNCH', launch: { task: task('t') } });
    executor.handle({ type: 'KILL', kill: { task_id: { value: 't' } } });
    await new Promise((r) => setImmediate(r)); // the spawn failure is reported after the kill
    expect(statesOf('t')).to.deep.equal(['TASK_STARTING', 'TASK_KILLED']);
  });

  describe('the default executor', () => {
    let executor: DefaultExecutor;

    beforeEach(() => {
      executor = new DefaultExecutor(deps(), () => runner);
      executor.handle({ type: 'SUBSCRIBED', subscribed: { framework_info: { user: 'root', name: 'fw' }, executor_info: { executor_id: { value: 'e' } }, agent_info: { hostname: 'h' } } });
    });

    it('a task of a group that is killed before it starts (another failed first) never runs', () => {
      const group = [task('a', { command: { value: 'true', user: 'no-such-user-tepui' } }), task('b')];
      executor.handle({ type: 'LAUNCH_GROUP', launch_group: { task_group: { tasks: group } } });
      expect(statesOf('a')).to.deep.equal(['TASK_STARTING', 'TASK_FAILED']);
      expect(statesOf('b')).to.deep.equal(['TASK_KILLED']);
      expect(runner.started).to.deep.equal([]);
    });

    describe('health checks of group tasks (real checks)', () => {
      let server: Server;
      let status: number;
      const timing = { delay_seconds: 0, interval_seconds: 1, grace_period_seconds: 0, consecutive_failures: 2, timeout_seconds: 1 };
      const healthOf = (id: string) => updates.filter((u) => u.task_id.value === id && u.healthy !== undefined).map((u) => u.healthy);

      beforeEach(async () => {
        status = 200;
        server = createServer((_q, res) => res.writeHead(status).end());
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        executor = new DefaultExecutor({ ...deps(), runCheck: (target, ctx) => runHealthCheck(target, { ...ctx, env: {} }) }, () => runner);
        executor.handle({ type: 'SUBSCRIBED', subscribed: { framework_info: { user: 'root', name: 'fw' }, executor_info: { executor_id: { value: 'e' } }, agent_info: { hostname: 'h' } } });
      });
      afterEach(() => new Promise((r) => server.close(r)));

      it('a MESOS_HTTP check runs against the task port; once it keeps failing the group is killed', async () => {
        const port = (server.address() as AddressInfo).port;
        const group = [task('a', { health_check: { type: 'HTTP', http: { port, path: '/' }, ...timing } }), task('b')];
        executor.handle({ type: 'LAUNCH_GROUP', launch_group: { task_group: { tasks: group } } });
        clock.advance(0);
        await until(() => healthOf('a').length === 1, 'the first result');
        expect(healthOf('a')).to.deep.equal([true]);
        status = 500;
        clock.advance(1000);
        await until(() => healthOf('a').length === 2, 'the unhealthy result');
        clock.advance(1000);
        await until(() => statesOf('b').includes('TASK_KILLED'), 'the group killed');
        expect(updates.find((u) => u.task_id.value === 'a' && u.state === 'TASK_KILLED')).to.include({ healthy: false });
      });

      it('a COMMAND check runs in the task\'s own sandbox', async () => {
        executor.handle({ type: 'LAUNCH_GROUP', launch_group: { task_group: { tasks: [task('a', { health_check: { type: 'COMMAND', command: { value: 'test -f marker' }, ...timing } })] } } });
        writeFileSync(join(sandbox, 'tasks', 'a', 'marker'), '');
        clock.advance(0);
        await until(() => healthOf('a').length === 1, 'the first result');
        expect(healthOf('a')).to.deep.equal([true]);
      });
    });

    it('killing one task of a group kills each, and a repeated KILL changes nothing', () => {
      executor.handle({ type: 'LAUNCH_GROUP', launch_group: { task_group: { tasks: [task('a'), task('b')] } } });
      executor.handle({ type: 'KILL', kill: { task_id: { value: 'a' } } });
      executor.handle({ type: 'KILL', kill: { task_id: { value: 'a' } } });
      expect(statesOf('a')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
      expect(statesOf('b')).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
      expect(runner.started.map((p) => p.signals)).to.deep.equal([['SIGTERM'], ['SIGTERM']]);
    });
  });
});
