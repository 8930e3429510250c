// No deployment waits forever (issue 10 §1): stop, scale to 0 and restart finish whatever state the
// app's instance is in when they start — waiting for an offer, stored with its LAUNCH not sent,
// LAUNCH in flight, launched without a status, starting, running, being killed, unreachable, on an
// agent that went away, unknown to the master, or behind an agent that drops the first kill.
import { expect } from 'chai';
import { harness, type Harness } from '../test-support/scheduler-harness';

/** Brings the app's one instance into a state, as it is when the action starts. */
interface Moment {
  readonly name: string;
  readonly reach: (h: Harness) => Promise<void>;
  /** After the action started: what happens next without Marathon's doing (a held launch arrives, …). */
  readonly after?: (h: Harness) => void;
}

const one = (h: Harness) => {
  const [instance] = h.instances();
  if (!instance) throw new Error('no instance');
  return instance;
};

const MOMENTS: Moment[] = [
  { name: 'scheduled, waiting for an offer', reach: async (h) => {
    h.stopOffering();
    expect(await h.run(() => !h.scheduler.queue.isEmpty, 1000)).to.equal(true);
  }, after: (h) => h.startOffering() },
  { name: 'stored, its LAUNCH not sent yet', reach: async (h) => {
    h.store.holdInstanceWrites = true;
    expect(await h.run(() => h.store.heldWrites > 0, 2000)).to.equal(true);
    h.store.holdInstanceWrites = false;
  }, after: (h) => h.store.release() },
  { name: 'its LAUNCH in flight', reach: async (h) => {
    h.mesos.holdLaunches = true;
    expect(await h.run(() => h.mesos.launchesInFlight > 0, 2000)).to.equal(true);
    h.mesos.holdLaunches = false;
  }, after: (h) => h.mesos.releaseLaunches() },
  { name: 'launched, no status yet', reach: async (h) => {
    h.mesos.autoRun = false;
    expect(await h.run(() => h.mesos.tasks.size > 0, 2000)).to.equal(true);
    h.mesos.autoRun = true;
  } },
  { name: 'starting', reach: async (h) => {
    h.mesos.autoRun = false;
    expect(await h.run(() => h.mesos.tasks.size > 0, 2000)).to.equal(true);
    h.mesos.report(one(h).taskId, 'TASK_STARTING');
    h.mesos.autoRun = true;
    expect(await h.run(() => one(h).state === 'TASK_STARTING', 1000)).to.equal(true);
  } },
  { name: 'running', reach: async (h) => {
    expect(await h.run(() => h.instances()[0]?.state === 'TASK_RUNNING', 2000)).to.equal(true);
  } },
  { name: 'being killed, the kill not answered', reach: async (h) => {
    expect(await h.run(() => h.instances()[0]?.state === 'TASK_RUNNING', 2000)).to.equal(true);
    h.mesos.dropKills = 1;
    h.scheduler.core.kill(one(h), 'test');
    h.mesos.report(one(h).taskId, 'TASK_KILLING');
    expect(await h.run(() => h.instances().some((i) => i.state === 'TASK_KILLING'), 1000)).to.equal(true);
  } },
  { name: 'unreachable (kept by its unreachableStrategy)', reach: async (h) => {
    expect(await h.run(() => h.instances()[0]?.state === 'TASK_RUNNING', 2000)).to.equal(true);
    h.mesos.agentLeft('S1', 'unreachable');
    h.mesos.report(one(h).taskId, 'TASK_UNREACHABLE');
    expect(await h.run(() => one(h).state === 'TASK_UNREACHABLE', 1000)).to.equal(true);
  }, after: (h) => h.mesos.agents.set('S2', 'registered') },
  { name: 'on an agent that went away', reach: async (h) => {
    expect(await h.run(() => h.instances()[0]?.state === 'TASK_RUNNING', 2000)).to.equal(true);
    h.mesos.agentLeft('S1', 'gone');
  } },
  { name: 'launched, but the master never got the LAUNCH', reach: async (h) => {
    h.mesos.loseNextLaunch = true;
    expect(await h.run(() => h.mesos.calls.some((c) => c.startsWith('LAUNCH')), 2000)).to.equal(true);
  } },
  { name: 'running on an agent that drops the first kill', reach: async (h) => {
    expect(await h.run(() => h.instances()[0]?.state === 'TASK_RUNNING', 2000)).to.equal(true);
    h.mesos.dropKills = 1;
  } },
];

const ACTIONS: Array<{ name: string; start: (h: Harness) => Promise<unknown>; holds: (h: Harness) => boolean }> = [
  {
    name: 'DELETE',
    start: (h) => h.deploy((root) => ({ groups: root.groups, apps: root.apps.filter((a) => a.id !== '/web') })),
    holds: (h) => h.instances().length === 0 && h.scheduler.queue.isEmpty,
  },
  {
    name: 'scale to 0',
    start: (h) => h.deploy((root) => ({ groups: root.groups, apps: root.apps.map((a) => ({ ...a, instances: 0 })) })),
    holds: (h) => h.instances().every((i) => i.goal === 'Decommissioned') && h.instances().length === 0,
  },
  {
    name: 'restart',
    start: (h) => h.deploy((root) => root, ['/web']),
    holds: (h) => {
      const version = h.scheduler.root.app('/web')?.version;
      const live = h.instances().filter((i) => i.goal === 'Running');
      return live.length === 1 && live.every((i) => i.version === version && i.state === 'TASK_RUNNING');
    },
  },
];

describe('no deployment waits forever on an instance', function () {
  for (const moment of MOMENTS) {
    for (const action of ACTIONS) {
      it(`${action.name} finishes with the instance ${moment.name}`, async () => {
        const h = await harness();
        try {
          await moment.reach(h);
          await action.start(h);
          moment.after?.(h);
          const finished = await h.run(() => h.finished(), 60_000);
          expect(finished, `deployments left: ${JSON.stringify(h.scheduler.deployments.json(() => [], (id) => h.scheduler.core.awaitedOf(id)))}`).to.equal(true);
          expect(action.holds(h), JSON.stringify(h.instances().map((i) => [i.state, i.goal, i.version]))).to.equal(true);
        } finally {
          await h.stop();
        }
      });
    }
  }
});
