// Keeps HAProxy in step with Marathon. Changes only mark apps dirty; one loop recomputes the
// services of the dirty apps, plans, and applies the plan: Runtime API commands when only
// membership changed, else a validated reload. Changes that arrive while a sync runs collapse into
// the next one. An app whose labels break HAProxy's own check is left out, with the reason, and
// retried when it changes; every other app keeps being served, and HAProxy keeps its running config.
import type { AppDefinition, MarathonTaskJson } from '@tepui/protocol';
import type { Logger } from 'pino';
import { configShapeKey, renderHaproxyConfig, servicesForApp, slotsGrowAtRuntime, type RenderedConfig } from '../config';
import type { BackendLayout } from '../model/layout';
import type { ExcludedApp, LbSettings } from '../model/service';
import { DesiredServices } from './desired-services';
import { runtimeCommands } from './runtime-commands';
import { planSync, DEFAULT_SLOT_POLICY, type SlotPolicy } from './sync-plan';

export interface AppWithTasks {
  readonly app: AppDefinition;
  readonly tasks: readonly MarathonTaskJson[];
}

/** What the controller reads of Marathon: the follower's view. */
export interface AppSource {
  app(appId: string): AppWithTasks | undefined;
  appIds(): Iterable<string>;
}

export type ConfigCheck = { valid: true } | { valid: false; problems: ReadonlyArray<{ line?: number; message: string }> };

/** HAProxy as the controller drives it. */
export interface HaproxyDriver {
  check(text: string): Promise<ConfigCheck>;
  /** Starts HAProxy with `text` the first time; reloads it without refusing a connection after. */
  apply(text: string): Promise<void>;
  /** Runtime API commands, in order; rejects if HAProxy refuses one. */
  runtime(commands: readonly string[]): Promise<void>;
}

export interface HostResolver {
  /** Resolves every host not known yet (agents advertise names or addresses). */
  resolveAll(hosts: Iterable<string>): Promise<void>;
  ipOf(host: string): string | undefined;
}

export interface SyncObserver {
  reloaded(reasons: readonly string[], seconds: number): void;
  runtimeApplied(commands: number, seconds: number): void;
  failed(kind: 'check' | 'reload' | 'runtime', error: string): void;
  /** Seconds from the oldest change in a sync reaching the generator to HAProxy having it. */
  propagated(seconds: number): void;
}

export interface LbControllerStatus {
  /** Counts every configuration HAProxy has been given (reloads and runtime updates). */
  readonly generation: number;
  readonly reloads: number;
  readonly runtimeUpdates: number;
  readonly lastAppliedMs?: number;
  readonly lastError?: { readonly message: string; readonly atMs: number };
  readonly excluded: readonly ExcludedApp[];
  readonly backends: number;
  readonly endpoints: number;
}

const MAX_CHECK_ROUNDS = 20;
const VALID: ConfigCheck = { valid: true };
/** After a failed sync, everything is tried again after this long, doubling up to the maximum. */
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

export class LbController {
  private readonly desired: DesiredServices;
  private applied = new Map<string, BackendLayout>();
  private started = false;
  private dirty: Set<string> | 'all' = new Set();
  private oldestChangeMs: number | undefined;
  private running: Promise<void> | undefined;
  private rendered: RenderedConfig | undefined;
  private state: { generation: number; reloads: number; runtimeUpdates: number; lastAppliedMs?: number; lastError?: { message: string; atMs: number } } = {
    generation: 0, reloads: 0, runtimeUpdates: 0,
  };
  private forceReload = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: AppSource,
    private readonly haproxy: HaproxyDriver,
    private readonly settings: LbSettings,
    private readonly hosts: HostResolver,
    private readonly observer: SyncObserver,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly slots: SlotPolicy = DEFAULT_SLOT_POLICY,
  ) {
    this.desired = new DesiredServices(settings);
  }

  /** Marks apps (or everything) changed and makes sure a sync runs; resolves when it has. */
  changed(appIds: Iterable<string> | 'all', receivedAtMs = this.now()): Promise<void> {
    // Until HAProxy runs, any news (even of no app at all) means: start it with everything.
    if (appIds === 'all' || !this.started) this.dirty = 'all';
    else if (this.dirty !== 'all') for (const id of appIds) this.dirty.add(id);
    this.oldestChangeMs = Math.min(this.oldestChangeMs ?? receivedAtMs, receivedAtMs);
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.changed('all');
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  /** HAProxy died: the next sync starts a new one with everything. */
  haproxyLost(): Promise<void> {
    this.started = false;
    return this.changed('all');
  }

  /** The configuration HAProxy runs, as text (rendered on demand: runtime changes don't need it). */
  currentConfig(): string {
    this.rendered ??= renderHaproxyConfig([...this.applied.values()], this.settings);
    return this.rendered.text;
  }

  status(): LbControllerStatus {
    const layouts = [...this.applied.values()];
    return {
      ...this.state,
      excluded: this.desired.excluded(),
      backends: layouts.length,
      endpoints: layouts.reduce((n, l) => n + l.slots.filter((s) => s !== undefined).length, 0),
    };
  }

  layouts(): readonly BackendLayout[] {
    return [...this.applied.values()];
  }

  private async drain(): Promise<void> {
    while (this.dirty === 'all' || this.dirty.size > 0) {
      const dirty = this.dirty;
      const since = this.oldestChangeMs ?? this.now();
      this.dirty = new Set();
      this.oldestChangeMs = undefined;
      try {
        await this.sync(dirty);
        this.observer.propagated(Math.max(0, this.now() - since) / 1000);
        this.retryMs = RETRY_MIN_MS;
      } catch (err) {
        // Whatever failed, HAProxy still runs what it had; a reload of everything is tried again
        // later (or sooner, with the next change).
        this.recordError(err instanceof Error ? err.message : String(err));
        this.forceReload = this.started;
        this.scheduleRetry();
      }
    }
  }

  private async sync(dirty: Set<string> | 'all'): Promise<void> {
    const ids = dirty === 'all' ? new Set([...this.source.appIds(), ...this.desired.appIds()]) : dirty;
    const present = [...ids].map((id) => this.source.app(id)).filter((a): a is AppWithTasks => a !== undefined);
    await this.hosts.resolveAll(present.flatMap((a) => a.tasks.map((t) => t.host)));
    for (const id of ids) {
      const entry = this.source.app(id);
      this.desired.set(id, entry && servicesForApp(entry.app, entry.tasks, this.settings, (host) => this.hosts.ipOf(host)));
    }
    for (let round = 0; round < MAX_CHECK_ROUNDS; round++) {
      const plan = planSync(this.applied, this.desired.services(), configShapeKey, this.slots, slotsGrowAtRuntime);
      if (plan.reloadReasons.length === 0 && !this.forceReload && this.started) {
        if (plan.changes.length > 0) await this.applyRuntime(plan.layouts, runtimeCommands(plan.changes));
        return;
      }
      const rendered = renderHaproxyConfig(plan.layouts, this.settings);
      // More slots in backends HAProxy already runs need no separate `haproxy -c` (which, on a busy
      // box, took up to a second while tasks waited for their slots): the master parses the new
      // text on reload anyway and, should it refuse it, keeps the running worker.
      const check = plan.slotGrowthOnly && this.started && !this.forceReload ? VALID : await this.timedCheck(rendered.text);
      if (check.valid) {
        await this.applyReload(plan.layouts, rendered, plan.reloadReasons);
        return;
      }
      if (!this.refuseOffenders(rendered, check.problems)) {
        throw new Error(`HAProxy refused the configuration: ${check.problems.map((p) => p.message).join('; ')}`);
      }
    }
    throw new Error(`HAProxy kept refusing the configuration after leaving out ${this.desired.refusedCount} apps`);
  }

  private async timedCheck(text: string): Promise<ConfigCheck> {
    const started = this.now();
    const check = await this.haproxy.check(text);
    this.log.debug({ ms: this.now() - started, valid: check.valid }, 'haproxy -c');
    return check;
  }

  /** Leaves out the apps whose lines HAProxy named; false if no problem names an app's line. */
  private refuseOffenders(rendered: RenderedConfig, problems: ReadonlyArray<{ line?: number; message: string }>): boolean {
    let found = false;
    for (const problem of problems) {
      const owner = problem.line === undefined ? undefined : rendered.owners.find((o) => problem.line! >= o.firstLine && problem.line! <= o.lastLine);
      if (!owner) continue;
      found = true;
      const reason = `HAProxy refused its configuration: ${problem.message}`;
      this.desired.refuse(owner.appId, reason);
      this.observer.failed('check', reason);
      this.log.warn({ app: owner.appId, problem: problem.message }, 'app left out of the HAProxy configuration');
    }
    return found;
  }

  private async applyRuntime(layouts: readonly BackendLayout[], commands: string[]): Promise<void> {
    const started = this.now();
    try {
      await this.haproxy.runtime(commands);
    } catch (err) {
      this.observer.failed('runtime', err instanceof Error ? err.message : String(err));
      throw err;
    }
    this.commit(layouts);
    this.state.runtimeUpdates++;
    this.observer.runtimeApplied(commands.length, (this.now() - started) / 1000);
  }

  private async applyReload(layouts: readonly BackendLayout[], rendered: RenderedConfig, reasons: readonly string[]): Promise<void> {
    const started = this.now();
    try {
      await this.haproxy.apply(rendered.text);
    } catch (err) {
      this.observer.failed('reload', err instanceof Error ? err.message : String(err));
      throw err;
    }
    this.commit(layouts);
    this.rendered = rendered;
    this.forceReload = false;
    const why = this.started ? reasons : ['first configuration'];
    this.started = true;
    this.state.reloads++;
    this.observer.reloaded(why, (this.now() - started) / 1000);
    this.log.info({ reasons: why.slice(0, 10), more: Math.max(0, why.length - 10), generation: this.state.generation }, 'HAProxy configuration applied');
  }

  private commit(layouts: readonly BackendLayout[]): void {
    this.applied = new Map(layouts.map((l) => [l.service.backend, l]));
    this.rendered = undefined;
    this.state.generation++;
    this.state.lastAppliedMs = this.now();
  }

  private recordError(message: string): void {
    this.state.lastError = { message, atMs: this.now() };
    this.log.error({ err: message }, 'HAProxy not updated');
  }
}
