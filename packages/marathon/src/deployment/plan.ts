// Marathon's deployment plan (reference §4.1) as a pure function of the original and target root
// groups: a stop step, a (no-op) start step, then one step per dependency depth so that what an
// app depends on is deployed before it. Steps run in sequence, the actions of a step in parallel.
import type { AppDefinition, PathId } from '@tepui/protocol';
import { sameConfig } from './app-equality';

export interface RootState {
  readonly apps: readonly AppDefinition[];
  readonly groups: ReadonlyArray<{ readonly id: PathId; readonly dependencies: readonly PathId[] }>;
}

export type DeploymentActionKind = 'StartApplication' | 'ScaleApplication' | 'RestartApplication' | 'StopApplication';

export interface DeploymentAction {
  readonly action: DeploymentActionKind;
  readonly app: PathId;
  /** ScaleApplication: instances to reach; RestartApplication: target instances. */
  readonly instances?: number;
  /** ScaleApplication: instance ids the caller asked to kill (e.g. DELETE …/tasks?scale=true). */
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
  /** Every app an action of the plan touches, sorted: the deployment lock (§4.4). */
  readonly affectedApps: readonly PathId[];
}

/** Is `id` the group (or app) `group` or below it? The root contains everything. */
export const isBelow = (id: PathId, group: PathId): boolean => group === '/' || id === group || id.startsWith(`${group}/`);

const byApp = (a: DeploymentAction, b: DeploymentAction): number => (a.app < b.app ? -1 : a.app > b.app ? 1 : 0);

/**
 * The apps an app waits for: its own dependencies and those of every group above it. A dependency
 * naming a group means every app below that group. Ids naming nothing in `root` are ignored.
 */
export function dependenciesOf(app: AppDefinition, root: RootState): PathId[] {
  const named = [...app.dependencies, ...root.groups.filter((g) => g.id !== app.id && isBelow(app.id, g.id)).flatMap((g) => g.dependencies)];
  const out = new Set<PathId>();
  for (const dep of named) for (const other of root.apps) if (other.id !== app.id && isBelow(other.id, dep)) out.add(other.id);
  return [...out];
}

/** Length of the longest dependency chain starting at each app (no dependencies = 1). */
export function dependencyDepths(root: RootState): Map<PathId, number> {
  const depth = new Map<PathId, number>();
  const visiting = new Set<PathId>();
  const visit = (app: AppDefinition, byId: ReadonlyMap<PathId, AppDefinition>): number => {
    const known = depth.get(app.id);
    if (known !== undefined) return known;
    if (visiting.has(app.id)) return 0; // a cycle: validation refuses these, but never loop
    visiting.add(app.id);
    let deepest = 0;
    for (const dep of dependenciesOf(app, root)) {
      const other = byId.get(dep);
      if (other) deepest = Math.max(deepest, visit(other, byId));
    }
    visiting.delete(app.id);
    depth.set(app.id, deepest + 1);
    return deepest + 1;
  };
  const byId = new Map(root.apps.map((a) => [a.id, a]));
  for (const app of root.apps) visit(app, byId);
  return depth;
}

/**
 * The action that takes `old` to `app`, or undefined when nothing changed. New apps, instance-only
 * changes and a target of 0 scale; any other change, including a new lastConfigChangeAt, restarts.
 */
function actionFor(old: AppDefinition | undefined, app: AppDefinition, kill: readonly string[]): DeploymentAction | undefined {
  const killInstances = kill.length > 0 ? { killInstances: [...kill] } : {};
  if (!old) return { action: 'ScaleApplication', app: app.id, instances: app.instances };
  const configSame = sameConfig(old, app);
  if (configSame && old.instances === app.instances && kill.length === 0) return undefined;
  if (configSame || app.instances === 0) return { action: 'ScaleApplication', app: app.id, instances: app.instances, ...killInstances };
  return { action: 'RestartApplication', app: app.id, instances: app.instances };
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
  const after = new Set(target.apps.map((a) => a.id));
  const stops = original.apps.filter((a) => !after.has(a.id)).map((a): DeploymentAction => ({ action: 'StopApplication', app: a.id }));
  const starts = target.apps.filter((a) => !before.has(a.id)).map((a): DeploymentAction => ({ action: 'StartApplication', app: a.id, instances: 0 }));
  const depths = dependencyDepths(target);
  const byDepth = new Map<number, DeploymentAction[]>();
  for (const app of target.apps) {
    const action = actionFor(before.get(app.id), app, input.toKill?.get(app.id) ?? []);
    if (!action) continue;
    const d = depths.get(app.id) ?? 1;
    byDepth.set(d, [...(byDepth.get(d) ?? []), action]);
  }
  const layers = [...byDepth.entries()].sort(([a], [b]) => a - b).map(([, actions]) => actions);
  const steps: DeploymentStep[] = [stops, starts, ...layers]
    .filter((actions) => actions.length > 0)
    .map((actions) => ({ actions: [...actions].sort(byApp) }));
  const affectedApps = [...new Set(steps.flatMap((s) => s.actions.map((a) => a.app)))].sort();
  return { id: input.id, version: input.version, original, target, steps, affectedApps };
}
