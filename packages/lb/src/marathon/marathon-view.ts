// The load balancer's picture of Marathon: every app with its live tasks, as `GET
// /v2/apps?embed=apps.tasks` last showed them, patched by the event stream in between. Pure: no
// I/O, no clock; the follower feeds it and tells the sink which apps changed.
//
// marathon-lb turns every event into a full re-list (discovery.md B.1); here task-level events
// (status updates, health changes) patch the view at once, and only events that may change app
// definitions ask for a re-list (C.2). Snapshots handed out are never mutated afterwards
// (copy-on-write, shallow-frozen), so a caller may keep the previous one to diff against.
import type { MarathonAppWithTasks, MarathonEvent, MarathonHealthCheckResult, MarathonTaskJson } from '@tepui/protocol';

/**
 * Task states the view drops, from a status update or a listing alike. Mesos' terminal states,
 * plus UNKNOWN and UNREACHABLE: such a task cannot take traffic now (marathon-lb keeps LOST and
 * UNREACHABLE optimistically; Tepui does not).
 */
export const GONE_TASK_STATES: ReadonlySet<string> = new Set([
  'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED',
  'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN', 'TASK_UNREACHABLE',
]);

/** Events that may change app definitions: the view cannot patch them, the caller re-lists. */
export const RELIST_EVENT_TYPES: ReadonlySet<string> = new Set([
  'api_post_event', 'deployment_info', 'deployment_step_success', 'deployment_success', 'deployment_failed',
  'group_change_success', 'app_terminated_event',
]);

export interface ViewChange {
  /** The view's version after this call; it moves only when something changed. */
  readonly version: number;
  /** Apps added, removed, or whose definition or tasks changed. */
  readonly changedApps: ReadonlySet<string>;
  /** App definitions may have changed, or the event names something the view does not know. */
  readonly needsRelist: boolean;
  /** Why a re-list is needed, for the log. */
  readonly reason?: string;
}

interface AppEntry {
  /** The definition as listed, without `tasks`. */
  readonly definition: MarathonAppWithTasks;
  readonly tasks: Map<string, MarathonTaskJson>;
  /** Built on first read after a change. */
  snapshot?: MarathonAppWithTasks;
}

const NO_APPS: ReadonlySet<string> = new Set();

export class MarathonView {
  private apps = new Map<string, AppEntry>();
  private currentVersion = 0;
  private everLoaded = false;

  /** 0 until the first load; then one more for each load and each patch that changed something. */
  get version(): number {
    return this.currentVersion;
  }

  /** Whether a listing has been loaded yet (before that the view is empty, not "no apps"). */
  get loaded(): boolean {
    return this.everLoaded;
  }

  get size(): number {
    return this.apps.size;
  }

  /** The app with its live tasks (always a `tasks` array); undefined if Marathon has no such app. */
  app(appId: string): MarathonAppWithTasks | undefined {
    const entry = this.apps.get(appId);
    if (!entry) return undefined;
    entry.snapshot ??= snapshotOf(entry);
    return entry.snapshot;
  }

  /** The live tasks of an app (empty for an unknown app). */
  tasks(appId: string): readonly MarathonTaskJson[] {
    return this.app(appId)?.tasks ?? [];
  }

  /** App ids, sorted. */
  appIds(): string[] {
    return [...this.apps.keys()].sort();
  }

  /** Every app with its tasks, sorted by id. */
  allApps(): MarathonAppWithTasks[] {
    return this.appIds().flatMap((id) => this.app(id) ?? []);
  }

  /** A full listing replaces everything; the change names the apps whose JSON differs. */
  load(listed: readonly MarathonAppWithTasks[]): ViewChange {
    const next = new Map<string, AppEntry>();
    for (const app of listed) next.set(app.id, entryOf(app, this.apps.get(app.id)));
    const changed = new Set<string>();
    for (const [id, entry] of next) {
      const before = this.apps.get(id);
      if (!before || !sameEntry(before, entry)) changed.add(id);
    }
    for (const id of this.apps.keys()) if (!next.has(id)) changed.add(id);
    this.apps = next;
    this.everLoaded = true;
    // A load always counts as a change: the caller hears of it as a full resync.
    return { version: ++this.currentVersion, changedApps: changed, needsRelist: false };
  }

  /** Patches the view from one event of /v2/events. */
  applyEvent(event: MarathonEvent): ViewChange {
    switch (event.eventType) {
      case 'status_update_event':
        return this.onStatusUpdate(event);
      case 'health_status_changed_event':
        return this.onHealthChanged(event.appId, event.instanceId, event.alive, event.timestamp);
      case 'unhealthy_instance_kill_event':
        return this.onUnhealthyKill(event.appId, event.taskId);
      case 'app_terminated_event': {
        // All its instances are gone: drop them now rather than after the re-list.
        const removed = this.apps.delete(event.appId);
        return removed ? this.changed([event.appId], `app ${event.appId} terminated`) : this.relist(`app ${event.appId} terminated`);
      }
      default:
        if (RELIST_EVENT_TYPES.has(event.eventType)) return this.relist(event.eventType);
        return this.unchanged();
    }
  }

  private onStatusUpdate(event: Extract<MarathonEvent, { eventType: 'status_update_event' }>): ViewChange {
    const entry = this.apps.get(event.appId);
    if (!entry) return this.relist(`status update for unknown app ${event.appId}`);
    const existing = entry.tasks.get(event.taskId);
    if (GONE_TASK_STATES.has(event.taskStatus)) {
      if (!existing) return this.unchanged();
      entry.tasks.delete(event.taskId);
      return this.touched(entry, event.appId);
    }
    // Marathon never wants a task back once it decided to kill it: an older update (replayed
    // after a listing that already shows TASK_KILLING) must not put it back in rotation.
    const state = existing?.state === 'TASK_KILLING' ? 'TASK_KILLING' : event.taskStatus;
    const startedAt = existing?.startedAt ?? (state === 'TASK_RUNNING' ? event.timestamp : undefined);
    // Over the listed task, so fields this event does not carry (region, zone…) survive.
    const task: MarathonTaskJson = {
      ...existing,
      id: event.taskId,
      appId: event.appId,
      host: event.host,
      slaveId: event.slaveId,
      state,
      stagedAt: existing?.stagedAt ?? event.timestamp,
      ...(startedAt !== undefined ? { startedAt } : {}),
      version: event.version,
      ports: [...event.ports],
      servicePorts: existing?.servicePorts ?? servicePortsOf(entry),
      ipAddresses: event.ipAddresses.length > 0 || !existing ? event.ipAddresses.map((a) => ({ ...a })) : existing.ipAddresses ?? [],
      healthCheckResults: existing?.healthCheckResults ?? [],
      localVolumes: existing?.localVolumes ?? [],
      role: existing?.role ?? entry.definition.role ?? '*',
    };
    if (existing && sameJson(existing, task)) return this.unchanged();
    entry.tasks.set(task.id, Object.freeze(task));
    return this.touched(entry, event.appId);
  }

  private onHealthChanged(appId: string, instanceId: string, alive: boolean, at: string): ViewChange {
    const entry = this.apps.get(appId);
    if (!entry) return this.relist(`health change for unknown app ${appId}`);
    const tasks = [...entry.tasks.values()].filter((t) => isTaskOfInstance(t.id, instanceId));
    if (tasks.length === 0) return this.relist(`health change for unknown instance ${instanceId}`);
    let changed = false;
    let ambiguous = false;
    for (const task of tasks) {
      // The event does not say which of several checks changed: apply it to all for now, and
      // have the listing restore the per-check truth.
      // Older Marathons leave `healthCheckResults` out when there are none.
      const results = task.healthCheckResults ?? [];
      if (results.length > 1) ambiguous = true;
      const next = results.length > 0 ? results.map((r) => healthResult(r, alive, at)) : [firstResult(instanceId, alive, at)];
      if (sameJson(next, results)) continue;
      entry.tasks.set(task.id, Object.freeze({ ...task, healthCheckResults: next }));
      changed = true;
    }
    const change = changed ? this.touched(entry, appId) : this.unchanged();
    return ambiguous ? { ...change, needsRelist: true, reason: `health change of ${instanceId} with several checks` } : change;
  }

  /** Marathon kills an unhealthy instance: its listing shows TASK_KILLING from now on. */
  private onUnhealthyKill(appId: string, taskId: string): ViewChange {
    const entry = this.apps.get(appId);
    if (!entry) return this.relist(`unhealthy kill for unknown app ${appId}`);
    const task = entry.tasks.get(taskId);
    if (!task || task.state === 'TASK_KILLING') return this.unchanged();
    entry.tasks.set(taskId, Object.freeze({ ...task, state: 'TASK_KILLING' }));
    return this.touched(entry, appId);
  }

  private touched(entry: AppEntry, appId: string): ViewChange {
    entry.snapshot = undefined;
    return this.changed([appId]);
  }

  private changed(appIds: string[], reason?: string): ViewChange {
    return {
      version: ++this.currentVersion,
      changedApps: new Set(appIds),
      needsRelist: reason !== undefined,
      ...(reason !== undefined ? { reason } : {}),
    };
  }

  private relist(reason: string): ViewChange {
    return { version: this.currentVersion, changedApps: NO_APPS, needsRelist: true, reason };
  }

  private unchanged(): ViewChange {
    return { version: this.currentVersion, changedApps: NO_APPS, needsRelist: false };
  }
}

/**
 * Whether a task belongs to an instance: `<instanceId>._app.<attempt>` (1.7+), or a task id that is
 * the instance id or starts with it (older forms). Health events carry instance ids since 1.4.
 */
export function isTaskOfInstance(taskId: string, instanceId: string): boolean {
  return taskId === instanceId || taskId.startsWith(`${instanceId}.`);
}

/**
 * A listed task whose health no check has established yet keeps the results known before: a
 * Marathon that has just started (or failed over) lists no results, or placeholders no check has
 * run for, and its tasks did not become unhealthy for that (marathon-lb keeps the last known health
 * of each task for the same reason).
 */
function entryOf(app: MarathonAppWithTasks, before?: AppEntry): AppEntry {
  const { tasks, ...definition } = app;
  const live = (tasks ?? []).filter((t) => !GONE_TASK_STATES.has(t.state)).map((t) => {
    const known = before?.tasks.get(t.id)?.healthCheckResults;
    const unknown = (t.healthCheckResults ?? []).every(neverChecked);
    return unknown && known !== undefined && known.length > 0 && !known.every(neverChecked) ? { ...t, healthCheckResults: known } : t;
  });
  return { definition, tasks: new Map(live.map((t) => [t.id, Object.freeze(t)])) };
}

/** Marathon's placeholder result: not alive, and no check has succeeded or failed yet. */
function neverChecked(result: MarathonHealthCheckResult): boolean {
  return !result.alive && result.firstSuccess === null && result.lastSuccess === null && result.lastFailure === null && result.consecutiveFailures === 0;
}

function snapshotOf(entry: AppEntry): MarathonAppWithTasks {
  return Object.freeze({ ...entry.definition, tasks: Object.freeze([...entry.tasks.values()]) as MarathonTaskJson[] });
}

function sameEntry(a: AppEntry, b: AppEntry): boolean {
  if (a.tasks.size !== b.tasks.size || !sameJson(a.definition, b.definition)) return false;
  for (const [id, task] of a.tasks) if (!sameJson(task, b.tasks.get(id))) return false;
  return true;
}

/** The app's service ports, as Marathon puts them on each task (marathon.md §7). */
function servicePortsOf(entry: AppEntry): number[] {
  const sibling = entry.tasks.values().next();
  if (!sibling.done && sibling.value.servicePorts) return sibling.value.servicePorts;
  const app = entry.definition;
  const mappings = app.container?.portMappings ?? app.container?.docker?.portMappings;
  if (mappings && mappings.length > 0) return mappings.map((m) => m.servicePort ?? 0);
  return (app.portDefinitions ?? []).map((p) => p.port);
}

/** A task listed before its first check result: the event is all there is to know. */
function firstResult(instanceId: string, alive: boolean, at: string): MarathonHealthCheckResult {
  return {
    alive, consecutiveFailures: alive ? 0 : 1, firstSuccess: alive ? at : null, lastSuccess: alive ? at : null,
    lastFailure: alive ? null : at, lastFailureCause: null, instanceId,
  };
}

function healthResult(previous: MarathonHealthCheckResult, alive: boolean, at: string): MarathonHealthCheckResult {
  if (previous.alive === alive) return previous;
  return alive
    ? { ...previous, alive, consecutiveFailures: 0, firstSuccess: previous.firstSuccess ?? at, lastSuccess: at }
    : { ...previous, alive, consecutiveFailures: Math.max(1, previous.consecutiveFailures), lastFailure: at };
}

/** Structural equality of JSON values (object key order and undefined members ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameJson(v, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => o[k] !== undefined);
  const ak = keys(a);
  if (ak.length !== keys(b).length) return false;
  return ak.every((k) => sameJson(a[k], b[k]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
