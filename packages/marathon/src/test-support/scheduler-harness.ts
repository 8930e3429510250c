// A MarathonScheduler on a manual clock against FakeMesos, with one app `/web` deployed: the
// harness for tests of what the scheduler does at each moment of an instance's life.
import pino from 'pino';
import { ManualClock, seededRandom, type AppDefinition } from '@tepui/protocol';
import { MarathonScheduler } from '../core/marathon-scheduler';
import type { RootState } from '../deployment';
import { app } from '../scheduling/test-fixtures';
import { MemoryStateStore } from '../storage/memory-state-store';
import type { StoreOp } from '../storage/state-store';
import { FakeMesos } from './fake-mesos';

/** A store whose instance writes can be held (an instance stored-but-not-launched), and whose batches can fail. */
export class ControllableStore extends MemoryStateStore {
  holdInstanceWrites = false;
  /** Batches touching a key that starts with this prefix fail, `failures` times. */
  failWrites: { prefix: string; failures: number } | undefined;
  private readonly held: Array<() => void> = [];
  get heldWrites(): number {
    return this.held.length;
  }
  release(): void {
    for (const r of this.held.splice(0)) r();
  }
  override async batch(ops: readonly StoreOp[]): Promise<void> {
    const keys = ops.map((op) => ('put' in op ? op.put : op.delete));
    const fail = this.failWrites;
    if (fail && fail.failures > 0 && keys.some((k) => k.startsWith(fail.prefix))) {
      fail.failures -= 1;
      throw new Error(`injected write failure at ${fail.prefix}`);
    }
    if (this.holdInstanceWrites && ops.some((op) => 'put' in op && op.put.startsWith('/instances/'))) await new Promise<void>((r) => this.held.push(r));
    return super.batch(ops);
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function harness(appOverrides: Partial<AppDefinition> = {}) {
  const clock = new ManualClock(Date.parse('2026-06-01T00:00:00.000Z'));
  const store = new ControllableStore();
  const scheduler = await MarathonScheduler.open({
    role: '*', declineOfferSeconds: 5, maxInstancesPerOffer: 10, launchConfirmTimeoutMs: 300_000, minReviveIntervalMs: 0,
    reconciliationInitialDelayMs: 3_600_000, reconciliationIntervalMs: 3_600_000, servicePorts: { min: 10000, max: 20000 },
  }, { clock, log: pino({ level: 'silent' }), store, random: seededRandom(7) });
  const mesos = new FakeMesos((status) => scheduler.update(status));
  await scheduler.subscribed({ frameworkId: 'F', resubscribed: false, master: 'm:5050' }, mesos);
  let offering = true;
  /** Moves time on in 100 ms steps (offering a whole agent every second while anything waits) until `done`. */
  const run = async (done: () => boolean, maxMs = 60_000): Promise<boolean> => {
    for (let t = 0; t <= maxMs; t += 100) {
      for (let i = 0; i < 4; i++) await turn();
      if (done()) return true;
      if (offering && t % 1000 === 0 && !scheduler.queue.isEmpty) void scheduler.offers([mesos.offer()], async () => undefined);
      clock.advance(100);
    }
    return done();
  };
  const deploy = (change: (root: RootState) => RootState, restart: string[] = []) =>
    scheduler.groups.update((root) => change(root), { force: true, restart });
  const web = app({ id: '/web', instances: 1, portDefinitions: [{ port: 0, protocol: 'tcp', name: 'http' }], unreachableStrategy: { inactiveAfterSeconds: 300, expungeAfterSeconds: 600 }, ...appOverrides });
  await deploy((root) => ({ groups: root.groups, apps: [...root.apps, web] }));
  return {
    clock, store, scheduler, mesos, run, deploy,
    stopOffering: () => { offering = false; },
    startOffering: () => { offering = true; },
    instances: () => scheduler.tracker.ofApp('/web'),
    finished: () => scheduler.deployments.list().length === 0,
    async stop() {
      mesos.releaseLaunches();
      store.release();
      await scheduler.stop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof harness>>;

