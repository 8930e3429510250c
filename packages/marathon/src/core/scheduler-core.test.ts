import { expect } from 'chai';
import pino from 'pino';
import { ManualClock, type TaskInfo } from '@tepui/protocol';
import { EventBus } from '../events/event-bus';
import { LaunchDelays } from '../queue/launch-delay';
import { app } from '../scheduling/test-fixtures';
import { MemoryStateStore } from '../storage/memory-state-store';
import { MarathonRepository } from '../storage/repository';
import { DeploymentManager } from './deployment-manager';
import { GroupCommit } from './group-commit';
import { InstanceTracker } from './instance-tracker';
import { LaunchQueue } from './launch-queue';
import type { MesosActions } from './mesos-actions';
import { RootGroup } from './root-group';
import { SchedulerCore } from './scheduler-core';

/** Records calls; each call stays in flight until released, to expose reordering. */
class SlowActions implements MesosActions {
  readonly sent: string[] = [];
  private readonly pending: Array<() => void> = [];
  private record(call: string): Promise<void> {
    this.sent.push(call);
    return new Promise((resolve) => this.pending.push(resolve));
  }
  releaseAll(): void {
    for (const r of this.pending.splice(0)) r();
  }
  launch(offerId: string, _tasks: readonly TaskInfo[]): Promise<void> {
    return this.record(`LAUNCH ${offerId}`);
  }
  decline(offerIds: readonly string[], refuseSeconds: number): Promise<void> {
    return this.record(`DECLINE ${offerIds.join(',')} ${refuseSeconds}`);
  }
  kill(taskId: string): Promise<void> {
    return this.record(`KILL ${taskId}`);
  }
  revive(): Promise<void> {
    return this.record('REVIVE');
  }
  suppress(): Promise<void> {
    return this.record('SUPPRESS');
  }
  reconcile(): Promise<void> {
    return this.record('RECONCILE');
  }
}

/** Lets promise chains run: no time passes, the clock is manual. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Answers the calls in flight and moves the clock on until `until` holds. */
async function settle(clock: ManualClock, actions: SlowActions, until: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !until(); i++) {
    actions.releaseAll();
    clock.advance(10);
    await turn();
  }
}

describe('scheduler core: offer interest', () => {
  function setup() {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00.000Z'));
    const store = new MemoryStateStore();
    const repository = new MarathonRepository(store);
    const root = new RootGroup(repository, store);
    const tracker = new InstanceTracker(new GroupCommit(store));
    const queue = new LaunchQueue();
    const actions = new SlowActions();
    const log = pino({ level: 'silent' });
    let core!: SchedulerCore;
    const deployments = new DeploymentManager(repository, new EventBus(clock), log, (id) => core.changed(id));
    core = new SchedulerCore({
      clock, log, root, tracker, queue, delays: new LaunchDelays(), deployments: () => deployments, actions: () => actions,
      config: { launchConfirmTimeoutMs: 300_000, killRetryMs: 10_000, minReviveIntervalMs: 0 },
    });
    return { clock, root, queue, actions, core };
  }

  it('sends SUPPRESS and REVIVE in the order decided, one after the other', async () => {
    const { clock, root, actions, core } = setup();
    core.resetOfferInterest(); // nothing waits: SUPPRESS, left in flight
    await root.commit({ apps: [app({ id: '/web', instances: 2, version: '2026-01-01T00:00:00.000Z' })], groups: [] }, '2026-01-01T00:00:00.000Z');
    core.changed('/web');
    for (let i = 0; i < 5; i++) {
      clock.advance(10);
      await turn();
    }
    expect(actions.sent, 'REVIVE waits for SUPPRESS to be answered').to.deep.equal(['SUPPRESS']);
    await settle(clock, actions, () => actions.sent.length >= 2);
    expect(actions.sent).to.deep.equal(['SUPPRESS', 'REVIVE']);
    core.stop();
  });

  it('declines offers seen before a later REVIVE without a filter, and others with it', async () => {
    const { clock, root, actions, core } = setup();
    const before = core.offersSeen();
    await root.commit({ apps: [app({ id: '/web', instances: 1, version: '2026-01-01T00:00:00.000Z' })], groups: [] }, '2026-01-01T00:00:00.000Z');
    core.resetOfferInterest();
    core.changed('/web');
    await settle(clock, actions, () => actions.sent.includes('REVIVE'));
    core.decline(['O1'], 120, before);
    core.decline(['O2'], 120, core.offersSeen());
    await settle(clock, actions, () => actions.sent.filter((c) => c.startsWith('DECLINE')).length === 2);
    expect(actions.sent.filter((c) => c.startsWith('DECLINE'))).to.deep.equal(['DECLINE O1 0', 'DECLINE O2 120']);
    core.stop();
  });
});
