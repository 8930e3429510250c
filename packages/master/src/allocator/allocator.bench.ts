import { seededRandom } from '@tepui/protocol';
import { HierarchicalAllocator } from './allocator';
import type { OfferDraft } from './allocator-types';
import { MAX_REFUSE_SECONDS } from './offer-filter';
import { resources } from './resource-fixtures';

// Allocator benchmark, shaped like Mesos' HierarchicalAllocator_BENCHMARK_Test (DeclineOffers):
// for {1k, 10k} agents × {100, 1k} frameworks (each framework in its own role), agents of
// cpus:24;mem:4096;disk:4096;ports:[31000-32000], it measures
//   (a) the first full allocation cycle (every agent is offered), and the same plus building every
//       offer's allocated-form resources (drafts produce them lazily; the master reads them),
//   (c) a full cycle after the offers on 10% of the agents come back unfiltered,
//   (b) cycles in which every framework declines everything with a year-long filter, until
//       every agent is filtered for every framework (steady state) or the time budget runs out.
// Only allocate() is timed. Run: node packages/master/dist/allocator/allocator.bench.js

const AGENT = 'cpus:24;mem:4096;disk:4096;ports:[31000-32000]';
const MESOS_10K_1K_MS = 1060;
const GOAL_MS = 100;
/** Wall-clock budget for the decline rounds of one configuration (the whole run stays under ~60 s). */
const DECLINE_BUDGET_MS = 7_000;

interface Figures {
  agents: number;
  frameworks: number;
  firstCycleMs: number;
  firstWithOffersMs: number;
  firstOffers: number;
  afterFreeingMs: number;
  freedOffers: number;
  declineRounds: number;
  declineFirstMs: number;
  declineMedianMs: number;
  declineLastMs: number;
  saturatedMs: number | undefined;
}

function timed<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function setUp(agentCount: number, frameworkCount: number): HierarchicalAllocator {
  const allocator = new HierarchicalAllocator({ allocationIntervalMs: 1000, random: seededRandom(1) });
  for (let i = 0; i < frameworkCount; i++) {
    allocator.addFramework(`framework-${i}`, { roles: [`role-${i}`], active: true, multiRole: true }, new Map());
  }
  for (let i = 0; i < agentCount; i++) {
    // Each agent registers its own resources (no shared objects for caches to exploit).
    allocator.addAgent(`agent-${i}`, { hostname: `agent-${i}.example`, total: resources(AGENT), multiRole: true }, new Map());
  }
  return allocator;
}

function declineAll(allocator: HierarchicalAllocator, offers: readonly OfferDraft[], now: number): void {
  for (const o of offers) allocator.recoverResources(o.frameworkId, o.agentId, o.resources, MAX_REFUSE_SECONDS, now);
}

function run(agentCount: number, frameworkCount: number, budgetMs = DECLINE_BUDGET_MS): Figures {
  const allocator = setUp(agentCount, frameworkCount);
  let now = 0;
  const [first, firstCycleMs] = timed(() => allocator.allocate(now));
  const [, buildMs] = timed(() => first.offers.forEach((o) => o.resources));

  // (c) Tasks finish on 10% of the agents: their offers come back without a filter.
  let outstanding = first.offers;
  const freed = outstanding.filter((_, i) => i % 10 === 0);
  for (const o of freed) allocator.recoverResources(o.frameworkId, o.agentId, o.resources, undefined, now);
  now += 1000;
  const [afterFreeing, afterFreeingMs] = timed(() => allocator.allocate(now));
  outstanding = outstanding.filter((_, i) => i % 10 !== 0).concat(afterFreeing.offers);

  // (b) Everyone declines everything with a long filter, round after round.
  const rounds: number[] = [];
  let saturatedMs: number | undefined;
  const budgetStart = Date.now();
  while (Date.now() - budgetStart < budgetMs) {
    declineAll(allocator, outstanding, now);
    now += 1000;
    const [result, ms] = timed(() => allocator.allocate(now));
    outstanding = result.offers;
    if (result.offers.length === 0) {
      // Every agent is filtered for every framework; measure the steady state itself.
      now += 1000;
      saturatedMs = median([0, 1, 2, 3, 4].map(() => timed(() => allocator.allocate(now))[1]));
      break;
    }
    rounds.push(ms);
  }
  return {
    agents: agentCount,
    frameworks: frameworkCount,
    firstCycleMs,
    firstWithOffersMs: firstCycleMs + buildMs,
    firstOffers: first.offers.length,
    afterFreeingMs,
    freedOffers: afterFreeing.offers.length,
    declineRounds: rounds.length,
    declineFirstMs: rounds[0] ?? 0,
    declineMedianMs: median(rounds),
    declineLastMs: rounds[rounds.length - 1] ?? 0,
    saturatedMs,
  };
}

function row(cells: Array<string | number>): string {
  return cells.map((c, i) => String(c).padStart(i < 2 ? 6 : 14)).join(' ');
}

const ms = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(1));

export function main(): void {
  run(1_000, 100); // warm up the JIT
  console.log('Tepui hierarchical DRF allocator benchmark (times in ms; only allocate() is timed)');
  console.log('agents: cpus:24;mem:4096;disk:4096;ports:[31000-32000]; one role per framework\n');
  console.log(row(['agents', 'fws', 'first cycle', '+ offers built', 'offers', 'freed 10%', 'offers', 'decl. round 1', 'decl. median', 'decl. last', 'rounds', 'all declined']));
  const all: Figures[] = [];
  for (const [agents, frameworks] of [[1_000, 100], [1_000, 1_000], [10_000, 100], [10_000, 1_000]]) {
    const f = run(agents, frameworks);
    all.push(f);
    console.log(
      row([f.agents, f.frameworks, ms(f.firstCycleMs), ms(f.firstWithOffersMs), f.firstOffers, ms(f.afterFreeingMs), f.freedOffers, ms(f.declineFirstMs), ms(f.declineMedianMs), ms(f.declineLastMs), f.declineRounds, ms(f.saturatedMs)]),
    );
  }
  // Saturating 1k frameworks takes 1k rounds; the steady state costs O(1) per agent whatever the
  // framework count, so show it at 10k agents with few frameworks.
  const demo = run(10_000, 10, 60_000);
  console.log(
    row([demo.agents, demo.frameworks, ms(demo.firstCycleMs), ms(demo.firstWithOffersMs), demo.firstOffers, ms(demo.afterFreeingMs), demo.freedOffers, ms(demo.declineFirstMs), ms(demo.declineMedianMs), ms(demo.declineLastMs), demo.declineRounds, ms(demo.saturatedMs)]),
    '  (extra row: reaches the all-declined steady state)',
  );
  const big = all[all.length - 1];
  // One cycle is one sample: a GC pause can land in it. The headline is the median of fresh allocators.
  const samples = [big.firstCycleMs, ...[0, 1].map(() => timed(() => setUp(big.agents, big.frameworks).allocate(0))[1])].sort((a, b) => a - b);
  big.firstCycleMs = samples[1]!;
  console.log(`\n10k agents × 1k frameworks, first full cycle: ${ms(big.firstCycleMs)} ms (median of 3 fresh allocators: ${samples.map(ms).join(', ')} ms)`);
  console.log(`  vs Mesos (${MESOS_10K_1K_MS} ms): ${(big.firstCycleMs / MESOS_10K_1K_MS).toFixed(3)}× (${(MESOS_10K_1K_MS / big.firstCycleMs).toFixed(1)}× faster)`);
  console.log(`  vs goal (${GOAL_MS} ms): ${(big.firstCycleMs / GOAL_MS).toFixed(3)}× of the goal`);
  console.log(`  including building all offers' allocated-form resources: ${ms(big.firstWithOffersMs)} ms (${(big.firstWithOffersMs / MESOS_10K_1K_MS).toFixed(3)}× Mesos, ${(big.firstWithOffersMs / GOAL_MS).toFixed(3)}× the goal)`);
  console.log(`  decline rounds: first ${ms(big.declineFirstMs)} ms, median ${ms(big.declineMedianMs)} ms (${(big.declineMedianMs / GOAL_MS).toFixed(3)}× of the goal)`);
  if (big.saturatedMs === undefined) console.log(`  (${big.declineRounds} decline rounds fit the ${DECLINE_BUDGET_MS / 1000} s budget; saturation needs ${big.frameworks})`);
  console.log('\n"+ offers built" adds Resources.allocate(role) for every offer, which drafts defer until the master reads them.');
  console.log('"all declined": a cycle once every framework has declined every agent (median of 5).');
}

if (require.main === module) main();
