import { expect } from 'chai';
import { LaunchDelays } from './launch-delay';

const backoff = { backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300 };
const web = { id: '/web', version: '2026-01-03T00:00:00.000Z', versionInfo: { lastConfigChangeAt: '2026-01-01T00:00:00.000Z' }, ...backoff };

describe('launch delays (backoff)', () => {
  it('grows 1, 1.15, 1.32, 1.52 … seconds on repeated failures and caps at maxLaunchDelaySeconds', () => {
    const d = new LaunchDelays();
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      d.onTaskState(web, 'TASK_FAILED', 0);
      seen.push(Math.round(d.get(web)!.delayMs) / 1000);
    }
    expect(seen).to.deep.equal([1, 1.15, 1.323, 1.521]);
    for (let i = 0; i < 60; i++) d.onTaskState(web, 'TASK_FAILED', 0);
    expect(d.get(web)!.delayMs).to.equal(300_000);
  });

  it('ignores TASK_KILLED and moves the reference on progress', () => {
    const d = new LaunchDelays();
    d.onTaskState(web, 'TASK_KILLED', 0);
    expect(d.get(web)).to.equal(undefined);
    d.onTaskState(web, 'TASK_FAILED', 1000);
    expect(d.launchableAt(web)).to.equal(2000);
    d.onTaskState(web, 'TASK_RUNNING', 5000);
    expect(d.get(web)).to.deep.equal({ delayMs: 1000, referenceAt: 5000 });
  });

  it('keys delays by lastConfigChangeAt: a scale keeps the delay, a config change starts fresh', () => {
    const d = new LaunchDelays();
    d.onTaskState(web, 'TASK_FAILED', 0);
    const scaled = { ...web, version: '2026-01-04T00:00:00.000Z' };
    expect(d.launchableAt(scaled)).to.equal(1000);
    const changed = { ...web, version: '2026-02-01T00:00:00.000Z', versionInfo: { lastConfigChangeAt: '2026-02-01T00:00:00.000Z' } };
    expect(d.launchableAt(changed)).to.equal(Number.NEGATIVE_INFINITY);
    // Without versionInfo (a definition not deployed yet) the version is the configuration.
    expect(d.launchableAt({ id: '/web', version: '2026-01-01T00:00:00.000Z' })).to.equal(1000);
  });

  it('resets per app, even for app ids that are prefixes of others, and expires quiet delays per app', () => {
    const d = new LaunchDelays();
    const webish = { ...web, id: '/web2' };
    d.onTaskState(web, 'TASK_FAILED', 0);
    d.onTaskState(webish, 'TASK_FAILED', 0);
    expect(d.queueDelay(web, 400)).to.deep.equal({ timeLeftSeconds: 1, overdue: false });
    expect(d.queueDelay(web, 1000)).to.deep.equal({ timeLeftSeconds: 0, overdue: true });
    d.reset('/web');
    expect(d.get(web)).to.equal(undefined);
    expect(d.get(webish)).to.not.equal(undefined);
    const limits: Record<string, number> = { '/web2': 300_000 };
    d.expire(299_999, (appId) => limits[appId] ?? 0);
    expect(d.get(webish)).to.not.equal(undefined);
    d.expire(300_000, (appId) => limits[appId] ?? 0);
    expect(d.get(webish)).to.equal(undefined);
  });
});
