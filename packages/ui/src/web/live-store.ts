// The page's copy of Marathon's apps and launch queue, kept current by /v2/events. It reads the
// list once, then re-reads only the apps events name (a burst of events costs one round of reads,
// one round at a time); it reads everything again only after the stream dropped. Nothing polls:
// an idle cluster costs Marathon nothing beyond the open stream.
import { connectionAt, RESTORED_BANNER_MS, streamFailed, streamOpened, type Connection } from '../model/connection';
import { eventEffects, UI_EVENT_TYPES } from '../model/live-events';
import { decodeAppList, decodeGroupIds, decodeQueue, decodeSingleApp, type AppSummary, type QueueSummary } from '../model/marathon-wire';
import { appPath, requestJson } from './marathon-client';
import { followEventStream } from './shared-event-source';

/** Events are gathered this long before the apps they name are read, so a burst costs one read each. */
const GATHER_MS = 30;
/** How long the first read waits for the event stream to open. */
const FIRST_READ_WAIT_MS = 500;
/** More stale apps than this and one list read is cheaper than reading each. */
const LIST_READ_THRESHOLD = 40;
/** Marked when the first list is read and decoded (before it is rendered), for the benchmark. */
export const APPS_READ_MARK = 'tepui:apps-read';
/**
 * No event says that an offer was declined, so while a page explains why an app waits, the launch
 * queue (its offer counts) is read again this often; nothing is read while no such page is open.
 */
const QUEUE_REFRESH_MS = 3000;
const LIST_PATH = '/v2/apps?embed=apps.counts&embed=apps.deployments&embed=apps.lastTaskFailure';
/** The group tree without its apps: groups with no apps are named by no app id. */
const GROUPS_PATH = '/v2/groups?embed=group.groups';

type StreamEventListener = (eventType: string, data: unknown) => void;

export class LiveStore {
  apps = new Map<string, AppSummary>();
  queue = new Map<string, QueueSummary>();
  /** Every group of Marathon's tree, read with the list (group_change_success reads both again). */
  groupIds: readonly string[] = [];
  connection: Connection = { kind: 'connecting' };
  loaded = false;
  loadError: string | undefined;
  /** Apps that were read and are gone (404): their pages say so. */
  readonly missing = new Set<string>();
  /** Bumped on every change, so views can tell whether to render again. */
  revision = 0;

  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<StreamEventListener>();
  private readonly stale = new Set<string>();
  private staleAll = false;
  private reading = false;
  private gatherTimer: ReturnType<typeof setTimeout> | undefined;
  /** Apps a page shows in full (with tasks): read singly, also after a list read. */
  private readonly watched = new Map<string, number>();
  private queueFollowers = 0;
  private queueTimer: ReturnType<typeof setTimeout> | undefined;
  /** The first read, waiting for the stream to open. */
  private firstRead: ReturnType<typeof setTimeout> | undefined;
  /** Something was read while the stream had never been open. */
  private readBeforeOpen = false;

  start(): void {
    this.openStream();
    this.staleAll = true;
    // The first read waits for the stream to open, so that it is answered after Marathon has
    // subscribed this page (one read, no change missed); a stream slow to open does not hold it long.
    this.firstRead = setTimeout(() => this.startFirstRead(), FIRST_READ_WAIT_MS);
  }

  private startFirstRead(): void {
    if (this.firstRead === undefined) return;
    clearTimeout(this.firstRead);
    this.firstRead = undefined;
    void this.read();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every event of the stream (its JSON parsed, not trusted), for views that keep their own state. */
  onEvent(listener: StreamEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** A page shows this app with its tasks: read it now, and again whenever it changes. */
  watchApp(appId: string): () => void {
    this.watched.set(appId, (this.watched.get(appId) ?? 0) + 1);
    this.markStale([appId]);
    return () => {
      const n = (this.watched.get(appId) ?? 1) - 1;
      if (n <= 0) this.watched.delete(appId);
      else this.watched.set(appId, n);
    };
  }

  /** A page shows the launch queue's offer counts: read the queue again every QUEUE_REFRESH_MS until it closes. */
  followQueue(): () => void {
    this.queueFollowers += 1;
    if (this.queueFollowers === 1) this.scheduleQueueRead();
    return () => {
      this.queueFollowers -= 1;
      if (this.queueFollowers > 0) return;
      clearTimeout(this.queueTimer);
      this.queueTimer = undefined;
    };
  }

  private scheduleQueueRead(): void {
    this.queueTimer = setTimeout(() => {
      void this.readQueue().finally(() => {
        this.changed();
        // The next read is timed from the end of this one, so a slow Marathon is never asked twice at once.
        if (this.queueFollowers > 0) this.scheduleQueueRead();
      });
    }, QUEUE_REFRESH_MS);
  }

  /** After the user changed an app: show Marathon's answer at once rather than at the next event. */
  markStale(appIds: readonly string[]): void {
    for (const id of appIds) this.stale.add(id);
    this.scheduleRead();
  }

  private markAllStale(): void {
    this.staleAll = true;
    this.scheduleRead();
  }

  private changed(): void {
    this.revision += 1;
    for (const listener of this.listeners) listener();
  }

  private scheduleRead(): void {
    if (this.reading || this.gatherTimer !== undefined) return;
    this.gatherTimer = setTimeout(() => {
      this.gatherTimer = undefined;
      void this.read();
    }, GATHER_MS);
  }

  private async read(): Promise<void> {
    this.reading = true;
    if (this.connection.kind === 'connecting') this.readBeforeOpen = true;
    const all = this.staleAll || this.stale.size > LIST_READ_THRESHOLD;
    const ids = all ? [...this.watched.keys()] : [...this.stale];
    this.staleAll = false;
    this.stale.clear();
    try {
      // All at once: a list read keeps the tasks a single read of a watched app brought.
      await Promise.all([all ? this.readList() : undefined, all ? this.readGroups() : undefined, ...ids.map((id) => this.readApp(id)), this.readQueue()]);
    } finally {
      this.reading = false;
      this.changed();
      if (this.staleAll || this.stale.size > 0) this.scheduleRead();
    }
  }

  private async readList(): Promise<void> {
    const answer = await requestJson('GET', LIST_PATH);
    if (!answer.ok) {
      this.loadError = `Marathon answered ${answer.status} to ${LIST_PATH}`;
      return;
    }
    const next = new Map<string, AppSummary>();
    for (const app of decodeAppList(answer.body)) {
      // Keep the tasks of a watched app until its own read replaces them (no flicker).
      const tasks = this.apps.get(app.id)?.tasks;
      next.set(app.id, tasks && this.watched.has(app.id) && !app.tasks ? { ...app, tasks } : app);
    }
    this.apps = next;
    if (!this.loaded) performance.mark(APPS_READ_MARK);
    this.loaded = true;
    this.loadError = undefined;
  }

  private async readGroups(): Promise<void> {
    const answer = await requestJson('GET', GROUPS_PATH);
    if (answer.ok) this.groupIds = decodeGroupIds(answer.body);
  }

  private async readApp(appId: string): Promise<void> {
    const answer = await requestJson('GET', `${appPath(appId)}?embed=app.counts&embed=app.deployments&embed=app.lastTaskFailure&embed=app.tasks`);
    if (answer.status === 404) {
      this.apps.delete(appId);
      this.missing.add(appId);
      return;
    }
    const app = answer.ok ? decodeSingleApp(answer.body) : undefined;
    if (!app) return;
    this.missing.delete(appId);
    this.apps.set(app.id, app);
  }

  private async readQueue(): Promise<void> {
    const answer = await requestJson('GET', '/v2/queue');
    if (answer.ok) this.queue = new Map(decodeQueue(answer.body).map((q) => [q.appId, q]));
  }

  private openStream(): void {
    const query = UI_EVENT_TYPES.map((t) => `event_type=${t}`).join('&');
    const events = Object.fromEntries(UI_EVENT_TYPES.map((type) => [type, (text: string) => this.onStreamEvent(type, text)]));
    followEventStream(`/v2/events?${query}`, {
      opened: () => {
        this.applyConnection(streamOpened(this.connection, Date.now(), this.readBeforeOpen));
        this.startFirstRead();
      },
      lost: () => this.applyConnection(streamFailed(this.connection, Date.now())),
      events,
    });
  }

  private onStreamEvent(type: string, text: string): void {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return; // Marathon writes JSON; a broken line names no app to read again
    }
    const effects = eventEffects(type, data);
    if (effects.staleAll) this.markAllStale();
    if (effects.staleApps.length > 0) this.markStale(effects.staleApps);
    for (const listener of this.eventListeners) listener(type, data);
  }

  private applyConnection(change: { connection: Connection; reload: boolean }): void {
    const was = this.connection;
    this.connection = change.connection;
    if (change.reload) this.markAllStale();
    if (change.connection.kind === 'restored' && was.kind !== 'restored') {
      setTimeout(() => {
        this.connection = connectionAt(this.connection, Date.now());
        this.changed();
      }, RESTORED_BANNER_MS);
    }
    if (was !== change.connection) this.changed();
  }
}
