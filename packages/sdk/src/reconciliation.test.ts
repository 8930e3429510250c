import { expect } from 'chai';
import { ManualClock, type TaskStatus } from '@tepui/protocol';
import type { ReconcileTask } from './calls';
import { ReconciliationRound, TaskReconciler } from './reconciliation';

const status = (taskId: string, extra: Partial<TaskStatus> = {}): TaskStatus => ({ task_id: { value: taskId }, state: 'TASK_RUNNING', ...extra });

class RecordingDriver {
  readonly requests: string[][] = [];
  reconcile(tasks: readonly ReconcileTask[]): Promise<void> {
    this.requests.push(tasks.map((t) => (typeof t.task_id === 'string' ? t.task_id : t.task_id.value)));
    return Promise.resolve();
  }
}

describe('ReconciliationRound', () => {
  const start = 1_700_000_000_000;
  const cases = [
    { name: 'a reconciliation answer settles the task', status: status('t1', { reason: 'REASON_RECONCILIATION', timestamp: 1 }), settles: true },
    { name: 'an update stamped after the start settles it', status: status('t1', { timestamp: start / 1000 + 1 }), settles: true },
    { name: 'an update without timestamp settles it', status: status('t1'), settles: true },
    { name: 'an older update (an agent retry) does not', status: status('t1', { timestamp: start / 1000 - 5 }), settles: false },
    { name: 'an update for another task does not', status: status('t9'), settles: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const round = new ReconciliationRound([{ taskId: 't1', agentId: 'a1' }, { taskId: 't2' }], start);
      expect(round.observe(c.status)).to.equal(c.settles);
      expect(round.outstanding).to.deep.equal(c.settles ? ['t2'] : ['t1', 't2']);
    });
  }

  it('asks for what is outstanding with truncated exponential backoff', () => {
    const round = new ReconciliationRound([{ taskId: 't1', agentId: 'a1' }], start, { initialMs: 1000, maxMs: 4000, jitter: 0 });
    const delays = [1, 2, 3, 4].map(() => round.nextRequest()?.retryInMs);
    expect(delays).to.deep.equal([1000, 2000, 4000, 4000]);
    expect(round.nextRequest()?.tasks).to.deep.equal([{ task_id: { value: 't1' }, agent_id: { value: 'a1' } }]);
    round.observe(status('t1'));
    expect(round.nextRequest()).to.equal(undefined);
  });
});

describe('TaskReconciler', () => {
  it('re-asks for unanswered tasks until each has answered, then stops', async () => {
    const clock = new ManualClock();
    const driver = new RecordingDriver();
    const reconciler = new TaskReconciler(driver, { clock, backoff: { initialMs: 1000, maxMs: 60_000 } });
    reconciler.start([{ taskId: 't1' }, { taskId: 't2' }]);
    expect(driver.requests).to.deep.equal([['t1', 't2']]);
    reconciler.observe(status('t1', { reason: 'REASON_RECONCILIATION' }));
    clock.advance(1000);
    expect(driver.requests).to.deep.equal([['t1', 't2'], ['t2']]);
    clock.advance(1999);
    expect(driver.requests).to.have.length(2);
    clock.advance(1);
    expect(driver.requests).to.have.length(3);
    const settled = reconciler.settled();
    reconciler.observe(status('t2', { reason: 'REASON_RECONCILIATION' }));
    await settled;
    clock.advance(600_000);
    expect(driver.requests).to.have.length(3);
    expect(clock.pendingTimers).to.equal(0);
  });

  it('a new round (after re-subscribing) replaces the old one', () => {
    const clock = new ManualClock();
    const driver = new RecordingDriver();
    const reconciler = new TaskReconciler(driver, { clock });
    reconciler.start([{ taskId: 't1' }]);
    reconciler.start([{ taskId: 't3' }]);
    clock.advance(1000);
    expect(driver.requests).to.deep.equal([['t1'], ['t3'], ['t3']]);
    reconciler.stop();
  });

  it('reconciles implicitly on its period', () => {
    const clock = new ManualClock();
    const driver = new RecordingDriver();
    const reconciler = new TaskReconciler(driver, { clock, implicitIntervalMs: 15 * 60_000 });
    reconciler.start([]);
    expect(driver.requests).to.deep.equal([]);
    clock.advance(30 * 60_000);
    expect(driver.requests).to.deep.equal([[], []]);
    reconciler.stop();
    clock.advance(30 * 60_000);
    expect(driver.requests).to.have.length(2);
  });
});
