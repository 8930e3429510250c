import { expect } from 'chai';
import type { BackendLayout } from '../model/layout';
import type { Endpoint, Service } from '../model/service';
import { planSync, slotCount, type SyncPlan } from './sync-plan';

function endpoint(taskId: string, port: number, draining = false): Endpoint {
  return { taskId, host: 'agent-1', ip: '10.0.0.1', port, draining };
}

function service(backend: string, endpoints: Endpoint[], extra: Partial<Service> = {}): Service {
  return {
    appId: `/${backend}`, portIndex: 0, servicePort: 10000, backend, mode: 'tcp', balance: 'roundrobin', bindAddress: '*', bindOptions: '',
    vhosts: [], backendWeight: 0, sticky: false, redirectToHttps: false, useHsts: false, endpoints, ...extra,
  };
}

// The shape of a layout for the planner: everything but which endpoint fills which slot.
function shapeKey(layout: BackendLayout): string {
  const { endpoints: _endpoints, plannedEndpoints: _planned, ...rest } = layout.service;
  return JSON.stringify({ rest, slots: layout.slots.length });
}

function applied(plan: SyncPlan): Map<string, BackendLayout> {
  return new Map(plan.layouts.map((l) => [l.service.backend, l]));
}

function filled(layout: BackendLayout): Array<string | undefined> {
  return layout.slots.map((s) => s?.taskId);
}

describe('planSync', () => {
  const policy = { minSlots: 4, headroom: 1.5, growth: 1.5 };

  it('reloads for a new backend, with its endpoints in the first slots', () => {
    const plan = planSync(new Map(), [service('web_10000', [endpoint('a', 1), endpoint('b', 2)])], shapeKey, policy);
    expect(plan.reloadReasons).to.deep.equal(['backend web_10000 added']);
    expect(plan.changes).to.deep.equal([]);
    expect(filled(plan.layouts[0]!)).to.deep.equal(['a', 'b', undefined, undefined]);
  });

  it('fills a free slot through the runtime API when a task joins', () => {
    const first = planSync(new Map(), [service('web_10000', [endpoint('a', 1)])], shapeKey, policy);
    const plan = planSync(applied(first), [service('web_10000', [endpoint('a', 1), endpoint('b', 2)])], shapeKey, policy);
    expect(plan.reloadReasons).to.deep.equal([]);
    expect(plan.changes).to.deep.equal([{ kind: 'fill', backend: 'web_10000', slot: 1, endpoint: endpoint('b', 2), checked: false }]);
  });

  it('keeps every other endpoint in its slot when one leaves, and reuses the freed slot', () => {
    const first = planSync(new Map(), [service('web_10000', [endpoint('a', 1), endpoint('b', 2), endpoint('c', 3)])], shapeKey, policy);
    const left = planSync(applied(first), [service('web_10000', [endpoint('a', 1), endpoint('c', 3)])], shapeKey, policy);
    expect(left.changes).to.deep.equal([{ kind: 'free', backend: 'web_10000', slot: 1 }]);
    expect(filled(left.layouts[0]!)).to.deep.equal(['a', undefined, 'c', undefined, undefined, undefined, undefined, undefined]);
    const joined = planSync(applied(left), [service('web_10000', [endpoint('a', 1), endpoint('c', 3), endpoint('d', 4)])], shapeKey, policy);
    expect(joined.changes.map((c) => [c.kind, c.slot])).to.deep.equal([['fill', 1]]);
  });

  it('drains a KILLING endpoint in place, then frees it when it is gone', () => {
    const first = planSync(new Map(), [service('web_10000', [endpoint('a', 1), endpoint('b', 2)])], shapeKey, policy);
    const killing = planSync(applied(first), [service('web_10000', [endpoint('a', 1), endpoint('b', 2, true)])], shapeKey, policy);
    expect(killing.changes).to.deep.equal([{ kind: 'drain', backend: 'web_10000', slot: 1 }]);
    const gone = planSync(applied(killing), [service('web_10000', [endpoint('a', 1)])], shapeKey, policy);
    expect(gone.changes).to.deep.equal([{ kind: 'free', backend: 'web_10000', slot: 1 }]);
  });

  it('marks fills of a backend with HAProxy checks as checked', () => {
    const check = { intervalSeconds: 1, timeoutSeconds: 1, fall: 2 };
    const first = planSync(new Map(), [service('web_10000', [], { healthCheck: check })], shapeKey, policy);
    const plan = planSync(applied(first), [service('web_10000', [endpoint('a', 1)], { healthCheck: check })], shapeKey, policy);
    expect(plan.changes).to.deep.equal([{ kind: 'fill', backend: 'web_10000', slot: 0, endpoint: endpoint('a', 1), checked: true }]);
  });

  it('moves an endpoint whose address changed', () => {
    const first = planSync(new Map(), [service('web_10000', [endpoint('a', 1)])], shapeKey, policy);
    const plan = planSync(applied(first), [service('web_10000', [endpoint('a', 9)])], shapeKey, policy);
    expect(plan.changes.map((c) => c.kind)).to.deep.equal(['free', 'fill']);
    expect(filled(plan.layouts[0]!)).to.deep.equal(['a', undefined, undefined, undefined]);
  });

  it('reloads with more slots when a backend outgrows them, keeping the slots already taken', () => {
    const four = [1, 2, 3, 4].map((p) => endpoint(`t${p}`, p));
    const first = planSync(new Map(), [service('web_10000', four)], shapeKey, policy);
    expect(first.layouts[0]!.slots).to.have.length(8);
    const kept = planSync(applied(first), [service('web_10000', four.slice(1))], shapeKey, policy);
    const nine = [...four.slice(1), ...[5, 6, 7, 8, 9, 10].map((p) => endpoint(`t${p}`, p))];
    const grown = planSync(applied(kept), [service('web_10000', nine)], shapeKey, policy);
    expect(grown.reloadReasons).to.deep.equal(['backend web_10000 needs 9 slots, has 8']);
    expect(grown.slotGrowthOnly).to.equal(true);
    expect(grown.changes).to.deep.equal([]);
    expect(grown.layouts[0]!.slots).to.have.length(16);
    expect(filled(grown.layouts[0]!).slice(0, 4)).to.deep.equal(['t5', 't2', 't3', 't4']);
  });

  it('grows a backend for the tasks Marathon plans, before they run, and not again as they arrive', () => {
    const first = planSync(new Map(), [service('web_10000', [endpoint('a', 1)], { plannedEndpoints: 1 })], shapeKey, policy);
    expect(first.layouts[0]!.slots).to.have.length(4);
    const planned = planSync(applied(first), [service('web_10000', [endpoint('a', 1)], { plannedEndpoints: 10 })], shapeKey, policy);
    expect(planned.reloadReasons).to.deep.equal(['backend web_10000 needs 10 slots, has 4']);
    expect(planned.slotGrowthOnly).to.equal(true);
    expect(planned.layouts[0]!.slots).to.have.length(16);
    const ten = [endpoint('a', 1), ...Array.from({ length: 9 }, (_, i) => endpoint(`t${i}`, 10 + i))];
    const arrived = planSync(applied(planned), [service('web_10000', ten, { plannedEndpoints: 10 })], shapeKey, policy);
    expect(arrived.reloadReasons).to.deep.equal([]);
    expect(arrived.changes).to.have.length(9);
  });

  it('adds slots through the Runtime API where HAProxy can add servers, then fills them', () => {
    const four = [1, 2, 3, 4].map((p) => endpoint(`t${p}`, p));
    const atRuntime = () => true;
    const first = planSync(new Map(), [service('web_10000', four)], shapeKey, policy, atRuntime);
    const nine = [...four, ...[5, 6, 7, 8, 9].map((p) => endpoint(`t${p}`, p))];
    const grown = planSync(applied(first), [service('web_10000', nine)], shapeKey, policy, atRuntime);
    expect(grown.reloadReasons).to.deep.equal([]);
    expect(grown.layouts[0]!.slots).to.have.length(16);
    const web = grown.layouts[0]!.service;
    expect(grown.changes).to.deep.equal([
      ...[4, 5, 6, 7].map((slot) => ({ kind: 'fill', backend: 'web_10000', slot, endpoint: endpoint(`t${slot + 1}`, slot + 1), checked: false })),
      ...Array.from({ length: 8 }, (_, i) => ({ kind: 'add', backend: 'web_10000', slot: 8 + i, service: web })),
      { kind: 'fill', backend: 'web_10000', slot: 8, endpoint: endpoint('t9', 9), checked: false },
    ]);
    expect(filled(grown.layouts[0]!).slice(0, 10)).to.deep.equal(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9', undefined]);
    // Planned growth adds free slots only.
    const planned = planSync(applied(grown), [service('web_10000', nine, { plannedEndpoints: 20 })], shapeKey, policy, atRuntime);
    expect(planned.reloadReasons).to.deep.equal([]);
    expect(planned.changes.map((c) => [c.kind, c.slot])).to.deep.equal(Array.from({ length: 16 }, (_, i) => ['add', 16 + i]));
  });

  it('reloads to grow a backend HAProxy cannot add servers to, or one that changed otherwise too', () => {
    const one = [endpoint('a', 1)];
    const nine = Array.from({ length: 9 }, (_, i) => endpoint(`t${i}`, 10 + i));
    const first = planSync(new Map(), [service('web_10000', one)], shapeKey, policy, () => true);
    const notHere = planSync(applied(first), [service('web_10000', nine)], shapeKey, policy, () => false);
    expect(notHere.reloadReasons).to.deep.equal(['backend web_10000 needs 9 slots, has 4']);
    expect(notHere.changes).to.deep.equal([]);
    const changedToo = planSync(applied(first), [service('web_10000', nine, { balance: 'leastconn' })], shapeKey, policy, () => true);
    expect(changedToo.reloadReasons).to.deep.equal(['backend web_10000 changed', 'backend web_10000 needs 9 slots, has 4']);
    expect(changedToo.slotGrowthOnly).to.equal(false);
    expect(changedToo.layouts[0]!.slots.filter(Boolean)).to.have.length(9);
  });

  it('reloads when anything but membership changes, and when a backend goes', () => {
    const first = planSync(new Map(), [service('web_10000', [endpoint('a', 1)]), service('api_10001', [])], shapeKey, policy);
    const plan = planSync(applied(first), [service('web_10000', [endpoint('a', 1)], { balance: 'leastconn' })], shapeKey, policy);
    expect(plan.reloadReasons).to.deep.equal(['backend api_10001 removed', 'backend web_10000 changed']);
    expect(plan.slotGrowthOnly).to.equal(false);
    expect(filled(plan.layouts[0]!)).to.deep.equal(['a', undefined, undefined, undefined]);
  });

  it('changes nothing when nothing changed', () => {
    const first = planSync(new Map(), [service('web_10000', [endpoint('a', 1)])], shapeKey, policy);
    const plan = planSync(applied(first), [service('web_10000', [endpoint('a', 1)])], shapeKey, policy);
    expect(plan).to.deep.include({ reloadReasons: [], slotGrowthOnly: false, changes: [] });
  });

  it('keeps the layout of a Service object it planned before without looking into it', () => {
    const web = service('web_10000', [endpoint('a', 1)]);
    const first = planSync(new Map(), [web], shapeKey, policy);
    let shapes = 0;
    const plan = planSync(applied(first), [web], (l) => (shapes++, shapeKey(l)), policy);
    expect(shapes).to.equal(0);
    expect(plan.layouts[0]).to.equal(first.layouts[0]);
  });

  it('sizes slots as powers of two with headroom, never shrinking', () => {
    const p = { minSlots: 8, headroom: 1.5, growth: 4 };
    expect(slotCount(0, 0, 0, p)).to.equal(8);
    expect(slotCount(6, 0, 0, p)).to.equal(16);
    expect(slotCount(11, 0, 0, p)).to.equal(32);
    expect(slotCount(1, 0, 64, p)).to.equal(64);
    // Outgrowing 8 slots with 20 endpoints nobody announced: a scale-up under way, room for 4×.
    expect(slotCount(20, 0, 8, p)).to.equal(128);
    // Marathon asks for 80: slots for them with headroom, before they run.
    expect(slotCount(3, 80, 8, p)).to.equal(128);
  });
});
