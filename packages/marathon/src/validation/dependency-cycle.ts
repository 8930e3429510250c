// Marathon refuses a root group whose dependencies form a cycle (deployments could never start).
import type { AppDefinition } from '@tepui/protocol';

const below = (id: string, group: string): boolean => group === '/' || id === group || id.startsWith(`${group}/`);

/** A dependency cycle among the apps (group dependencies apply to every app below the group), or undefined. */
export function findDependencyCycle(apps: readonly AppDefinition[], groups: ReadonlyArray<{ id: string; dependencies: readonly string[] }>): string[] | undefined {
  const edges = new Map<string, string[]>();
  for (const app of apps) {
    const named = [...app.dependencies, ...groups.filter((g) => below(app.id, g.id) && g.id !== app.id).flatMap((g) => g.dependencies)];
    edges.set(app.id, apps.filter((a) => a.id !== app.id && named.some((d) => below(a.id, d))).map((a) => a.id));
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const app of apps) {
    const cycle = visit(app.id);
    if (cycle) return cycle;
  }
  return undefined;
}
