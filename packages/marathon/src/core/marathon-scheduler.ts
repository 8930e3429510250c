// Marathon's scheduler as one service with a lifecycle: the state it keeps (root group, instances,
// deployments, launch queue, delays), the loops that act on it (controllers, health, readiness,
// reconciliation) and the three things Mesos tells it (subscribed, offers, status updates). It
// speaks to Mesos only through MesosActions, so tests run it against a fake master with a manual
// clock; marathon.ts plugs it into the SDK driver and the REST API.
import type { AppDefinition, Cancel, Clock, Offer, TaskStatus } from '@tepui/protocol';
import type { Logger } from 'pino';
import { ReconciliationRound, toId } from '@tepui/sdk';
import { EventBus } from '../events/event-bus';
import type { Instance } from '../instances/instance';
import { LaunchDelays } from '../queue/launch-delay';
import { MarathonRepository } from '../storage/repository';
import { decodeSegment, encodeSegment, type StateStore } from '../storage/state-store';
import { DeploymentManager } from './deployment-manager';
import { GroupCommit } from './group-commit';
import { GroupManager } from './group-manager';
import { HealthManager } from './health-manager';
import { InstanceTracker } from './instance-tracker';
import { LaunchQueue } from './launch-queue';
import type { MesosActions } from './mesos-actions';
import { OfferProcessor } from './offer-processor';
import { ReadinessTracker } from './readiness-tracker';
import { RootGroup } from './root-group';
import { DEFAULT_KILL_RETRY_MS, SchedulerCore } from './scheduler-core';
import { StatusProcessor, type TaskFailure } from './status-processor';

export interface MarathonSchedulerConfig {
  /** --mesos_role */
  readonly role: string;
  readonly declineOfferSeconds: number;
  readonly maxInstancesPerOffer: number;
  readonly launchConfirmTimeoutMs: number;
  readonly killRetryMs?: number;
  readonly minReviveIntervalMs: number;
  readonly reconciliationInitialDelayMs: number;
  readonly reconciliationIntervalMs: number;
  readonly maxOutstandingEvents?: number;
  readonly servicePorts: { readonly min: number; readonly max: number };
}

export interface MarathonSchedulerDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly store: StateStore;
  readonly random?: () => number;
}

export interface Subscription {
  readonly frameworkId: string;
  readonly resubscribed: boolean;
  /** host:port of the leading master, for the registered events. */
  readonly master: string;
}

/** Unanswered tasks are asked about again after 1 s, 2 s, … up to every 30 s. */
const RECONCILE_RETRY = { initialMs: 1_000, maxMs: 30_000, jitter: 0 };

export class MarathonScheduler {
  readonly repository: MarathonRepository;
  readonly bus: EventBus;
  readonly tracker: InstanceTracker;
  readonly root: RootGroup;
  readonly queue = new LaunchQueue();
  readonly delays = new LaunchDelays();
  readonly failures = new Map<string, TaskFailure>();
  readonly readiness: ReadinessTracker;
  readonly core: SchedulerCore;
  readonly deployments: DeploymentManager;
  readonly groups: GroupManager;
  private readonly writes: GroupCommit;
  private readonly health: HealthManager;
  private readonly status: StatusProcessor;
  private actions: MesosActions | undefined;
  private offerProcessor: OfferProcessor | undefined;
  private cancelReconcile: Cancel | undefined;
  /** The explicit reconciliation under way: its tasks are asked again until each has answered. */
  private round: ReconciliationRound | undefined;
  private cancelRoundRetry: Cancel | undefined;

  private constructor(
    private readonly config: MarathonSchedulerConfig,
    private readonly deps: MarathonSchedulerDeps,
  ) {
    const { clock, log, store } = deps;
    this.repository = new MarathonRepository(store);
    this.writes = new GroupCommit(store);
    this.bus = new EventBus(clock, config.maxOutstandingEvents);
    this.tracker = new InstanceTracker(this.writes);
    this.root = new RootGroup(this.repository, store);
    this.readiness = new ReadinessTracker(clock, (appId) => this.core.changed(appId));
    this.core = new SchedulerCore({
      clock, log, root: this.root, tracker: this.tracker, queue: this.queue, delays: this.delays,
      deployments: () => this.deployments, actions: () => this.actions,
      config: { launchConfirmTimeoutMs: config.launchConfirmTimeoutMs, killRetryMs: config.killRetryMs ?? DEFAULT_KILL_RETRY_MS, minReviveIntervalMs: config.minReviveIntervalMs },
      ready: (id) => this.readiness.ready(id),
      forgotten: (i) => this.stopWatching(i),
    });
    this.deployments = new DeploymentManager(this.repository, this.bus, log, (appId) => this.core.changed(appId), (plan) => {
      for (const step of plan.steps) for (const a of step.actions) if (a.action === 'StopApplication') this.bus.publish({ eventType: 'app_terminated_event', appId: a.app });
    });
    this.groups = new GroupManager(this.root, this.deployments, this.bus, clock, config.servicePorts);
    this.health = new HealthManager({
      clock, bus: this.bus,
      instance: (id) => this.tracker.get(id),
      // Health results are not stored: after a restart they are measured again.
      changed: (i) => this.core.changed(i.appId),
      kill: (i, reason) => this.core.kill(i, reason),
    });
    this.status = new StatusProcessor({
      clock, log, bus: this.bus, tracker: this.tracker, delays: this.delays, appOf: (id) => this.root.app(id),
      killUnknown: (taskId, agentId) => this.core.killUnknown(taskId, agentId),
      recordFailure: (f) => {
        this.failures.set(f.appId, f);
        void this.writes.put(`/taskFailures/${encodeSegment(f.appId)}`, f).catch((err: Error) => log.warn({ err: err.message }, 'storing a task failure failed'));
      },
      running: (i) => {
        this.withVersionOf(i, (app) => this.health.watch(i, app));
        const app = this.root.app(i.appId);
        if (app && app.version === i.version) this.readiness.watch(i, app);
      },
      ended: (i) => this.stopWatching(i),
      changed: (appId) => this.core.changed(appId),
    });
  }

  /** Loads everything stored and starts the loops; Mesos comes in with `subscribed`. */
  static async open(config: MarathonSchedulerConfig, deps: MarathonSchedulerDeps): Promise<MarathonScheduler> {
    const scheduler = new MarathonScheduler(config, deps);
    await scheduler.load();
    return scheduler;
  }

  private async load(): Promise<void> {
    const { store, clock, log } = this.deps;
    const started = clock.now();
    // Apps, instances and failures are read together: a new leader serves once all are in.
    const [, , failures] = await Promise.all([
      this.root.load(),
      store.children('/instances').then((names) => this.tracker.load(this.repository, names.map(decodeSegment))),
      this.repository.all<TaskFailure>('/taskFailures'),
    ]);
    for (const f of failures) this.failures.set(f.appId, f);
    await this.deployments.load();
    log.info({ apps: this.root.allApps().length, instances: this.tracker.all().length, deployments: this.deployments.list().length, ms: clock.now() - started }, 'state loaded');
    // Old versions' instances too: mid-deployment they must keep proving healthy, or a resumed
    // restart would take them for unhealthy and replace them all at once.
    for (const i of this.tracker.all()) if (i.state === 'TASK_RUNNING') this.withVersionOf(i, (app) => this.health.watch(i, app));
    this.core.start();
  }

  /** SUBSCRIBED: ready for offers before anything is awaited, since offers can follow right behind. */
  async subscribed(subscription: Subscription, actions: MesosActions): Promise<void> {
    const { clock, log } = this.deps;
    this.actions = actions;
    this.offerProcessor = new OfferProcessor({
      clock, log, queue: this.queue, delays: this.delays, tracker: this.tracker, actions, random: this.deps.random ?? Math.random,
      config: { role: this.config.role, declineOfferSeconds: this.config.declineOfferSeconds, maxInstancesPerOffer: this.config.maxInstancesPerOffer },
      onChanged: (appId) => this.core.changed(appId),
      kill: (instance, reason) => this.core.kill(instance, reason),
      decline: (ids, seconds, seenAt) => this.core.decline(ids, seconds, seenAt),
    });
    if (subscription.frameworkId !== (await this.repository.frameworkId())) await this.repository.setFrameworkId(subscription.frameworkId);
    if (subscription.resubscribed) this.bus.publish({ eventType: 'scheduler_reregistered_event', master: subscription.master });
    else this.bus.publish({ eventType: 'scheduler_registered_event', frameworkId: subscription.frameworkId, master: subscription.master });
    log.info({ frameworkId: subscription.frameworkId, resubscribed: subscription.resubscribed }, 'subscribed to Mesos');
    this.core.resetOfferInterest();
    this.core.changedAll();
    this.scheduleReconcile(this.config.reconciliationInitialDelayMs);
  }

  /** Offers: matched to waiting instances, the rest declined. Before SUBSCRIBED is handled, all are declined. */
  offers(list: readonly Offer[], declineUnready: (offerIds: string[]) => Promise<void>): Promise<void> {
    const seenAt = this.core.offersSeen();
    if (this.offerProcessor) return this.offerProcessor.process(list, seenAt);
    return declineUnready(list.map((o) => o.id.value));
  }

  /** A status update; resolves once the state it leads to is stored (then it may be acknowledged). */
  update(status: TaskStatus): Promise<void> {
    this.round?.observe(status);
    return this.status.apply(status);
  }

  disconnected(): void {
    this.bus.publish({ eventType: 'scheduler_disconnected_event' });
  }

  /** Stops the loops and waits for pending writes; the store stays open (its owner closes it). */
  async stop(): Promise<void> {
    this.cancelReconcile?.();
    this.cancelRoundRetry?.();
    this.health.stop();
    this.readiness.stop();
    this.core.stop();
    await this.writes.drain();
  }

  /** The app definition an instance runs: the current one, or the stored version it was launched from. */
  private withVersionOf(i: Instance, use: (app: AppDefinition) => void): void {
    const current = this.root.app(i.appId);
    if (current?.version === i.version) use(current);
    else void this.root.versionOf(i.appId, i.version).then((app) => app && use(app), () => undefined);
  }

  private stopWatching(i: Instance): void {
    this.health.unwatch(i.instanceId);
    this.readiness.unwatch(i.instanceId);
  }

  /** Explicit reconciliation of every task Marathon knows, then implicit (Marathon's reconciliation loop). */
  private async reconcile(): Promise<void> {
    const actions = this.actions;
    if (!actions) return;
    // Not a task whose LAUNCH is still on its way: the master would answer that it does not know it.
    const known = this.tracker.all().filter((i) => !this.tracker.isLaunchPending(i.instanceId)).map((i) => ({ taskId: i.taskId, agentId: i.agentId }));
    this.cancelRoundRetry?.();
    this.round = new ReconciliationRound(known, this.deps.clock.now(), RECONCILE_RETRY);
    await this.askAgain(this.round, actions);
    await actions.reconcile([]);
  }

  /**
   * Asks about the round's unanswered tasks, and again after a backoff until all answered (Mesos'
   * reconciliation algorithm): a master that has just failed over answers nothing for agents that
   * have not re-registered yet, and only later reports them unreachable.
   */
  private async askAgain(round: ReconciliationRound, actions: MesosActions): Promise<void> {
    const request = round.nextRequest();
    if (!request || round !== this.round) return;
    // Every task Marathon tracks has its agent id.
    const tasks = request.tasks.map((t) => ({ taskId: toId(t.task_id).value, agentId: toId(t.agent_id!).value }));
    for (let n = 0; n < tasks.length; n += 1000) await actions.reconcile(tasks.slice(n, n + 1000));
    this.cancelRoundRetry = this.deps.clock.setTimer(request.retryInMs, () => {
      void this.askAgain(round, actions).catch((err: Error) => this.deps.log.warn({ err: err.message }, 'reconciliation failed'));
    });
  }

  private scheduleReconcile(delayMs: number): void {
    this.cancelReconcile?.();
    this.cancelReconcile = this.deps.clock.setTimer(delayMs, () => {
      void this.reconcile().catch((err: Error) => this.deps.log.warn({ err: err.message }, 'reconciliation failed'));
      this.scheduleReconcile(this.config.reconciliationIntervalMs);
    });
  }
}
