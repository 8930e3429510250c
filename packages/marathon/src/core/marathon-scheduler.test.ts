import { expect } from 'chai';
import { harness } from '../test-support/scheduler-harness';
import { reconcileRetryDelayMs } from './scheduler-core';

describe('Marathon scheduler', () => {
  it('retries a failed reconciliation with back-off until the deployment step is stored', async () => {
    const h = await harness();
    try {
      h.store.failWrites = { prefix: '/deployments/', failures: 3 };
      const started = h.clock.now();
      expect(await h.run(() => h.finished(), 10_000)).to.equal(true);
      expect(h.store.failWrites.failures, 'every injected failure was met').to.equal(0);
      // 100 + 200 + 400 ms of back-off at least.
      expect(h.clock.now() - started).to.be.at.least(700);
      expect(h.instances().map((i) => i.state)).to.deep.equal(['TASK_RUNNING']);
    } finally {
      await h.stop();
    }
  });

  it('asks again about tasks a reconciliation left unanswered, backing off, until each has answered', async () => {
    const h = await harness();
    try {
      expect(await h.run(() => h.finished())).to.equal(true);
      const [instance] = h.instances();
      const explicit = () => h.mesos.calls.filter((c) => c === `RECONCILE ${instance!.taskId}`).length;
      h.mesos.withholdReconciliation = true;
      h.clock.advance(3_600_000); // the reconciliation period
      await new Promise((r) => setImmediate(r));
      expect(explicit()).to.equal(1);
      h.clock.advance(1_000);
      await new Promise((r) => setImmediate(r));
      expect(explicit()).to.equal(2);
      h.clock.advance(1_999);
      expect(explicit(), 'backing off: 2 s after the second ask').to.equal(2);
      h.mesos.withholdReconciliation = false;
      h.clock.advance(1);
      await new Promise((r) => setImmediate(r));
      expect(explicit()).to.equal(3);
      h.clock.advance(60_000);
      expect(explicit(), 'answered: not asked again').to.equal(3);
    } finally {
      await h.stop();
    }
  });

  it('does not reconcile a task whose LAUNCH is still on its way (the master would call it unknown)', async () => {
    const h = await harness({ instances: 0 });
    try {
      h.mesos.holdLaunches = true;
      await h.deploy((root) => ({ groups: root.groups, apps: root.apps.map((a) => ({ ...a, instances: 1 })) }));
      expect(await h.run(() => h.mesos.calls.some((c) => c.startsWith('LAUNCH')), 5_000)).to.equal(true);
      expect(h.instances()).to.have.length(1);
      h.clock.advance(3_600_000);
      await new Promise((r) => setImmediate(r));
      expect(h.mesos.calls.filter((c) => c.startsWith('RECONCILE')), 'only the implicit one').to.deep.equal(['RECONCILE ']);
      h.mesos.releaseLaunches();
      expect(await h.run(() => h.instances()[0]?.state === 'TASK_RUNNING', 5_000)).to.equal(true);
    } finally {
      await h.stop();
    }
  });

  it('backs off 100 ms doubling to 30 s', () => {
    expect([1, 2, 3, 4, 9, 20].map(reconcileRetryDelayMs)).to.deep.equal([100, 200, 400, 800, 25_600, 30_000]);
  });

  it('shows in /v2/deployments what the current action waits for, and re-sends the unanswered kill', async () => {
    const h = await harness();
    try {
      expect(await h.run(() => h.finished())).to.equal(true);
      const [instance] = h.instances();
      h.mesos.dropKills = 1;
      await h.deploy((root) => ({ groups: root.groups, apps: [] }));
      expect(await h.run(() => h.mesos.calls.filter((c) => c.startsWith('KILL')).length === 1, 1000)).to.equal(true);
      const [deployment] = h.scheduler.deployments.json(() => [], (id) => h.scheduler.core.awaitedOf(id));
      expect(deployment?.currentActions).to.deep.equal([{
        action: 'StopApplication', app: '/web', readinessCheckResults: [],
        waitingFor: {
          scheduled: 0,
          instances: [{ instanceId: instance!.instanceId, taskId: instance!.taskId, agentId: 'S1', host: 's1.example', state: 'TASK_RUNNING', goal: 'Decommissioned', until: 'terminal' }],
        },
      }]);
      expect(await h.run(() => h.finished(), 30_000)).to.equal(true);
      expect(h.mesos.calls.filter((c) => c.startsWith('KILL')), 'killed again after 10 s').to.have.length(2);
      expect(h.mesos.calls.some((c) => c === `RECONCILE ${instance!.taskId}`), 'and asked where the task stands').to.equal(true);
    } finally {
      await h.stop();
    }
  });

  it('forgets an unreachable instance it stops without waiting for a kill Mesos cannot answer', async () => {
    const h = await harness();
    try {
      expect(await h.run(() => h.finished())).to.equal(true);
      const [instance] = h.instances();
      h.mesos.agentLeft('S1', 'unreachable');
      h.mesos.report(instance!.taskId, 'TASK_UNREACHABLE');
      expect(await h.run(() => h.instances()[0]?.state === 'TASK_UNREACHABLE', 1000)).to.equal(true);
      await h.deploy((root) => ({ groups: root.groups, apps: [] }));
      expect(await h.run(() => h.finished(), 1000)).to.equal(true);
      expect(h.mesos.calls.filter((c) => c.startsWith('KILL'))).to.deep.equal([]);
      // Mesos later reports the forgotten task unreachable again: no kill (it could not be answered).
      h.mesos.report(instance!.taskId, 'TASK_UNREACHABLE');
      await h.run(() => false, 500);
      expect(h.mesos.calls.filter((c) => c.startsWith('KILL'))).to.deep.equal([]);
      // It comes back running: now it is killed as a task Marathon does not know.
      h.mesos.agents.set('S1', 'registered');
      h.mesos.report(instance!.taskId, 'TASK_RUNNING');
      expect(await h.run(() => h.mesos.calls.includes(`KILL ${instance!.taskId}`), 1000)).to.equal(true);
    } finally {
      await h.stop();
    }
  });
});
