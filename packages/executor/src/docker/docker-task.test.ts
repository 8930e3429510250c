// DockerTask against a fake engine that holds any call until released: a KILL delivered at each
// moment of a launch ends the task with TASK_KILLED and leaves no container; repeated KILLs
// re-issue the stop and bring the SIGKILL forward; a KILL after the end changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ManualClock, until, type HealthCheck, type TaskInfo, type TaskState, type TaskStatus } from '@tepui/protocol';
import { DockerTask } from './docker-task';
import { FakeEngine, type EngineCall } from './fake-engine';
import { ImageCache } from './image-cache';

function dockerTask(over: Partial<TaskInfo> = {}, network: 'BRIDGE' | 'HOST' = 'BRIDGE'): TaskInfo {
  return {
    name: 'web', task_id: { value: 'web.1' }, agent_id: { value: 'A-S1' },
    command: { value: 'sleep 600' },
    container: { type: 'DOCKER', docker: { image: 'local/busybox', network } },
    ...over,
  };
}

describe('DockerTask against a fake engine', () => {
  let sandbox: string;
  let engine: FakeEngine;
  let clock: ManualClock;
  let updates: TaskStatus[];
  let task: DockerTask;

  const states = (): TaskState[] => updates.map((u) => u.state);
  const ended = (): boolean => task.terminal !== undefined;

  function launch(info: TaskInfo = dockerTask()): void {
    task = new DockerTask(info, {
      docker: engine,
      images: new ImageCache(engine),
      driver: { update: (s) => { const full = { ...s, uuid: `u${updates.length}` }; updates.push(full); return full; } },
      clock,
      context: { agentId: 'A-S1', frameworkId: 'F-1', executorId: 'tepui-docker-executor', sandbox, env: {} },
      killingState: true,
      onTerminal: () => undefined,
      log: () => undefined,
    });
    void task.start();
  }

  async function heldAt(call: EngineCall): Promise<void> {
    engine.hold(call);
    launch();
    await until(() => engine.isHeld(call), `the ${call} call`);
  }

  beforeEach(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'tepui-docker-task-'));
    engine = new FakeEngine();
    clock = new ManualClock();
    updates = [];
  });
  afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

  it('launches: STARTING, then RUNNING with the container address, one container running', async () => {
    launch();
    await until(() => states().includes('TASK_RUNNING'), 'TASK_RUNNING');
    expect(states()).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING']);
    expect(updates[1]!.container_status?.network_infos?.[0]?.ip_addresses?.[0]?.ip_address).to.equal('172.17.0.2');
    expect(engine.containers).to.deep.equal([{ name: 'tepui-A-S1-web.1', state: 'running' }]);
  });

  describe('a KILL at each moment of the launch ends it with TASK_KILLED and no container', () => {
    it('while the image is checked: killed at once, nothing is created', async () => {
      await heldAt('image');
      task.kill();
      expect(states()).to.deep.equal(['TASK_STARTING', 'TASK_KILLED']);
      engine.release('image');
      await until(() => engine.callsOf('image').length === 1 && !engine.isHeld('image'), 'the image check');
      await new Promise((r) => setImmediate(r));
      expect(engine.callsOf('create')).to.deep.equal([]);
      expect(engine.containers).to.deep.equal([]);
    });

    it('while the container is created: it is removed before TASK_KILLED, never started', async () => {
      await heldAt('create');
      task.kill();
      expect(ended(), 'no TASK_KILLED while a container may still appear').to.equal(false);
      engine.release('create');
      await until(ended, 'the end');
      expect(states()).to.deep.equal(['TASK_STARTING', 'TASK_KILLED']);
      expect(updates[1]!.message).to.equal('Killed before the container started');
      expect(engine.callsOf('start')).to.deep.equal([]);
      expect(engine.containers).to.deep.equal([]);
    });

    it('while the container is started (created, not yet running): it is stopped once it runs, then removed', async () => {
      await heldAt('start');
      task.kill();
      engine.release('start');
      await until(ended, 'the end');
      expect(states()).to.deep.equal(['TASK_STARTING', 'TASK_KILLING', 'TASK_KILLED']);
      expect(updates[2]!.message).to.equal('Container exited with status 143');
      expect(engine.callsOf('stop')).to.have.length(1);
      expect(engine.containers).to.deep.equal([]);
    });

    it('while its address is read after the start: stopped at once, and no RUNNING after KILLING', async () => {
      await heldAt('inspect');
      task.kill();
      await until(ended, 'the end');
      engine.release('inspect');
      await new Promise((r) => setImmediate(r));
      expect(states()).to.deep.equal(['TASK_STARTING', 'TASK_KILLING', 'TASK_KILLED']);
      expect(engine.containers).to.deep.equal([]);
    });

    it('once it runs: KILLING, the stop with the grace period, KILLED', async () => {
      launch(dockerTask({ kill_policy: { grace_period: { nanoseconds: 7e9 } } }));
      await until(() => states().includes('TASK_RUNNING'), 'TASK_RUNNING');
      task.kill();
      await until(ended, 'the end');
      expect(states()).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
      expect(engine.callsOf('stop')).to.deep.equal([{ name: 'tepui-A-S1-web.1', t: 7 }]);
      expect(engine.containers).to.deep.equal([]);
    });

    it('while a create that then fails: TASK_KILLED, not TASK_FAILED', async () => {
      await heldAt('create');
      task.kill();
      engine.createError = 'no space left on device';
      engine.release('create');
      await until(ended, 'the end');
      expect(states()).to.deep.equal(['TASK_STARTING', 'TASK_KILLED']);
      expect(engine.containers).to.deep.equal([]);
    });
  });

  describe('a container already there (the executor restarted under a recovering agent)', () => {
    const NAME = 'tepui-A-S1-web.1';

    it('is re-attached when running: RUNNING without a second create or start', async () => {
      await (await engine.createContainer({ name: NAME, Image: 'local/busybox' })).start();
      launch();
      await until(() => states().includes('TASK_RUNNING'), 'TASK_RUNNING');
      expect(engine.callsOf('start')).to.have.length(1);
      expect(engine.containers).to.deep.equal([{ name: NAME, state: 'running' }]);
    });

    it('killed while it is inspected, running: stopped with the grace period, not removed outright', async () => {
      await (await engine.createContainer({ name: NAME, Image: 'local/busybox' })).start();
      await heldAt('inspect');
      task.kill({ grace_period: { nanoseconds: 4e9 } });
      engine.release('inspect');
      await until(ended, 'the end');
      expect(engine.callsOf('stop')).to.deep.equal([{ name: NAME, t: 4 }]);
      expect(task.terminal).to.include({ state: 'TASK_KILLED', message: 'Container exited with status 143' });
      expect(engine.containers).to.deep.equal([]);
    });

    it('killed while it is inspected, not running: removed and never started', async () => {
      await engine.createContainer({ name: NAME, Image: 'local/busybox' });
      await heldAt('inspect');
      task.kill();
      engine.release('inspect');
      await until(ended, 'the end');
      expect(engine.callsOf('start')).to.deep.equal([]);
      expect(task.terminal).to.include({ state: 'TASK_KILLED', message: 'Killed before the container started' });
      expect(engine.containers).to.deep.equal([]);
    });
  });

  it('a container that cannot start is removed and the task fails, saying why', async () => {
    engine.startError = 'OCI runtime create failed';
    launch();
    await until(ended, 'the end');
    expect(task.terminal).to.include({ state: 'TASK_FAILED', reason: 'REASON_CONTAINER_LAUNCH_FAILED' });
    expect(task.terminal!.message).to.match(/OCI runtime create failed/);
    expect(engine.containers).to.deep.equal([]);
  });

  describe('repeated KILLs', () => {
    beforeEach(async () => {
      engine.containersIgnoreStop = true; // the process ignores SIGTERM, and this engine's stop gives up
      launch(dockerTask({ kill_policy: { grace_period: { nanoseconds: 10e9 } } }));
      await until(() => states().includes('TASK_RUNNING'), 'TASK_RUNNING');
      task.kill();
      await until(() => engine.callsOf('stop').length === 1, 'the first stop');
    });

    it('re-issue the stop each time (a retried KILL is not ignored)', async () => {
      task.kill();
      task.kill();
      await until(() => engine.callsOf('stop').length === 3, 'the stops of the retries');
      expect(states().filter((s) => s === 'TASK_KILLING')).to.have.length(1);
      expect(ended()).to.equal(false);
    });

    it('SIGKILL the container once the grace period is over, if the stop did not end it', async () => {
      clock.advance(9999);
      expect(engine.callsOf('kill')).to.deep.equal([]);
      clock.advance(1);
      await until(ended, 'the end');
      expect(engine.callsOf('kill')).to.deep.equal([{ name: 'tepui-A-S1-web.1', signal: 'SIGKILL' }]);
      expect(task.terminal).to.include({ state: 'TASK_KILLED', message: 'Container exited with status 137' });
      expect(engine.containers).to.deep.equal([]);
    });

    it('retry a SIGKILL the engine refused, every 5 s, until the container is gone', async () => {
      engine.refuseKills = 2;
      clock.advance(10_000);
      await until(() => engine.callsOf('kill').length === 1, 'the first SIGKILL');
      await new Promise((r) => setImmediate(r));
      clock.advance(5000);
      await until(() => engine.callsOf('kill').length === 2, 'the second SIGKILL');
      await new Promise((r) => setImmediate(r));
      clock.advance(5000);
      await until(ended, 'the end');
      expect(engine.callsOf('kill')).to.have.length(3);
      expect(task.terminal).to.include({ state: 'TASK_KILLED' });
    });

    it('bring the SIGKILL forward when a later KILL gives a shorter grace', async () => {
      clock.advance(1000);
      task.kill({ grace_period: { nanoseconds: 3e9 } });
      await until(() => engine.callsOf('stop').length === 2, 'the second stop');
      expect(engine.callsOf('stop')[1]).to.deep.equal({ name: 'tepui-A-S1-web.1', t: 2 });
      clock.advance(2000);
      await until(ended, 'the end');
      expect(engine.callsOf('kill')).to.have.length(1);
    });

    it('never lengthen the grace period', async () => {
      task.kill({ grace_period: { nanoseconds: 60e9 } });
      clock.advance(10_000);
      await until(ended, 'the end');
    });
  });

  it('a KILL after the task ended sends nothing and calls nothing', async () => {
    launch();
    await until(() => states().includes('TASK_RUNNING'), 'TASK_RUNNING');
    engine.exitContainer('tepui-A-S1-web.1', 0);
    await until(ended, 'the end');
    const calls = engine.calls.length;
    task.kill();
    task.kill();
    await new Promise((r) => setImmediate(r));
    expect(states()).to.deep.equal(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    expect(engine.calls.length).to.equal(calls);
  });

  describe('health checks in the container', () => {
    let server: Server;
    let status: number;
    let port: number;

    beforeEach(async () => {
      status = 200;
      server = createServer((_req, res) => res.writeHead(status).end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterEach(() => new Promise((r) => server.close(r)));

    const check = (over: HealthCheck): HealthCheck => ({ delay_seconds: 0, interval_seconds: 1, grace_period_seconds: 0, consecutive_failures: 2, timeout_seconds: 1, ...over });

    it('runs a MESOS_HTTP check (host network: the host loopback) and kills the task after consecutive failures', async () => {
      launch(dockerTask({ health_check: check({ type: 'HTTP', http: { port, path: '/health' } }) }, 'HOST'));
      await until(() => states().includes('TASK_RUNNING'), 'TASK_RUNNING');
      clock.advance(0);
      await until(() => updates.some((u) => u.healthy === true), 'healthy');
      status = 503;
      clock.advance(1000);
      await until(() => updates.some((u) => u.healthy === false), 'unhealthy');
      clock.advance(1000);
      await until(ended, 'the kill');
      expect(task.terminal).to.include({ state: 'TASK_KILLED', healthy: false });
      expect(engine.containers).to.deep.equal([]);
    });

    it('runs a MESOS_TCP check: healthy while the port accepts connections', async () => {
      launch(dockerTask({ health_check: check({ type: 'TCP', tcp: { port } }) }, 'HOST'));
      await until(() => states().includes('TASK_RUNNING'), 'TASK_RUNNING');
      clock.advance(0);
      await until(() => updates.some((u) => u.healthy === true), 'healthy');
    });

    it('runs a COMMAND check with docker exec, failing on a non-zero exit', async () => {
      engine.execExitCode = 1;
      launch(dockerTask({ health_check: check({ type: 'COMMAND', command: { value: 'cat /not-there' } }) }));
      await until(() => states().includes('TASK_RUNNING'), 'TASK_RUNNING');
      clock.advance(0);
      await until(() => updates.some((u) => u.healthy === false), 'unhealthy');
      expect(engine.callsOf('exec')[0]).to.deep.equal(['/bin/sh', '-c', 'cat /not-there']);
    });
  });
});
