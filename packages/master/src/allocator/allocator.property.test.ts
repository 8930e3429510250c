import { expect } from 'chai';
import fc from 'fast-check';
import { Resources, seededRandom } from '@tepui/protocol';
import { HierarchicalAllocator } from './allocator';
import type { OfferDraft } from './allocator-types';
import { resources } from './resource-fixtures';

// Safety property: whatever the master tells it, the allocator never hands out more than an
// agent has. For every agent, after every event: allocated + available = total, so the sum of
// everything allocated (offers outstanding and resources in use) stays within the total.

const AGENTS = ['s0', 's1', 's2', 's3'];
const FRAMEWORKS = ['f0', 'f1', 'f2'];
const ROLES = ['a', 'b', 'a/x', 'c'];
const AGENT_SHAPES = ['cpus:4;mem:1024;ports:[31000-31010]', 'cpus:1;mem:64;cpus(a):2;mem(a):128', '~cpus:2;cpus:1;mem:512;disk:100'];

type Event =
  | { kind: 'addAgent'; agent: number; shape: number }
  | { kind: 'removeAgent'; agent: number }
  | { kind: 'growAgent'; agent: number }
  | { kind: 'toggleAgent'; agent: number; active: boolean }
  | { kind: 'addFramework'; framework: number; roles: number[]; revocable: boolean }
  | { kind: 'removeFramework'; framework: number }
  | { kind: 'toggleFramework'; framework: number }
  | { kind: 'suppress'; framework: number; role: number }
  | { kind: 'revive'; framework: number }
  | { kind: 'allocate'; some: boolean }
  | { kind: 'answer'; offer: number; how: 'decline' | 'declineFiltered' | 'keepCpus' | 'keepAll' }
  | { kind: 'finish'; used: number }
  | { kind: 'tick'; ms: number };

const index = (n: number) => fc.nat({ max: n - 1 });
const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ kind: fc.constant('addAgent' as const), agent: index(AGENTS.length), shape: index(AGENT_SHAPES.length) }),
  fc.record({ kind: fc.constant('removeAgent' as const), agent: index(AGENTS.length) }),
  fc.record({ kind: fc.constant('growAgent' as const), agent: index(AGENTS.length) }),
  fc.record({ kind: fc.constant('toggleAgent' as const), agent: index(AGENTS.length), active: fc.boolean() }),
  fc.record({
    kind: fc.constant('addFramework' as const),
    framework: index(FRAMEWORKS.length),
    roles: fc.uniqueArray(index(ROLES.length), { minLength: 1, maxLength: 3 }),
    revocable: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('removeFramework' as const), framework: index(FRAMEWORKS.length) }),
  fc.record({ kind: fc.constant('toggleFramework' as const), framework: index(FRAMEWORKS.length) }),
  fc.record({ kind: fc.constant('suppress' as const), framework: index(FRAMEWORKS.length), role: index(ROLES.length) }),
  fc.record({ kind: fc.constant('revive' as const), framework: index(FRAMEWORKS.length) }),
  fc.record({ kind: fc.constant('allocate' as const), some: fc.boolean() }),
  fc.record({ kind: fc.constant('answer' as const), offer: fc.nat(20), how: fc.constantFrom('decline' as const, 'declineFiltered' as const, 'keepCpus' as const, 'keepAll' as const) }),
  fc.record({ kind: fc.constant('finish' as const), used: fc.nat(20) }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
);

/** Plays the events as a master would, keeping outstanding offers and launched "tasks". */
function play(events: readonly Event[]): void {
  const allocator = new HierarchicalAllocator({ allocationIntervalMs: 1000, random: seededRandom(5) });
  const agents = new Map<string, Resources>(); // id → total
  const frameworks = new Map<string, boolean>(); // id → active
  let offers: OfferDraft[] = [];
  let used: OfferDraft[] = [];
  let now = 0;
  const forget = (pred: (o: OfferDraft) => boolean) => {
    offers = offers.filter((o) => !pred(o));
    used = used.filter((o) => !pred(o));
  };
  for (const e of events) {
    switch (e.kind) {
      case 'addAgent':
        if (agents.has(AGENTS[e.agent])) break;
        agents.set(AGENTS[e.agent], resources(AGENT_SHAPES[e.shape]));
        allocator.addAgent(AGENTS[e.agent], { hostname: 'h', total: resources(AGENT_SHAPES[e.shape]), multiRole: true }, new Map());
        break;
      case 'removeAgent':
        agents.delete(AGENTS[e.agent]);
        allocator.removeAgent(AGENTS[e.agent]);
        forget((o) => o.agentId === AGENTS[e.agent]);
        break;
      case 'growAgent': {
        const total = agents.get(AGENTS[e.agent]);
        if (total === undefined) break;
        agents.set(AGENTS[e.agent], total.plus(resources('cpus:1;mem:16')));
        allocator.updateAgentTotal(AGENTS[e.agent], total.plus(resources('cpus:1;mem:16')));
        break;
      }
      case 'toggleAgent':
        if (e.active) allocator.activateAgent(AGENTS[e.agent]);
        else allocator.deactivateAgent(AGENTS[e.agent]);
        break;
      case 'addFramework':
        if (frameworks.has(FRAMEWORKS[e.framework])) break;
        frameworks.set(FRAMEWORKS[e.framework], true);
        allocator.addFramework(FRAMEWORKS[e.framework], { roles: e.roles.map((r) => ROLES[r]), active: true, multiRole: true, revocable: e.revocable }, new Map());
        break;
      case 'removeFramework':
        frameworks.delete(FRAMEWORKS[e.framework]);
        allocator.removeFramework(FRAMEWORKS[e.framework]);
        forget((o) => o.frameworkId === FRAMEWORKS[e.framework]);
        break;
      case 'toggleFramework': {
        const id = FRAMEWORKS[e.framework];
        if (!frameworks.has(id)) break;
        const active = !frameworks.get(id);
        frameworks.set(id, active);
        if (active) allocator.activateFramework(id);
        else allocator.deactivateFramework(id);
        break;
      }
      case 'suppress':
        allocator.suppressOffers(FRAMEWORKS[e.framework], [ROLES[e.role]]);
        break;
      case 'revive':
        allocator.reviveOffers(FRAMEWORKS[e.framework]);
        break;
      case 'allocate':
        offers.push(...allocator.allocate(now, e.some ? AGENTS.slice(0, 2) : undefined).offers);
        break;
      case 'answer': {
        const offer = offers[e.offer];
        if (offer === undefined) break;
        offers.splice(e.offer, 1);
        const kept = e.how === 'keepAll' ? offer.resources : e.how === 'keepCpus' ? offer.resources.filter((r) => r.name === 'cpus') : undefined;
        const back = kept === undefined ? offer.resources : offer.resources.minus(kept);
        allocator.recoverResources(offer.frameworkId, offer.agentId, back, e.how === 'declineFiltered' ? 30 : undefined, now);
        if (kept !== undefined && !kept.isEmpty()) used.push({ ...offer, resources: kept });
        break;
      }
      case 'finish': {
        const task = used[e.used];
        if (task === undefined) break;
        used.splice(e.used, 1);
        allocator.recoverResources(task.frameworkId, task.agentId, task.resources, undefined, now);
        break;
      }
      case 'tick':
        now += e.ms;
        break;
    }
    for (const [agentId, total] of agents) {
      const allocated = allocator.agentAllocated(agentId);
      expect(allocated.unallocate().plus(allocator.agentAvailable(agentId)).equals(total), `conservation on ${agentId}`).to.equal(true);
      // The master's view (outstanding offers + what tasks use) is exactly what the allocator holds.
      let held = Resources.EMPTY;
      for (const o of [...offers, ...used]) if (o.agentId === agentId) held = held.plus(o.resources);
      expect(held.equals(allocated), `allocation on ${agentId}`).to.equal(true);
      expect(total.contains(held.unallocate()), `within total on ${agentId}`).to.equal(true);
    }
  }
}

describe('HierarchicalAllocator: properties', () => {
  it('never offers more than an agent has (allocated + available = total)', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 80 }), (events) => play(events)),
      { numRuns: 300, seed: 20240601 },
    );
  });
});
