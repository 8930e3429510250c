// DELETE /v2/deployments/{id} without force (reference §4.4): undo what this plan changed, and
// only that, on top of whatever the root holds now. Later changes to other apps and groups stay.
// The caller deploys the result with force; new versions are assigned there, as for any change.
import type { PathId } from '@tepui/protocol';
import { sameDefinition } from './app-equality';
import type { DeploymentPlan, RootState } from './plan';

type GroupEntry = RootState['groups'][number];

const sameGroup = (a: GroupEntry, b: GroupEntry): boolean =>
  a.dependencies.length === b.dependencies.length && a.dependencies.every((d, i) => d === b.dependencies[i]);

/** Reverts `original → target` inside `current`: on apps and on group records alike. */
function revertById<T extends { readonly id: PathId }>(
  original: readonly T[], target: readonly T[], current: readonly T[], same: (a: T, b: T) => boolean,
): T[] {
  const before = new Map(original.map((x) => [x.id, x]));
  const after = new Map(target.map((x) => [x.id, x]));
  const out = new Map(current.map((x) => [x.id, x]));
  for (const [id, old] of before) {
    const now = after.get(id);
    if (!now || !same(old, now)) out.set(id, old); // removed or changed by the plan: restore it
  }
  for (const id of after.keys()) if (!before.has(id)) out.delete(id); // added by the plan: remove it
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function revertPlan(plan: DeploymentPlan, current: RootState): RootState {
  return {
    apps: revertById(plan.original.apps, plan.target.apps, current.apps, sameDefinition),
    groups: revertById(plan.original.groups, plan.target.groups, current.groups, sameGroup),
  };
}
