import { expect } from 'chai';
import { ManualClock } from '@tepui/protocol';
import type { Instance } from '../instances/instance';
import { app } from '../scheduling/test-fixtures';
import { ReadinessTracker, type ReadinessProbe } from './readiness-tracker';

const instance: Instance = {
  instanceId: 'shop_web.instance-1', appId: '/shop/web', version: 'v1', taskId: 'shop_web.instance-1._app.1', agentId: 'S1', host: 'h1',
  state: 'TASK_RUNNING', stagedAt: '2026-01-01T00:00:00.000Z', ports: [31005], ipAddresses: [], healthCheckResults: [], role: '*', goal: 'Running',
  placement: { agentId: 'S1', hostname: 'h1', attributes: [] },
};
const checked = app({
  portDefinitions: [{ port: 10000, protocol: 'tcp', name: 'http' }],
  readinessChecks: [{ name: 'ready', protocol: 'HTTP', path: '/ready', portName: 'http', intervalSeconds: 1, timeoutSeconds: 1, httpStatusCodesForReady: [200], preserveLastResponse: true }],
});

/** Lets the probe's promise chain run (no time passes: the clock is manual). */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('readiness tracker', () => {
  it('probes the named port until a ready status, then reports the app changed', async () => {
    const answers = [503, 200];
    const asked: Array<[string, number]> = [];
    const probe: ReadinessProbe = async (_check, host, port) => {
      asked.push([host, port]);
      return { status: answers.shift() ?? 200, contentType: 'text/plain', body: 'x' };
    };
    const changed: string[] = [];
    const clock = new ManualClock();
    const tracker = new ReadinessTracker(clock, (id) => changed.push(id), probe);
    tracker.watch(instance, checked);
    await settled();
    expect(tracker.ready(instance.instanceId)).to.equal(false);
    expect(tracker.resultsOf([instance])).to.deep.equal([{ name: 'ready', taskId: instance.taskId, ready: false, lastResponse: { status: 503, contentType: 'text/plain', body: 'x' } }]);
    clock.advance(999);
    await settled();
    expect(tracker.ready(instance.instanceId), 'asked again before intervalSeconds').to.equal(false);
    expect(asked).to.have.length(1);
    clock.advance(1);
    await settled();
    expect(tracker.ready(instance.instanceId)).to.equal(true);
    expect(changed).to.deep.equal(['/shop/web']);
    expect(asked).to.deep.equal([['h1', 31005], ['h1', 31005]]);
    tracker.stop();
  });

  it('counts instances it never checked as ready, and forgets unwatched ones', () => {
    const tracker = new ReadinessTracker(new ManualClock(), () => undefined, async () => undefined);
    expect(tracker.ready('unknown')).to.equal(true);
    tracker.watch(instance, checked);
    expect(tracker.ready(instance.instanceId)).to.equal(false);
    tracker.unwatch(instance.instanceId);
    expect(tracker.resultsOf([instance])).to.deep.equal([]);
    tracker.stop();
  });
});
