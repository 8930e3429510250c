import { expect } from 'chai';
import { ManualClock, type AppHealthCheck } from '@tepui/protocol';
import { EventBus } from '../events/event-bus';
import type { Instance } from '../instances/instance';
import { app } from '../scheduling/test-fixtures';
import { HealthManager } from './health-manager';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('health manager', () => {
  it('checks every intervalSeconds of the clock, and kills after maxConsecutiveFailures', async () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:10:00.000Z'));
    const instance: Instance = {
      instanceId: 'web.instance-1', appId: '/web', version: 'v1', taskId: 'web.instance-1._app.1', agentId: 'S1', host: 'h1', state: 'TASK_RUNNING',
      stagedAt: '2026-01-01T00:00:00.000Z', startedAt: '2026-01-01T00:00:00.000Z', ports: [31000], ipAddresses: [], healthCheckResults: [],
      role: '*', goal: 'Running', placement: { agentId: 'S1', hostname: 'h1', attributes: [] },
    };
    const check: AppHealthCheck = { protocol: 'HTTP', portIndex: 0, path: '/', intervalSeconds: 10, timeoutSeconds: 2, gracePeriodSeconds: 0, maxConsecutiveFailures: 2 };
    const checkedAt: number[] = [];
    const killed: string[] = [];
    const health = new HealthManager({
      clock, bus: new EventBus(clock), instance: () => instance, changed: () => undefined,
      kill: (i, reason) => killed.push(`${i.instanceId}: ${reason}`),
      run: async () => {
        checkedAt.push(clock.now());
        return { ok: false, cause: 'HTTP 503' };
      },
    });
    health.watch(instance, app({ id: '/web', healthChecks: [check] }));
    const start = clock.now();
    for (let s = 0; s < 40; s++) {
      clock.advance(1000);
      await turn();
    }
    // First check after min(interval, 5 s), then every 10 s; the third failure (two in a row already) kills.
    expect(checkedAt.map((t) => (t - start) / 1000)).to.deep.equal([5, 15, 25]);
    expect(killed).to.deep.equal(['web.instance-1: HTTP 503']);
    expect(instance.healthCheckResults[0]).to.include({ alive: false, consecutiveFailures: 3 });
    health.stop();
  });
});
