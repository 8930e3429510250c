// AppInfo (reference §1.2/§1.3): the app definition plus what GET adds — counts, deployments and,
// on request, tasks, lastTaskFailure, taskStats and readiness results.
import type { AppDefinition } from '@tepui/protocol';
import { servicePortsOf } from '../core/group-manager';
import type { TaskFailure } from '../core/status-processor';
import { isHealthy, type Instance } from '../instances/instance';
import { taskJson } from '../instances/task-json';
import { appDefinitionJson } from '../validation';

export type AppEmbed = 'tasks' | 'counts' | 'deployments' | 'readiness' | 'lastTaskFailure' | 'taskStats';

export interface AppInfoContext {
  readonly instances: readonly Instance[];
  readonly deploymentIds: readonly string[];
  readonly lastTaskFailure?: TaskFailure;
  readonly now: number;
  readonly readinessResults?: readonly unknown[];
}

/** `embed=apps.tasks&embed=app.counts…` → the set of embeds; the deprecated `apps.failures` bundles lastTaskFailure and tasks. */
export function parseEmbeds(values: readonly string[], prefix: 'app' | 'apps' | 'group.apps'): Set<AppEmbed> {
  const out = new Set<AppEmbed>();
  for (const value of values) {
    for (const item of value.split(',')) {
      const name = item.trim().startsWith(`${prefix}.`) ? item.trim().slice(prefix.length + 1) : '';
      if (name === 'failures') {
        out.add('lastTaskFailure');
        out.add('tasks');
      } else if (['tasks', 'counts', 'deployments', 'readiness', 'lastTaskFailure', 'taskStats'].includes(name)) out.add(name as AppEmbed);
    }
  }
  return out;
}

/** Tasks Marathon lists: launched ones (a launch in flight is TASK_STAGING). */
export function listedTasks(app: AppDefinition, instances: readonly Instance[]): ReturnType<typeof taskJson>[] {
  const ports = servicePortsOf(app);
  return instances.map((i) => taskJson(i, ports));
}

/** What GET adds to the definition, except `tasks` (which goes last). */
export function appInfoExtras(app: AppDefinition, embeds: ReadonlySet<AppEmbed>, ctx: AppInfoContext): Record<string, unknown> {
  const json: Record<string, unknown> = counts(app, ctx.instances);
  json.deployments = ctx.deploymentIds.map((id) => ({ id }));
  if (embeds.has('lastTaskFailure') && ctx.lastTaskFailure) json.lastTaskFailure = ctx.lastTaskFailure;
  if (embeds.has('taskStats')) json.taskStats = taskStats(app, ctx.instances, ctx.now);
  if (embeds.has('readiness')) json.readinessCheckResults = ctx.readinessResults ?? [];
  return json;
}

export function appInfoJson(app: AppDefinition, embeds: ReadonlySet<AppEmbed>, ctx: AppInfoContext): Record<string, unknown> {
  const json: Record<string, unknown> = { ...appDefinitionJson(app), ...appInfoExtras(app, embeds, ctx) };
  if (embeds.has('tasks')) json.tasks = listedTasks(app, ctx.instances);
  return json;
}

function counts(app: AppDefinition, instances: readonly Instance[]): Record<string, number> {
  let staged = 0, running = 0, healthy = 0, unhealthy = 0;
  for (const i of instances) {
    if (i.state === 'TASK_STAGING' || i.state === 'TASK_STARTING') staged += 1;
    if (i.state === 'TASK_RUNNING') running += 1;
    const h = isHealthy(i, app.healthChecks.length);
    if (h === true) healthy += 1;
    if (h === false) unhealthy += 1;
  }
  return { tasksStaged: staged, tasksRunning: running, tasksHealthy: healthy, tasksUnhealthy: unhealthy };
}

function taskStats(app: AppDefinition, instances: readonly Instance[], now: number): Record<string, unknown> {
  const scaledAt = app.versionInfo?.lastScalingAt ?? '';
  const configAt = app.versionInfo?.lastConfigChangeAt ?? '';
  const groups: Record<string, Instance[]> = {
    startedAfterLastScaling: instances.filter((i) => i.stagedAt >= scaledAt),
    withLatestConfig: instances.filter((i) => i.version >= configAt),
    withOutdatedConfig: instances.filter((i) => i.version < configAt),
    totalSummary: [...instances],
  };
  const out: Record<string, unknown> = {};
  for (const [name, list] of Object.entries(groups)) {
    if (list.length === 0) continue;
    const c = counts(app, list);
    const lifetimes = list.filter((i) => i.startedAt).map((i) => (now - Date.parse(i.startedAt!)) / 1000).sort((a, b) => a - b);
    const stats: Record<string, unknown> = { counts: { staged: c.tasksStaged, running: c.tasksRunning, healthy: c.tasksHealthy, unhealthy: c.tasksUnhealthy } };
    if (lifetimes.length > 0) {
      const mid = Math.floor(lifetimes.length / 2);
      const median = lifetimes.length % 2 ? lifetimes[mid]! : (lifetimes[mid - 1]! + lifetimes[mid]!) / 2;
      stats.lifeTime = { averageSeconds: lifetimes.reduce((a, b) => a + b, 0) / lifetimes.length, medianSeconds: median };
    }
    out[name] = { stats };
  }
  return out;
}
