// GET /v2/apps?embed=apps.tasks is what load balancers poll, often every second, over every app
// and task. Rendering it from scratch each time is mostly re-serialising things that did not
// change, so the app definition and each task are kept as JSON text and reused until the app is
// replaced (definitions are immutable) or the task's visible state moves.
import type { AppDefinition } from '@tepui/protocol';
import type { Instance } from '../instances/instance';
import { taskJson } from '../instances/task-json';
import { appDefinitionJson } from '../validation';
import { appInfoExtras, type AppEmbed, type AppInfoContext } from './app-info';
import { servicePortsOf } from '../core/group-manager';

const definitions = new WeakMap<AppDefinition, string>();

interface TaskText {
  readonly app: AppDefinition;
  readonly state: string;
  readonly startedAt: string | undefined;
  readonly ipAddresses: Instance['ipAddresses'];
  readonly health: readonly unknown[];
  readonly mesosHealthy: boolean | undefined;
  readonly text: string;
}
const tasks = new WeakMap<Instance, TaskText>();

function definitionText(app: AppDefinition): string {
  let text = definitions.get(app);
  if (text === undefined) definitions.set(app, (text = JSON.stringify(appDefinitionJson(app))));
  return text;
}

function taskText(app: AppDefinition, i: Instance): string {
  const cached = tasks.get(i);
  if (
    cached && cached.app === app && cached.state === i.state && cached.startedAt === i.startedAt && cached.ipAddresses === i.ipAddresses &&
    cached.mesosHealthy === i.mesosHealthy && cached.health.length === i.healthCheckResults.length && cached.health.every((h, n) => h === i.healthCheckResults[n])
  ) return cached.text;
  const text = JSON.stringify(taskJson(i, servicePortsOf(app)));
  tasks.set(i, { app, state: i.state, startedAt: i.startedAt, ipAddresses: i.ipAddresses, health: [...i.healthCheckResults], mesosHealthy: i.mesosHealthy, text });
  return text;
}

interface AppText {
  readonly key: string;
  readonly text: string;
}
const apps = new WeakMap<AppDefinition, AppText>();

/**
 * The same document as JSON.stringify(appInfoJson(...)), assembled from cached pieces; reused whole
 * while the app's instances are at the same `revision` (task statistics depend on the clock, so
 * those are never reused).
 */
export function appInfoText(app: AppDefinition, embeds: ReadonlySet<AppEmbed>, ctx: AppInfoContext, revision?: number): string {
  const key = `${revision}|${[...embeds].sort().join(',')}|${ctx.deploymentIds.join(',')}|${ctx.lastTaskFailure?.taskId ?? ''}`;
  const cached = apps.get(app);
  if (revision !== undefined && !embeds.has('taskStats') && cached?.key === key) return cached.text;
  const text = render(app, embeds, ctx);
  if (revision !== undefined) apps.set(app, { key, text });
  return text;
}

function render(app: AppDefinition, embeds: ReadonlySet<AppEmbed>, ctx: AppInfoContext): string {
  const def = definitionText(app);
  let out = `${def.slice(0, -1)},${JSON.stringify(appInfoExtras(app, embeds, ctx)).slice(1, -1)}`;
  if (embeds.has('tasks')) out += `,"tasks":[${ctx.instances.map((i) => taskText(app, i)).join(',')}]`;
  return `${out}}`;
}

/** The last `{"apps":[…]}` body one API served, with what it was made of. */
export interface AppListCache {
  last?: { key: string; body: Buffer };
}

/**
 * The whole `{"apps":[…]}` body. When nothing in it changed since the last request for the same
 * embeds, the previous bytes are sent again: steady-state polling allocates almost nothing.
 */
export function appListBody(
  cache: AppListCache,
  list: readonly AppDefinition[],
  embeds: ReadonlySet<AppEmbed>,
  contextOf: (app: AppDefinition) => AppInfoContext,
  revisionOf: (app: AppDefinition) => number,
): Buffer {
  const contexts = list.map(contextOf);
  const stable = !embeds.has('taskStats');
  const key = stable
    ? `${[...embeds].sort().join(',')}#${list.map((a, n) => `${a.id}@${a.version}:${revisionOf(a)}:${contexts[n]!.deploymentIds.join(',')}:${contexts[n]!.lastTaskFailure?.taskId ?? ''}`).join(';')}`
    : '';
  if (stable && cache.last?.key === key) return cache.last.body;
  const body = Buffer.from(`{"apps":[${list.map((a, n) => appInfoText(a, embeds, contexts[n]!, revisionOf(a))).join(',')}]}`);
  if (stable) cache.last = { key, body };
  return body;
}
