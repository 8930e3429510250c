import { expect } from 'chai';
import { applyCheckOutcome, firstCheckDelayMs, healthCheckDefaults, initialHealth, isMarathonSideCheck, type CheckOutcome, type HealthResult } from './health-state';

const options = healthCheckDefaults({ protocol: 'HTTP', gracePeriodSeconds: 10, maxConsecutiveFailures: 2 });
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function run(outcomes: Array<[CheckOutcome, number]>) {
  let r: HealthResult = initialHealth('web.1');
  return outcomes.map(([o, s]) => {
    const d = applyCheckOutcome(r, o, options, T0, T0 + s * 1000);
    r = d.result;
    return { alive: r.alive, failures: r.consecutiveFailures, changed: d.aliveChanged, failed: d.failed, kill: d.kill };
  });
}

const fail = (cause = '500 Internal Server Error'): CheckOutcome => ({ ok: false, cause });
const ok: CheckOutcome = { ok: true };

describe('Marathon-side health state', () => {
  it('has Marathon defaults and knows which checks it runs', () => {
    expect(healthCheckDefaults({})).to.deep.equal({ gracePeriodMs: 300_000, intervalMs: 60_000, timeoutMs: 20_000, maxConsecutiveFailures: 3 });
    expect(firstCheckDelayMs(healthCheckDefaults({}))).to.equal(5000);
    expect(['HTTP', 'HTTPS', 'TCP', 'COMMAND', 'MESOS_HTTP'].map((p) => isMarathonSideCheck({ protocol: p as 'HTTP' }))).to.deep.equal([true, true, true, false, false]);
    expect(isMarathonSideCheck({})).to.equal(true);
  });

  const rows: Array<{ name: string; outcomes: Array<[CheckOutcome, number]>; expect: Array<Record<string, unknown>> }> = [
    { name: 'ignores failures in the grace period before the first success', outcomes: [[fail(), 1], [fail(), 9]], expect: [{ alive: false, failures: 0, changed: false, failed: false, kill: undefined }, { alive: false, failures: 0, changed: false, failed: false, kill: undefined }] },
    { name: 'turns alive on the first success', outcomes: [[ok, 1]], expect: [{ alive: true, failures: 0, changed: true, failed: false, kill: undefined }] },
    { name: 'kills on the (max+1)-th consecutive failure', outcomes: [[ok, 1], [fail(), 2], [fail(), 3], [fail('timeout'), 4]], expect: [
      { alive: true, failures: 0, changed: true, failed: false, kill: undefined },
      { alive: false, failures: 1, changed: true, failed: true, kill: undefined },
      { alive: false, failures: 2, changed: false, failed: true, kill: undefined },
      { alive: false, failures: 3, changed: false, failed: true, kill: 'timeout' },
    ] },
    { name: 'a success resets the count', outcomes: [[fail(), 11], [ok, 12], [fail(), 13]], expect: [
      { alive: false, failures: 1, changed: false, failed: true, kill: undefined },
      { alive: true, failures: 0, changed: true, failed: false, kill: undefined },
      { alive: false, failures: 1, changed: true, failed: true, kill: undefined },
    ] },
    { name: 'leaves state alone for ignored answers (1xx with ignoreHttp1xx)', outcomes: [[ok, 1], [{ ignored: true }, 2]], expect: [{ alive: true, failures: 0, changed: true, failed: false, kill: undefined }, { alive: true, failures: 0, changed: false, failed: false, kill: undefined }] },
  ];
  for (const row of rows) it(row.name, () => expect(run(row.outcomes)).to.deep.equal(row.expect));

  it('never kills when maxConsecutiveFailures is 0', () => {
    const never = healthCheckDefaults({ maxConsecutiveFailures: 0, gracePeriodSeconds: 0 });
    let r = initialHealth('x');
    for (let i = 0; i < 10; i++) {
      const d = applyCheckOutcome(r, fail(), never, T0, T0 + i);
      expect(d.kill).to.equal(undefined);
      r = d.result;
    }
  });

  it('records timestamps and causes in Marathon\'s result shape', () => {
    const first = applyCheckOutcome(initialHealth('web.1'), ok, options, T0, T0 + 1000).result;
    const second = applyCheckOutcome(first, fail('ConnectException: Connection refused'), options, T0, T0 + 2000).result;
    expect(second).to.deep.equal({
      alive: false, consecutiveFailures: 1, firstSuccess: '2026-01-01T00:00:01.000Z', lastSuccess: '2026-01-01T00:00:01.000Z',
      lastFailure: '2026-01-01T00:00:02.000Z', lastFailureCause: 'ConnectException: Connection refused', instanceId: 'web.1',
    });
  });
});
