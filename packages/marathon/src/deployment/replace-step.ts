// RestartApplication (Marathon's TaskReplaceActor, reference §4.2) as a pure, re-entrant decision:
// given every live instance of the app now, which old ones to kill and how many new ones to launch
// so that healthy capacity never drops below ceil(N × minimumHealthCapacity) and live instances
// never exceed floor(N × (1 + maximumOverCapacity)). Marathon keeps a killed old instance in its
// books until it has ended (it still holds its resources), so it counts against capacity until
// then; that is what makes the {0.5, 0} row of §4.2 launch nothing at first.

export interface ReplaceInstance {
  readonly id: string;
  /** Running and, where checked, healthy and ready. */
  readonly healthy: boolean;
  /**
   * Known not to serve: its task is not running (staging, starting, unreachable), or its health
   * checks report it failing — not merely not checked yet (a Marathon that just restarted has no
   * results). Such an old instance goes without spending the kill budget, so an upgrade away from
   * a broken or stuck version cannot deadlock; one whose health is merely unknown spends it.
   */
  readonly failing?: boolean;
  /** `killing`: asked to stop, not yet ended (not active). Ended instances are left out of the snapshot. */
  readonly phase: 'active' | 'killing';
  readonly startedAt: number;
}

export interface ReplaceSnapshot {
  /** N */
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

export interface ReplaceLimits {
  readonly minHealthy: number;
  readonly maxCapacity: number;
  /** Kills allowed below minHealthy (resident apps, which cannot go above capacity). */
  readonly extraKill: number;
}

// N × fraction in floating point can land a hair off an integer (4 × 0.7 = 2.8000000000000003).
const EPSILON = 1e-9;

/** §4.2's limits for `healthy` = H, the instances (old and new) that are active and healthy now. */
export function replaceLimits(s: Pick<ReplaceSnapshot, 'targetInstances' | 'strategy' | 'resident'>, healthy: number): ReplaceLimits {
  const n = s.targetInstances;
  const minHealthy = Math.max(0, Math.ceil(n * s.strategy.minimumHealthCapacity - EPSILON));
  const maxCapacity = Math.floor(n * (1 + s.strategy.maximumOverCapacity) + EPSILON);
  // No room either way: nothing could ever move. Marathon allows one instance above capacity, or
  // for resident apps (whose reservations cannot grow) one below minimum health.
  if (minHealthy === maxCapacity && maxCapacity <= healthy) {
    return s.resident ? { minHealthy, maxCapacity, extraKill: 1 } : { minHealthy, maxCapacity: maxCapacity + 1, extraKill: 0 };
  }
  return { minHealthy, maxCapacity, extraKill: 0 };
}

const killOrder = (a: ReplaceInstance, b: ReplaceInstance): number =>
  Number(b.failing === true) - Number(a.failing === true) ||
  Number(a.healthy) - Number(b.healthy) || a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function replaceStep(s: ReplaceSnapshot): ReplaceDecision {
  const n = Math.max(0, s.targetInstances);
  const oldActive = s.oldInstances.filter((i) => i.phase === 'active');
  const newActive = s.newInstances.filter((i) => i.phase === 'active');
  const newHealthy = newActive.filter((i) => i.healthy).length;
  const healthy = oldActive.filter((i) => i.healthy).length + newHealthy;
  const { minHealthy, maxCapacity, extraKill } = replaceLimits(s, healthy);

  // Failing old instances go first and for free. The others — unhealthy first, then oldest — only
  // as far as the budget H - minHealthy allows (Marathon's killNow). With N = 0 all go.
  let budget = n === 0 ? Infinity : Math.max(0, healthy - minHealthy) + extraKill;
  const kill: string[] = [];
  for (const i of [...oldActive].sort(killOrder)) {
    if (!i.failing) {
      if (budget <= 0) break;
      budget -= 1;
    }
    kill.push(i.id);
  }
  const live = s.oldInstances.length + s.newInstances.length;
  const launch = Math.max(0, Math.min(n - newActive.length, maxCapacity - live));
  const done = launch === 0 && newHealthy >= n && s.oldInstances.length === 0;
  return { killOld: kill, launch, done };
}
