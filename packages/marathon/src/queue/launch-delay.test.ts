import { expect } from 'chai';
import { LaunchDelays, delayKey } from './launch-delay';

const defaults = { backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300 };
const key = delayKey('/web', '2026-01-01T00:00:00.000Z');

describe('launch delays (backoff)', () => {
  it('grows 1, 1.15, 1.32, 1.52 … seconds on repeated failures and caps at maxLaunchDelaySeconds', () => {
    const d = new LaunchDelays();
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      d.onTaskState(key, defaults, 'TASK_FAILED', 0);
      seen.push(Math.round(d.get(key)!.delayMs) / 1000);
    }
    expect(seen).to.deep.equal([1, 1.15, 1.323, 1.521]);
    for (let i = 0; i < 60; i++) d.onTaskState(key, defaults, 'TASK_FAILED', 0);
    expect(d.get(key)!.delayMs).to.equal(300_000);
  });

  it('ignores TASK_KILLED and moves the reference on progress', () => {
    const d = new LaunchDelays();
    d.onTaskState(key, defaults, 'TASK_KILLED', 0);
    expect(d.get(key)).to.equal(undefined);
    d.onTaskState(key, defaults, 'TASK_FAILED', 1000);
    expect(d.launchableAt(key)).to.equal(2000);
    d.onTaskState(key, defaults, 'TASK_RUNNING', 5000);
    expect(d.get(key)).to.deep.equal({ delayMs: 1000, referenceAt: 5000 });
  });

  it('keys delays by config version, resets per app, and expires quiet delays', () => {
    const d = new LaunchDelays();
    const other = delayKey('/web', '2026-02-01T00:00:00.000Z');
    d.onTaskState(key, defaults, 'TASK_FAILED', 0);
    expect(d.launchableAt(other)).to.equal(Number.NEGATIVE_INFINITY);
    expect(d.queueDelay(key, 400)).to.deep.equal({ timeLeftSeconds: 1, overdue: false });
    expect(d.queueDelay(key, 1000)).to.deep.equal({ timeLeftSeconds: 0, overdue: true });
    d.expire(299_999, () => 300_000);
    expect(d.get(key)).to.not.equal(undefined);
    d.expire(300_000, () => 300_000);
    expect(d.get(key)).to.equal(undefined);
    d.onTaskState(key, defaults, 'TASK_FAILED', 0);
    d.reset('/web');
    expect(d.get(key)).to.equal(undefined);
  });
});
