// Marathon's deployment plan (reference §4.1) as a pure function of the original and target root
// groups: a stop step, a (no-op) start step, then one step per dependency depth so that what an
// app depends on is deployed before it. Also the JSON forms clients read, locking and rollback.
import type { AppDefinition, DeploymentPlanJson, PathId } from '@tepui/protocol';

export interface RootState {
  readonly apps: readonly AppDefinition[];
  readonly groups: ReadonlyArray<{ readonly id: PathId; readonly dependencies: readonly PathId[] }>;
}

export type DeploymentActionKind = 'StartApplication' | 'ScaleApplication' | 'RestartApplication' | 'StopApplication';

export interface DeploymentAction {
  readonly action: DeploymentActionKind;
  readonly app: PathId;
  /** Scale: instances to reach; Restart: target instances. */
  readonly instances?: number;
  /** Scale: instances the caller asked to kill. */
  readonly killInstances?: readonly string[];
}

export interface DeploymentStep {
  readonly actions: readonly DeploymentAction[];
}

export interface DeploymentPlan {
  readonly id: string;
  readonly version: string;
  readonly original: RootState;
  readonly target: RootState;
  readonly steps: readonly DeploymentStep[];
  readonly affectedApps: readonly PathId[];
}

const below = (id: PathId, group: PathId): boolean => group === '/' || id === group || id.startsWith(`${group}/`);

/** Everything but the instance count and the version fields. */
export function sameConfig(a: AppDefinition, b: AppDefinition): boolean {
  const strip = (x: AppDefinition): string => JSON.stringify({ ...x, instances: 0, version: undefined, versionInfo: undefined });
  return strip(a) === strip(b) && a.versionInfo?.lastConfigChangeAt === b.versionInfo?.lastConfigChangeAt;
}

/** The apps an app waits for: its own dependencies and those of every group above it; a group names all apps below it. */
export function dependenciesOf(app: AppDefinition, root: RootState): PathId[] {
  const named = [...app.dependencies, ...root.groups.filter((g) => g.id !== app.id && below(app.id, g.id)).flatMap((g) => g.dependencies)];
  const out = new Set<PathId>();
  for (const dep of named) for (const a of root.apps) if (a.id !== app.id && below(a.id, dep)) out.add(a.id);
  return [...out];
}

/** Length of the longest dependency chain starting at each app (no dependencies = 1). */
export function dependencyDepths(root: RootState): Map<PathId, number> {
  const byId = new Map(root.apps.map((a) => [a.id, a]));
  const depth = new Map<PathId, number>();
  const visiting = new Set<PathId>();
  const visit = (id: PathId): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle: validation refuses these; do not loop
    visiting.add(id);
    const deps = dependenciesOf(byId.get(id)!, root);
    const d = 1 + Math.max(0, ...deps.map(visit));
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  for (const a of root.apps) visit(a.id);
  return depth;
}

export function computeDeploymentPlan(input: {
  id: string;
  version: string;
  original: RootState;
  target: RootState;
  toKill?: ReadonlyMap<PathId, readonly string[]>;
}): DeploymentPlan {
  const { original, target } = input;
  const before = new Map(original.apps.map((a) => [a.id, a]));
  const after = new Map(target.apps.map((a) => [a.id, a]));
  const stops: DeploymentAction[] = original.apps.filter((a) => !after.has(a.id)).map((a) => ({ action: 'StopApplication', app: a.id }));
  const starts: DeploymentAction[] = target.apps.filter((a) => !before.has(a.id)).map((a) => ({ action: 'StartApplication', app: a.id, instances: 0 }));
  const depths = dependencyDepths(target);
  const byDepth = new Map<number, DeploymentAction[]>();
  for (const app of target.apps) {
    const old = before.get(app.id);
    const kill = input.toKill?.get(app.id) ?? [];
    if (old && old === app && kill.length === 0) continue;
    if (old && JSON.stringify(old) === JSON.stringify(app) && kill.length === 0) continue;
    const scale = !old || sameConfig(old, app) || app.instances === 0;
    const action: DeploymentAction = scale
      ? { action: 'ScaleApplication', app: app.id, instances: app.instances, ...(kill.length > 0 ? { killInstances: [...kill] } : {}) }
      : { action: 'RestartApplication', app: app.id, instances: app.instances };
    const d = depths.get(app.id) ?? 1;
    byDepth.set(d, [...(byDepth.get(d) ?? []), action]);
  }
  const steps: DeploymentStep[] = [stops, starts, ...[...byDepth.keys()].sort((a, b) => a - b).map((d) => byDepth.get(d)!)]
    .filter((actions) => actions.length > 0)
    .map((actions) => ({ actions }));
  const affectedApps = [...new Set(steps.flatMap((s) => s.actions.map((a) => a.app)))].sort();
  return { id: input.id, version: input.version, original, target, steps, affectedApps };
}

/** The light plan of events and /v2/deployments. */
export function planJson(plan: DeploymentPlan): DeploymentPlanJson {
  return { id: plan.id, steps: plan.steps.map((s) => ({ actions: s.actions.map((a) => ({ action: a.action, app: a.app })) })), version: plan.version };
}

/** One element of GET /v2/deployments; `currentStep` is 1-based. */
export function deploymentStepInfoJson(plan: DeploymentPlan, currentStep: number): Record<string, unknown> {
  const current = plan.steps[currentStep - 1];
  return {
    id: plan.id,
    version: plan.version,
    affectedApps: [...plan.affectedApps],
    affectedPods: [],
    steps: planJson(plan).steps,
    currentActions: (current?.actions ?? []).map((a) => ({ action: a.action, app: a.app, readinessCheckResults: [] })),
    currentStep: current ? currentStep : 0,
    totalSteps: plan.steps.length,
  };
}

const affectedSets = new WeakMap<DeploymentPlan, ReadonlySet<PathId>>();

/** Ids of running plans that touch any of `affected`. */
export function conflictingDeployments(running: readonly DeploymentPlan[], affected: readonly PathId[]): string[] {
  return running
    .filter((p) => {
      let set = affectedSets.get(p);
      if (!set) affectedSets.set(p, (set = new Set(p.affectedApps)));
      return affected.some((a) => set.has(a));
    })
    .map((p) => p.id);
}

/** The reverse of a plan's changes applied to `current` (DELETE /v2/deployments/{id}, §4.4). */
export function revertPlan(plan: DeploymentPlan, current: RootState): RootState {
  const original = new Map(plan.original.apps.map((a) => [a.id, a]));
  const target = new Map(plan.target.apps.map((a) => [a.id, a]));
  const apps = new Map(current.apps.map((a) => [a.id, a]));
  for (const [id, app] of original) {
    const t = target.get(id);
    if (!t || JSON.stringify(t) !== JSON.stringify(app)) apps.set(id, app); // removed or changed: restore
  }
  for (const id of target.keys()) if (!original.has(id)) apps.delete(id); // added: remove
  const groups = new Map(current.groups.map((g) => [g.id, g]));
  const originalGroups = new Map(plan.original.groups.map((g) => [g.id, g]));
  for (const g of plan.original.groups) groups.set(g.id, g);
  for (const g of plan.target.groups) if (!originalGroups.has(g.id)) groups.delete(g.id);
  return { apps: [...apps.values()], groups: [...groups.values()] };
}
