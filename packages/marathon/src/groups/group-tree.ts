// Groups are paths: /prod/web/api lives in group /prod/web, which lives in /prod, in the root /.
// Marathon keeps a root group tree; Tepui derives it from the flat map of apps (plus explicit
// group records for empty groups and group-level dependencies). Pure.
import type { AppDefinition, PathId } from '@tepui/protocol';

export interface GroupRecord {
  readonly id: PathId;
  readonly dependencies: readonly PathId[];
  readonly version: string;
}

export interface GroupNode<A = AppDefinition> {
  id: PathId;
  apps: A[];
  groups: GroupNode<A>[];
  pods: never[];
  dependencies: PathId[];
  version: string;
}

/** The parent group of an app or group id: `/a/b/c` → `/a/b`, `/a` → `/`. */
export function parentOf(id: PathId): PathId {
  const cut = id.lastIndexOf('/');
  return cut <= 0 ? '/' : id.slice(0, cut);
}

/** Resolves a relative id (`web`, `../db`) against a base group, as Marathon's PathId does. */
export function resolvePath(id: string, base: PathId = '/'): PathId {
  const parts = (id.startsWith('/') ? id : `${base.replace(/\/+$/, '')}/${id}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function ancestors(id: PathId): PathId[] {
  const out: PathId[] = [];
  for (let p = parentOf(id); ; p = parentOf(p)) {
    out.push(p);
    if (p === '/') return out;
  }
}

/** The root group tree of `apps` (and explicit groups), sorted by id at every level. */
export function buildGroupTree<A extends { id: PathId; version?: string }>(apps: readonly A[], groups: readonly GroupRecord[], rootVersion: string): GroupNode<A> {
  const nodes = new Map<PathId, GroupNode<A>>();
  const node = (id: PathId): GroupNode<A> => {
    let n = nodes.get(id);
    if (!n) {
      const record = groups.find((g) => g.id === id);
      n = { id, apps: [], groups: [], pods: [], dependencies: [...(record?.dependencies ?? [])], version: record?.version ?? rootVersion };
      nodes.set(id, n);
      if (id !== '/') node(parentOf(id)).groups.push(n);
    }
    return n;
  };
  node('/');
  for (const g of groups) if (g.id !== '/') node(g.id);
  for (const app of apps) node(parentOf(app.id)).apps.push(app);
  for (const n of nodes.values()) {
    n.apps.sort((a, b) => (a.id < b.id ? -1 : 1));
    n.groups.sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  return node('/');
}

export function findGroup<A>(root: GroupNode<A>, id: PathId): GroupNode<A> | undefined {
  if (root.id === id) return root;
  for (const g of root.groups) {
    if (id === g.id || id.startsWith(`${g.id}/`)) return findGroup(g, id);
  }
  return undefined;
}

/** Every app below a group, depth first. */
export function appsBelow<A>(group: GroupNode<A>): A[] {
  return [...group.apps, ...group.groups.flatMap(appsBelow)];
}

/** `{"scaleBy": f}`: each app below the group gets ceil(instances × f). */
export function scaleGroup<A extends { instances: number }>(apps: readonly A[], factor: number): A[] {
  return apps.map((a) => ({ ...a, instances: Math.ceil(a.instances * factor) }));
}

/** Whether an app id would sit where a group is (or the reverse): Marathon refuses both. */
export function pathConflict(appIds: readonly PathId[], newId: PathId): PathId | undefined {
  for (const id of appIds) {
    if (id.startsWith(`${newId}/`)) return id;
    if (ancestors(newId).includes(id)) return id;
  }
  return undefined;
}
