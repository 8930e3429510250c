// RestartApplication (Marathon's TaskReplaceActor, reference §4.2) as a pure, re-entrant decision:
// given every live instance of the app now, which old ones to kill and how many new ones to launch
// so that healthy capacity never drops below ceil(N × minimumHealthCapacity) and live instances
// never exceed floor(N × (1 + maximumOverCapacity)). An instance being killed still holds its
// resources, so it counts against capacity until it has ended.

export interface ReplaceInstance {
  readonly id: string;
  /** Running and, where checked, healthy (and ready). */
  readonly healthy: boolean;
  /** `killing`: asked to stop, not yet ended. Ended instances are left out of the snapshot. */
  readonly phase: 'active' | 'killing';
  readonly startedAt: number;
}

export interface ReplaceSnapshot {
  readonly targetInstances: number;
  readonly strategy: { readonly minimumHealthCapacity: number; readonly maximumOverCapacity: number };
  readonly resident: boolean;
  /** Live instances of other versions. */
  readonly oldInstances: readonly ReplaceInstance[];
  /** Live instances of the target version, launched or waiting for an offer. */
  readonly newInstances: readonly ReplaceInstance[];
}

export interface ReplaceDecision {
  readonly killOld: string[];
  readonly launch: number;
  readonly done: boolean;
}

export function replaceLimits(s: Pick<ReplaceSnapshot, 'targetInstances' | 'strategy' | 'resident'>, healthy: number): { minHealthy: number; maxCapacity: number; extraKill: number } {
  const n = s.targetInstances;
  const minHealthy = Math.ceil(n * s.strategy.minimumHealthCapacity - 1e-9);
  let maxCapacity = Math.floor(n * (1 + s.strategy.maximumOverCapacity) + 1e-9);
  let extraKill = 0;
  // No room either way and nothing could move: one extra instance (resident apps dip one below instead).
  if (minHealthy === maxCapacity && maxCapacity <= healthy) {
    if (s.resident) extraKill = 1;
    else maxCapacity += 1;
  }
  return { minHealthy, maxCapacity, extraKill };
}

export function replaceStep(s: ReplaceSnapshot): ReplaceDecision {
  const n = s.targetInstances;
  const oldActive = s.oldInstances.filter((i) => i.phase === 'active');
  const newActive = s.newInstances.filter((i) => i.phase === 'active');
  const newHealthy = newActive.filter((i) => i.healthy).length;
  const healthy = oldActive.filter((i) => i.healthy).length + newHealthy;
  const { minHealthy, maxCapacity, extraKill } = replaceLimits(s, healthy);

  // Unhealthy old instances add nothing to healthy capacity: they go first and cost nothing.
  const byAge = (a: ReplaceInstance, b: ReplaceInstance): number => a.startedAt - b.startedAt;
  const kill = n === 0 ? [...oldActive] : oldActive.filter((i) => !i.healthy).sort(byAge);
  let budget = Math.max(0, healthy - minHealthy) + extraKill;
  for (const i of n === 0 ? [] : oldActive.filter((x) => x.healthy).sort(byAge)) {
    if (budget <= 0) break;
    kill.push(i);
    budget -= 1;
  }
  const live = s.oldInstances.length + s.newInstances.length;
  const launch = Math.max(0, Math.min(n - newActive.length, maxCapacity - live));
  const done = newHealthy >= n && s.oldInstances.length === 0 && launch === 0;
  return { killOld: kill.map((i) => i.id), launch, done };
}
