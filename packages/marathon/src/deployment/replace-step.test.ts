import { expect } from 'chai';
import { seeded } from '../scheduling/test-fixtures';
import { replaceStep, type ReplaceInstance, type ReplaceSnapshot } from './replace-step';

const live = (n: number, prefix: string, healthy = true): ReplaceInstance[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, healthy, phase: 'active', startedAt: i }));

function first(min: number, over: number): { kill: number; launch: number } {
  const d = replaceStep({ targetInstances: 4, strategy: { minimumHealthCapacity: min, maximumOverCapacity: over }, resident: false, oldInstances: live(4, 'o'), newInstances: [] });
  return { kill: d.killOld.length, launch: d.launch };
}

describe('rolling restart decisions (replaceStep)', () => {
  it('takes the first actions of Marathon’s table for N = 4, all healthy', () => {
    expect(first(1, 1)).to.deep.equal({ kill: 0, launch: 4 });
    expect(first(1, 0)).to.deep.equal({ kill: 0, launch: 1 });
    expect(first(0.5, 0)).to.deep.equal({ kill: 2, launch: 0 });
    expect(first(0, 0)).to.deep.equal({ kill: 4, launch: 0 });
    expect(first(0.5, 0.5)).to.deep.equal({ kill: 2, launch: 2 });
  });

  it('kills unhealthy old instances first', () => {
    const old = [...live(2, 'ok'), ...live(2, 'sick', false)];
    const d = replaceStep({ targetInstances: 4, strategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 }, resident: false, oldInstances: old, newInstances: [] });
    expect(d.killOld.slice(0, 2).sort()).to.deep.equal(['sick0', 'sick1']);
  });

  it('is done only when N new instances are healthy and no old one is left', () => {
    const s: ReplaceSnapshot = { targetInstances: 2, strategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 }, resident: false, oldInstances: [], newInstances: live(2, 'n') };
    expect(replaceStep(s).done).to.equal(true);
    expect(replaceStep({ ...s, oldInstances: [{ id: 'o', healthy: true, phase: 'killing', startedAt: 0 }] }).done).to.equal(false);
    expect(replaceStep({ ...s, newInstances: live(2, 'n', false) }).done).to.equal(false);
  });

  it('keeps healthy capacity and the capacity ceiling through random event orders, and always finishes', () => {
    const random = seeded(7);
    for (let run = 0; run < 400; run++) {
      const n = 1 + Math.floor(random() * 6);
      const strategy = { minimumHealthCapacity: Math.round(random() * 4) / 4, maximumOverCapacity: Math.round(random() * 4) / 4 };
      const minHealthy = Math.ceil(n * strategy.minimumHealthCapacity);
      let ceiling = Math.floor(n * (1 + strategy.maximumOverCapacity));
      if (minHealthy === ceiling) ceiling += 1;
      let old: ReplaceInstance[] = live(n, 'o');
      let fresh: ReplaceInstance[] = [];
      let nextId = 0;
      for (let step = 0; step < 500; step++) {
        const d = replaceStep({ targetInstances: n, strategy, resident: false, oldInstances: old, newInstances: fresh });
        old = old.map((i) => (d.killOld.includes(i.id) ? { ...i, phase: 'killing' as const } : i));
        for (let k = 0; k < d.launch; k++) fresh.push({ id: `n${nextId++}`, healthy: false, phase: 'active', startedAt: 100 + nextId });
        const healthyNow = [...old, ...fresh].filter((i) => i.phase === 'active' && i.healthy).length;
        expect(healthyNow, `run ${run}: healthy`).to.be.at.least(minHealthy);
        expect(old.length + fresh.length, `run ${run}: live`).to.be.at.most(ceiling);
        if (d.done) break;
        // One random thing happens: a killed old instance ends, or a new one becomes healthy.
        const killing = old.filter((i) => i.phase === 'killing');
        const starting = fresh.filter((i) => !i.healthy);
        if (killing.length > 0 && (starting.length === 0 || random() < 0.5)) old = old.filter((i) => i !== killing[0]);
        else if (starting.length > 0) fresh = fresh.map((i) => (i === starting[0] ? { ...i, healthy: true } : i));
        else expect.fail(`run ${run}: stuck with nothing to wait for (n=${n}, ${JSON.stringify(strategy)})`);
      }
      expect(replaceStep({ targetInstances: n, strategy, resident: false, oldInstances: old, newInstances: fresh }).done, `run ${run} finished`).to.equal(true);
    }
  });
});
