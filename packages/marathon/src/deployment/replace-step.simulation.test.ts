// Drives replaceStep the way the app controller does — decide, apply, wait for one thing to
// happen, decide again — through random event orders, and checks §4.2's safety properties after
// every decision and that a restart always finishes once nothing fails any more.
import { expect } from 'chai';
import { seededRandom } from '@tepui/protocol';
import { replaceLimits, replaceStep, type ReplaceInstance, type ReplaceSnapshot } from './replace-step';

type Random = () => number;
const pick = <T>(random: Random, xs: readonly T[]): T | undefined => xs[Math.floor(random() * xs.length)];
const FRACTIONS = [0, 0.25, 0.5, 0.75, 1, 1 / 3];

interface Run {
  readonly label: string;
  readonly base: Omit<ReplaceSnapshot, 'oldInstances' | 'newInstances'>;
  old: ReplaceInstance[];
  fresh: ReplaceInstance[];
  /** New instances that may still fail; once 0 the restart must finish. */
  failures: number;
}

function randomRun(random: Random, n: number): Run {
  const strategy = { minimumHealthCapacity: pick(random, FRACTIONS) ?? 1, maximumOverCapacity: pick(random, FRACTIONS) ?? 1 };
  const resident = random() < 0.2;
  // Usually N old instances, all healthy; sometimes more or fewer, some of them unhealthy.
  const odd = random() < 0.3;
  const oldCount = odd ? Math.max(0, n + Math.floor(random() * 5) - 2) : n;
  const old = Array.from({ length: oldCount }, (_, i): ReplaceInstance => {
    // An old instance that is unhealthy here stays so: its checks report it failing.
    const healthy = !odd || random() < 0.8;
    return { id: `o${i}`, healthy, failing: !healthy, phase: 'active', startedAt: i };
  });
  const failures = random() < 0.5 ? Math.floor(random() * 4) : 0;
  return { label: `n=${n} ${JSON.stringify(strategy)} resident=${resident} old=${oldCount} failures=${failures}`, base: { targetInstances: n, strategy, resident }, old, fresh: [], failures };
}

const healthyCount = (r: Run): number => [...r.old, ...r.fresh].filter((i) => i.phase === 'active' && i.healthy).length;
const liveCount = (r: Run): number => r.old.length + r.fresh.length;
const snapshotOf = (r: Run): ReplaceSnapshot => ({ ...r.base, oldInstances: r.old, newInstances: r.fresh });

/** One thing happens: a killed old instance ends, a new one becomes healthy, or (while allowed) a new one fails. */
function nextEvent(r: Run, random: Random): boolean {
  const ending = r.old.filter((i) => i.phase === 'killing');
  const starting = r.fresh.filter((i) => !i.healthy);
  const events: Array<() => void> = [];
  if (ending.length > 0) events.push(() => (r.old = r.old.filter((i) => i !== pick(random, ending))));
  if (starting.length > 0) {
    events.push(() => {
      const up = pick(random, starting);
      r.fresh = r.fresh.map((i) => (i === up ? { ...i, healthy: true } : i));
    });
  }
  if (r.failures > 0 && r.fresh.length > 0) {
    events.push(() => {
      r.failures -= 1;
      const failed = pick(random, r.fresh);
      r.fresh = r.fresh.filter((i) => i !== failed);
    });
  }
  const event = pick(random, events);
  event?.();
  return event !== undefined;
}

describe('rolling restart simulation (replaceStep)', () => {
  it('never kills below minimum health, never launches above capacity, and always finishes', () => {
    const random = seededRandom(20260101);
    let decisions = 0;
    for (let run = 0; run < 2000; run++) {
      const r = randomRun(random, Math.floor(random() * 9));
      const { minHealthy } = replaceLimits(r.base, 0);
      let ceiling = replaceLimits(r.base, 0).maxCapacity;
      if (minHealthy === ceiling && !r.base.resident) ceiling += 1;
      const startedHealthy = healthyCount(r) >= minHealthy;
      let launched = 0;
      let done = false;
      for (let step = 0; step < 2000 && !done; step++) {
        const d = replaceStep(snapshotOf(r));
        decisions += 1;
        const where = `${r.label}, decision ${step}`;
        expect(replaceStep(snapshotOf(r)), `${where}: repeatable`).to.deep.equal(d);
        const activeOld = new Set(r.old.filter((i) => i.phase === 'active').map((i) => i.id));
        expect(d.killOld.every((id) => activeOld.has(id)) && new Set(d.killOld).size === d.killOld.length, `${where}: kills active old ones once`).to.equal(true);

        const healthyBefore = healthyCount(r);
        r.old = r.old.map((i) => (d.killOld.includes(i.id) ? { ...i, phase: 'killing' } : i));
        for (let k = 0; k < d.launch; k++) r.fresh.push({ id: `n${launched++}`, healthy: false, phase: 'active', startedAt: 1000 + launched });

        const dip = r.base.resident ? 1 : 0;
        expect(healthyCount(r), `${where}: healthy`).to.be.at.least(Math.min(minHealthy, healthyBefore) - dip);
        if (startedHealthy && !r.base.resident && launched === r.fresh.length) expect(healthyCount(r), `${where}: healthy ≥ minHealthy`).to.be.at.least(minHealthy);
        if (d.launch > 0) expect(liveCount(r), `${where}: capacity`).to.be.at.most(ceiling);
        expect(r.fresh.filter((i) => i.phase === 'active').length, `${where}: never more than N new`).to.be.at.most(r.base.targetInstances);

        done = d.done;
        if (!done) expect(nextEvent(r, random), `${where}: stuck with nothing to wait for`).to.equal(true);
      }
      expect(done, `${r.label}: finished`).to.equal(true);
      expect(r.old, `${r.label}: no old instance left`).to.deep.equal([]);
      expect(r.fresh.filter((i) => i.healthy).length, `${r.label}: N healthy new`).to.equal(r.base.targetInstances);
    }
    expect(decisions).to.be.greaterThan(10000);
  });
});
