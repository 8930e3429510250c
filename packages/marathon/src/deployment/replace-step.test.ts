import { expect } from 'chai';
import { replaceLimits, replaceStep, type ReplaceInstance, type ReplaceSnapshot } from './replace-step';

const live = (n: number, prefix: string, healthy = true, startedAt = 0): ReplaceInstance[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, healthy, phase: 'active', startedAt: startedAt + i }));
const strategy = (minimumHealthCapacity: number, maximumOverCapacity: number): ReplaceSnapshot['strategy'] => ({ minimumHealthCapacity, maximumOverCapacity });
const snapshot = (over: Partial<ReplaceSnapshot> = {}): ReplaceSnapshot =>
  ({ targetInstances: 4, strategy: strategy(1, 1), resident: false, oldInstances: live(4, 'o'), newInstances: [], ...over });
const killing = (i: ReplaceInstance): ReplaceInstance => ({ ...i, phase: 'killing' });

describe('rolling restart decisions (replaceStep)', () => {
  // Reference §4.2, N = 4 and H = 4: [min, over] → minHealthy, maxCapacity, kill first, launch first.
  const table: Array<[number, number, number, number, number, number]> = [
    [1, 1, 4, 8, 0, 4],
    [1, 0, 4, 5, 0, 1],
    [0.5, 0, 2, 4, 2, 0],
    [0, 0, 0, 4, 4, 0],
    [0.5, 0.5, 2, 6, 2, 2],
  ];
  for (const [min, over, minHealthy, maxCapacity, kill, launch] of table) {
    it(`takes the first actions of Marathon’s table for {${min}, ${over}}: kill ${kill}, launch ${launch}`, () => {
      const s = snapshot({ strategy: strategy(min, over) });
      const limits = replaceLimits(s, 4);
      expect([limits.minHealthy, limits.maxCapacity]).to.deep.equal([minHealthy, maxCapacity]);
      const d = replaceStep(s);
      expect({ kill: d.killOld.length, launch: d.launch, done: d.done }).to.deep.equal({ kill, launch, done: false });
    });
  }

  it('lets a resident app dip one below minimum health instead of going one above capacity', () => {
    const s = snapshot({ strategy: strategy(1, 0), resident: true });
    expect(replaceLimits(s, 4)).to.deep.equal({ minHealthy: 4, maxCapacity: 4, extraKill: 1 });
    expect(replaceStep(s)).to.deep.equal({ killOld: ['o0'], launch: 0, done: false });
  });

  it('does not add the extra instance when healthy capacity is below the limit anyway', () => {
    expect(replaceLimits(snapshot({ strategy: strategy(1, 0) }), 3).maxCapacity).to.equal(4);
  });

  it('kills every unhealthy old instance first, then healthy ones oldest first', () => {
    const old = [...live(3, 'ok', true, 10), ...live(2, 'sick', false, 20).map((i) => ({ ...i, failing: true }))];
    const d = replaceStep(snapshot({ strategy: strategy(0.5, 0), oldInstances: old }));
    expect(d.killOld).to.deep.equal(['sick0', 'sick1', 'ok0']);
  });

  it('kills the leftovers when more old instances run than the target (a forced deploy cut in)', () => {
    expect(replaceStep(snapshot({ targetInstances: 2, oldInstances: live(5, 'o') }))).to.deep.equal({ killOld: ['o0', 'o1', 'o2'], launch: 0, done: false });
  });

  it('counts instances being killed against capacity until they have ended', () => {
    const old = live(4, 'o').map((i, n) => (n < 2 ? killing(i) : i));
    const s = snapshot({ strategy: strategy(0.5, 0), oldInstances: old });
    expect(replaceStep(s)).to.deep.equal({ killOld: [], launch: 0, done: false });
    expect(replaceStep({ ...s, oldInstances: old.slice(1) }).launch).to.equal(1);
  });

  it('is idempotent: the same snapshot gives the same decision, and instances being killed are not named again', () => {
    const s = snapshot({ strategy: strategy(0.5, 0.5) });
    const d = replaceStep(s);
    expect(replaceStep(s)).to.deep.equal(d);
    const after = replaceStep({ ...s, oldInstances: s.oldInstances.map((i) => (d.killOld.includes(i.id) ? killing(i) : i)), newInstances: live(d.launch, 'n', false, 100) });
    expect(after).to.deep.equal({ killOld: [], launch: 0, done: false });
  });

  it('kills one old instance for each new one that becomes healthy (default strategy)', () => {
    const fresh = live(4, 'n', false, 100);
    expect(replaceStep(snapshot({ newInstances: fresh })).killOld).to.deep.equal([]);
    expect(replaceStep(snapshot({ newInstances: fresh.map((i, n) => ({ ...i, healthy: n < 1 })) })).killOld).to.deep.equal(['o0']);
  });

  it('relaunches for a failed new instance once it has ended, not while it still holds its slot', () => {
    const fresh = live(4, 'n', false, 100);
    expect(replaceStep(snapshot({ newInstances: fresh.slice(1) })).launch).to.equal(1);
    expect(replaceStep(snapshot({ newInstances: fresh.map((i, n) => (n === 0 ? killing(i) : i)) })).launch).to.equal(0);
  });

  it('is done only when N new instances are healthy and no old one is left, not even one being killed', () => {
    const s = snapshot({ targetInstances: 2, oldInstances: [], newInstances: live(2, 'n') });
    expect(replaceStep(s)).to.deep.equal({ killOld: [], launch: 0, done: true });
    expect(replaceStep({ ...s, oldInstances: live(1, 'o').map(killing) }).done).to.equal(false);
    expect(replaceStep({ ...s, newInstances: live(2, 'n', false) }).done).to.equal(false);
    expect(replaceStep({ ...s, newInstances: live(1, 'n') }).done).to.equal(false);
  });

  it('with a target of 0 kills every old instance and is done once they have ended', () => {
    expect(replaceStep(snapshot({ targetInstances: 0 }))).to.deep.equal({ killOld: ['o0', 'o1', 'o2', 'o3'], launch: 0, done: false });
    expect(replaceStep(snapshot({ targetInstances: 0, oldInstances: [] }))).to.deep.equal({ killOld: [], launch: 0, done: true });
  });
});
