// The apps page as data: the current group's subgroups (folders, with their apps' totals and worst
// status; groups without apps too, as Marathon's GET /v2/groups lists them) and apps, or, while a
// filter is set, every matching app below the group. Status counts ignore the status filter, so
// each status chip says how many apps choosing it would show.
import { appStatus, worseStatus, type AppStatus } from './app-status';
import { isFiltering, matchesLabels, type AppFilter } from './app-filter';
import type { AppSummary, QueueSummary } from './marathon-wire';

export interface AppRow {
  readonly id: string;
  /** The id relative to the listed group. */
  readonly name: string;
  readonly status: AppStatus;
  readonly target: number;
  readonly running: number;
  readonly staged: number;
  readonly healthy: number;
  readonly unhealthy: number;
  readonly healthChecked: boolean;
  /** Per instance, and for all instances (what Marathon's list shows). */
  readonly cpus: number;
  readonly mem: number;
  readonly cpusTotal: number;
  readonly memTotal: number;
  readonly labels: ReadonlyArray<readonly [string, string]>;
}

export interface GroupRow {
  readonly id: string;
  readonly name: string;
  readonly apps: number;
  /** The worst status of its apps; undefined for a group with no apps. */
  readonly status: AppStatus | undefined;
  readonly target: number;
  readonly running: number;
  readonly cpusTotal: number;
  readonly memTotal: number;
}

export interface AppListView {
  readonly group: string;
  readonly breadcrumbs: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly groups: readonly GroupRow[];
  readonly apps: readonly AppRow[];
  /** Apps below the group (before filtering). */
  readonly total: number;
  readonly statusCounts: Readonly<Record<AppStatus, number>>;
}

const isBelow = (id: string, group: string): boolean => group === '/' || id.startsWith(`${group}/`);
const relative = (id: string, group: string): string => (group === '/' ? id.slice(1) : id.slice(group.length + 1));

export function breadcrumbsOf(group: string): Array<{ id: string; name: string }> {
  const parts = group.split('/').filter(Boolean);
  return [{ id: '/', name: 'All apps' }, ...parts.map((name, i) => ({ id: `/${parts.slice(0, i + 1).join('/')}`, name }))];
}

function appRow(app: AppSummary, status: AppStatus, group: string): AppRow {
  return {
    id: app.id,
    name: relative(app.id, group),
    status,
    target: app.instances,
    running: app.tasksRunning,
    staged: app.tasksStaged,
    healthy: app.tasksHealthy,
    unhealthy: app.tasksUnhealthy,
    healthChecked: app.healthCheckCount > 0,
    cpus: app.cpus,
    mem: app.mem,
    cpusTotal: app.cpus * app.instances,
    memTotal: app.mem * app.instances,
    labels: Object.entries(app.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

type GroupTotals = { apps: number; status: AppStatus | undefined; target: number; running: number; cpusTotal: number; memTotal: number };

const noTotals = (): GroupTotals => ({ apps: 0, status: undefined, target: 0, running: 0, cpusTotal: 0, memTotal: 0 });

/** The subgroup of `group` that holds `id` (an app or a group below it), e.g. /prod/db for /prod/db/main in /prod. */
function childGroupOf(id: string, group: string): string | undefined {
  const rest = relative(id, group);
  const slash = rest.indexOf('/');
  return slash < 0 ? undefined : `${group === '/' ? '' : group}/${rest.slice(0, slash)}`;
}

/**
 * `groupIds`: every group of Marathon's tree (GET /v2/groups), so that a group with no apps, which
 * no app id names, is listed as well; groups named by app ids need not be in it.
 */
export function buildAppListView(apps: Iterable<AppSummary>, queue: ReadonlyMap<string, QueueSummary>, filter: AppFilter, groupIds: Iterable<string> = []): AppListView {
  const filtering = isFiltering(filter);
  const text = filter.text.trim().toLowerCase();
  const statusCounts: Record<AppStatus, number> = { delayed: 0, waiting: 0, unhealthy: 0, deploying: 0, suspended: 0, running: 0 };
  const rows: AppRow[] = [];
  const groups = new Map<string, GroupTotals>();
  let total = 0;
  for (const app of apps) {
    if (!isBelow(app.id, filter.group)) continue;
    total += 1;
    const status = appStatus(app, queue.get(app.id));
    if (filtering) {
      if (text !== '' && !app.id.toLowerCase().includes(text)) continue;
      if (!matchesLabels(app.labels, filter.labels)) continue;
      statusCounts[status] += 1;
      if (filter.statuses.length > 0 && !filter.statuses.includes(status)) continue;
      rows.push(appRow(app, status, filter.group));
      continue;
    }
    statusCounts[status] += 1;
    const groupId = childGroupOf(app.id, filter.group);
    if (groupId === undefined) {
      rows.push(appRow(app, status, filter.group));
      continue;
    }
    const g = groups.get(groupId) ?? noTotals();
    g.apps += 1;
    g.status = g.status === undefined ? status : worseStatus(g.status, status);
    g.target += app.instances;
    g.running += app.tasksRunning;
    g.cpusTotal += app.cpus * app.instances;
    g.memTotal += app.mem * app.instances;
    groups.set(groupId, g);
  }
  if (!filtering) {
    for (const id of groupIds) {
      // With a trailing slash a group id reads as an id inside that group, as an app's id does.
      const groupId = isBelow(id, filter.group) ? childGroupOf(`${id}/`, filter.group) : undefined;
      if (groupId !== undefined && !groups.has(groupId)) groups.set(groupId, noTotals());
    }
  }
  return {
    group: filter.group,
    breadcrumbs: breadcrumbsOf(filter.group),
    groups: [...groups].map(([id, g]) => ({ id, name: relative(id, filter.group), ...g })).sort(byId),
    apps: rows.sort(byId),
    total,
    statusCounts,
  };
}
