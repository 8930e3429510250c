// Acceptance: reliable status updates across framework crashes, agent crashes and agent loss,
// with real master and agent processes and real executors.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { TestCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { RawScheduler, type Json } from '../support/raw-scheduler';
import { REPO_ROOT } from '../support/processes';

/** Processes whose command line is exactly `marker` (our tasks run unique sleep durations). */
function processesMatching(marker: string): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', `^${marker}$`], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).map(Number).filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}

function killMatching(marker: string): void {
  for (const pid of [...processesMatching(marker), ...processesMatching(`/bin/sh -c ${marker}`)]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function launchOn(scheduler: RawScheduler, tasks: Array<{ id: string; cmd: string }>): Promise<Json> {
  const offer = await scheduler.next((e) => e.type === 'OFFERS' && e.offers.offers.length > 0, 'no offer');
  const o = offer.offers.offers[0];
  const res = await scheduler.call({
    type: 'ACCEPT',
    accept: {
      offer_ids: [o.id],
      operations: [{
        type: 'LAUNCH',
        launch: {
          task_infos: tasks.map((t) => ({
            name: t.id, task_id: { value: t.id }, agent_id: o.agent_id,
            resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 16 } }],
            command: { value: t.cmd },
          })),
        },
      }],
    },
  });
  expect(res.status).to.equal(202);
  return o;
}

function runningUpdates(s: RawScheduler, taskId: string): Json[] {
  return s.all((e) => e.type === 'UPDATE' && e.update.status.task_id.value === taskId && e.update.status.state === 'TASK_RUNNING');
}

describe('reliability', function () {
  this.timeout(90_000);

  describe('framework crash and re-subscribe', () => {
    const cluster = new TestCluster({ agents: 1, agentFlags: () => ['--status_update_retry_interval_min=300ms'] });
    const marker = `sleep 7${process.pid % 1000}1`;
    before(() => cluster.start());
    after(async () => {
      await cluster.stop();
      killMatching(marker);
    });
    afterEach(function () {
      if (this.currentTest?.state === 'failed') console.log(cluster.logs());
    });

    it('re-delivers unacknowledged updates to the re-subscribed framework after kill -9', async () => {
      // A framework process that acknowledges TASK_STARTING and is killed before acknowledging TASK_RUNNING.
      const child = spawn(process.execPath, [join(REPO_ROOT, 'test/dist/support/crashing-framework.js'), cluster.masterUrl, 'crash-1', marker], { stdio: ['ignore', 'pipe', 'inherit'] });
      const seen: Json[] = [];
      let buffered = '';
      child.stdout!.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) if (line) seen.push(JSON.parse(line) as Json);
      });
      const running = await eventually(() => seen.find((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_RUNNING'), { message: 'framework never saw TASK_RUNNING' });
      const original = running.update.status;
      const first = { frameworkId: seen.find((e) => e.type === 'SUBSCRIBED')!.subscribed.framework_id.value as string };
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;

      const second = new RawScheduler(cluster.masterUrl);
      await second.subscribe({ user: 'root', name: 'crashy', failover_timeout: 120, checkpoint: true, id: { value: first.frameworkId } }, { framework_id: { value: first.frameworkId } });
      const subscribed = await second.next((e) => e.type === 'SUBSCRIBED', 'not re-subscribed');
      expect(subscribed.subscribed.framework_id.value).to.equal(first.frameworkId);
      // The agent's status update manager retries the head of the stream until it is acknowledged.
      const redelivered = await second.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === 'crash-1', 'update not re-delivered');
      expect(redelivered.update.status.state).to.equal('TASK_RUNNING');
      expect(redelivered.update.status.uuid).to.equal(original.uuid);
      await second.ack(redelivered.update.status);
      expect(seen.filter((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_STARTING')).to.have.length(1);
      const state = await cluster.state();
      const fw = state.frameworks.find((f) => f.id === first.frameworkId)!;
      expect(fw.tasks.map((t) => [t.id, t.state])).to.deep.equal([['crash-1', 'TASK_RUNNING']]);
      second.disconnect();
    });
  });

  describe('agent kill -9 and restart', () => {
    const cluster = new TestCluster({ agents: 1, agentFlags: () => ['--status_update_retry_interval_min=300ms'] });
    const markers = [1, 2, 3].map((i) => `sleep 8${process.pid % 1000}${i}`);
    let scheduler: RawScheduler;
    before(() => cluster.start());
    after(async () => {
      scheduler?.disconnect();
      await cluster.stop();
      for (const m of markers) killMatching(m);
    });
    afterEach(function () {
      if (this.currentTest?.state === 'failed') console.log(cluster.logs());
    });

    it('keeps the same tasks running, none duplicated, none lost', async () => {
      scheduler = new RawScheduler(cluster.masterUrl, true);
      await scheduler.subscribe({ user: 'root', name: 'steady', failover_timeout: 120, checkpoint: true, capabilities: [{ type: 'PARTITION_AWARE' }] });
      await launchOn(scheduler, markers.map((cmd, i) => ({ id: `steady-${i}`, cmd })));
      for (let i = 0; i < markers.length; i++) {
        await scheduler.next(() => runningUpdates(scheduler, `steady-${i}`).length > 0, `steady-${i} not running`);
      }
      const before = await cluster.state();
      const agentId = before.slaves[0]!.id;
      const pidsBefore = markers.map((m) => processesMatching(m));
      for (const pids of pidsBefore) expect(pids).to.have.length(1);

      await cluster.agents[0]!.process.kill9();
      const updatesBeforeRestart = scheduler.events.length;
      await cluster.restartAgent(0);
      await eventually(async () => {
        const s = await cluster.state();
        return s.slaves.length === 1 && s.slaves[0]!.id === agentId && s.slaves[0]!.active;
      }, { message: 'agent did not re-register with its id' });

      const after = await cluster.state();
      const fw = after.frameworks.find((f) => f.id === scheduler.frameworkId)!;
      expect(fw.tasks.map((t) => [t.id, t.state, t.slave_id]).sort()).to.deep.equal(
        markers.map((_, i) => [`steady-${i}`, 'TASK_RUNNING', agentId]).sort(),
      );
      expect(markers.map((m) => processesMatching(m))).to.deep.equal(pidsBefore);
      const agentState = (await (await fetch(`http://127.0.0.1:${cluster.agents[0]!.port}/state`)).json()) as Json;
      expect(agentState.id).to.equal(agentId);
      const agentTasks = (agentState.frameworks as Json[]).flatMap((f) => (f.executors as Json[]).flatMap((e) => e.tasks as Json[]));
      expect(agentTasks.map((t) => t.id).sort()).to.deep.equal(markers.map((_, i) => `steady-${i}`).sort());
      const bad = scheduler.events.slice(updatesBeforeRestart).filter((e) => e.type === 'UPDATE' && e.update.status.state !== 'TASK_RUNNING');
      expect(bad, JSON.stringify(bad)).to.deep.equal([]);
    });
  });

  describe('an agent that stays away', () => {
    const cluster = new TestCluster({ agents: 1, masterFlags: ['--agent_ping_timeout=200ms', '--max_agent_ping_timeouts=3'] });
    const markers = [`sleep 9${process.pid % 1000}1`, `sleep 9${process.pid % 1000}2`];
    let pa: RawScheduler | undefined;
    let np: RawScheduler | undefined;
    before(() => cluster.start());
    after(async () => {
      pa?.disconnect();
      np?.disconnect();
      await cluster.stop();
      for (const m of markers) killMatching(m);
    });
    afterEach(function () {
      if (this.currentTest?.state === 'failed') console.log(cluster.logs());
    });

    it('reports its tasks TASK_UNREACHABLE to partition-aware frameworks and TASK_LOST to others', async () => {
      pa = new RawScheduler(cluster.masterUrl, true);
      np = new RawScheduler(cluster.masterUrl, true);
      await pa.subscribe({ user: 'root', name: 'aware', failover_timeout: 120, checkpoint: true, capabilities: [{ type: 'PARTITION_AWARE' }] });
      await launchOn(pa, [{ id: 'pa-task', cmd: markers[0]! }]);
      await pa.next(() => runningUpdates(pa!, 'pa-task').length > 0, 'pa-task not running');
      await np.subscribe({ user: 'root', name: 'plain', failover_timeout: 120, checkpoint: true });
      await launchOn(np, [{ id: 'np-task', cmd: markers[1]! }]);
      await np.next(() => runningUpdates(np!, 'np-task').length > 0, 'np-task not running');

      await cluster.agents[0]!.process.kill9();
      const unreachable = await pa.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === 'pa-task' && e.update.status.state === 'TASK_UNREACHABLE', 'no TASK_UNREACHABLE');
      expect(unreachable.update.status).to.include({ source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED' });
      expect(unreachable.update.status.unreachable_time.nanoseconds).to.be.a('number');
      expect(unreachable.update.status).to.not.have.property('uuid');
      const lost = await np.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === 'np-task' && e.update.status.state === 'TASK_LOST', 'no TASK_LOST');
      expect(lost.update.status).to.include({ source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED' });
      await pa.next((e) => e.type === 'FAILURE' && !e.failure.executor_id, 'no agent FAILURE event');
      const state = await cluster.state();
      expect(state.slaves).to.have.length(0);
      const fw = state.frameworks.find((f) => f.id === pa!.frameworkId)!;
      expect(fw.unreachable_tasks.map((t) => [t.id, t.state])).to.deep.equal([['pa-task', 'TASK_UNREACHABLE']]);
    });
  });
});
