import { expect } from 'chai';
import { INITIAL_HEALTH, decideHealth, healthCheckOptions, type HealthState } from './health-policy';

const options = healthCheckOptions({ type: 'COMMAND', grace_period_seconds: 10, consecutive_failures: 3 });

function run(results: Array<[boolean, number]>): Array<{ report?: boolean; kill: boolean }> {
  let state: HealthState = INITIAL_HEALTH;
  return results.map(([ok, at]) => {
    const d = decideHealth(state, ok, options, 0, at);
    state = d.state;
    return { report: d.report, kill: d.kill };
  });
}

describe('health policy', () => {
  it('fills in Mesos defaults', () => {
    expect(healthCheckOptions({})).to.deep.equal({ delayMs: 15_000, intervalMs: 10_000, timeoutMs: 20_000, consecutiveFailures: 3, gracePeriodMs: 10_000 });
  });

  const rows: Array<{ name: string; results: Array<[boolean, number]>; expect: Array<{ report?: boolean; kill: boolean }> }> = [
    { name: 'reports healthy once, then stays quiet', results: [[true, 1000], [true, 2000]], expect: [{ report: true, kill: false }, { report: undefined, kill: false }] },
    { name: 'ignores failures in the grace period before the first success', results: [[false, 1000], [false, 9000]], expect: [{ report: undefined, kill: false }, { report: undefined, kill: false }] },
    { name: 'counts failures after the grace period and kills at the limit', results: [[false, 11_000], [false, 12_000], [false, 13_000]], expect: [{ report: false, kill: false }, { report: undefined, kill: false }, { report: undefined, kill: true }] },
    { name: 'counts failures inside the grace period once a check has succeeded', results: [[true, 1000], [false, 2000], [false, 3000], [false, 4000]], expect: [{ report: true, kill: false }, { report: false, kill: false }, { report: undefined, kill: false }, { report: undefined, kill: true }] },
    { name: 'a success resets the consecutive count', results: [[false, 11_000], [false, 12_000], [true, 13_000], [false, 14_000], [false, 15_000]], expect: [{ report: false, kill: false }, { report: undefined, kill: false }, { report: true, kill: false }, { report: false, kill: false }, { report: undefined, kill: false }] },
  ];
  for (const row of rows) it(row.name, () => expect(run(row.results)).to.deep.equal(row.expect));
});
