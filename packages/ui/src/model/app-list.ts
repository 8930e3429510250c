// The apps page as data: the current group's subgroups (folders, with their apps' totals and worst
// status) and apps, or, while a filter is set, every matching app below the group. Status counts
// ignore the status filter, so each status chip says how many apps choosing it would show.
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
  readonly status: AppStatus;
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

export function buildAppListView(apps: Iterable<AppSummary>, queue: ReadonlyMap<string, QueueSummary>, filter: AppFilter): AppListView {
  const filtering = isFiltering(filter);
  const text = filter.text.trim().toLowerCase();
  const statusCounts: Record<AppStatus, number> = { delayed: 0, waiting: 0, unhealthy: 0, deploying: 0, suspended: 0, running: 0 };
  const rows: AppRow[] = [];
  const groups = new Map<string, { apps: number; status: AppStatus; target: number; running: number; cpusTotal: number; memTotal: number }>();
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
    const rest = relative(app.id, filter.group);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      rows.push(appRow(app, status, filter.group));
      continue;
    }
    const groupId = `${filter.group === '/' ? '' : filter.group}/${rest.slice(0, slash)}`;
    const g = groups.get(groupId) ?? { apps: 0, status: 'running' as AppStatus, target: 0, running: 0, cpusTotal: 0, memTotal: 0 };
    g.apps += 1;
    g.status = g.apps === 1 ? status : worseStatus(g.status, status);
    g.target += app.instances;
    g.running += app.tasksRunning;
    g.cpusTotal += app.cpus * app.instances;
    g.memTotal += app.mem * app.instances;
    groups.set(groupId, g);
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
