// Marathon's scheduling loop: after anything changes for an app (a status update, a health result,
// a deployment step, an API call), its controller decides what to queue and what to kill; the
// launch queue decides whether Marathon wants offers (REVIVE) or not (SUPPRESS). A periodic tick
// re-sends unconfirmed kills, drops launches that never got a status, and ends backoff delays.
// All time comes from the injected clock, so tests drive it without sleeping.
import { isTerminalState, type Cancel, type Clock } from '@tepui/protocol';
import type { Logger } from 'pino';
import { unreachablePhase, type Instance } from '../instances/instance';
import type { LaunchDelays } from '../queue/launch-delay';
import { awaitedBy, decide, type Awaited, type ControllerDecision, type ControllerInput } from './app-controller';
import type { DeploymentManager } from './deployment-manager';
import type { InstanceTracker } from './instance-tracker';
import { killActionFor } from './kill-action';
import type { LaunchQueue } from './launch-queue';
import type { MesosActions } from './mesos-actions';
import type { RootGroup } from './root-group';

/** How long changes gather before the affected apps are looked at again. */
const COALESCE_MS = 10;
/** The housekeeping tick. */
export const TICK_MS = 1000;
/** Kills go out again after this long without a terminal update (Marathon's --kill_retry_timeout). */
export const DEFAULT_KILL_RETRY_MS = 10_000;
const NOTHING_AWAITED: Awaited = { scheduled: 0, instances: [] };

/** Back-off before an app whose reconciliation failed is looked at again: 100 ms doubling to 30 s. */
export function reconcileRetryDelayMs(failures: number): number {
  return Math.min(100 * 2 ** Math.max(0, failures - 1), 30_000);
}

export interface SchedulerCoreConfig {
  /** --task_launch_confirm_timeout: a launch without any status for this long is dropped and queued again. */
  readonly launchConfirmTimeoutMs: number;
  /** How long to wait for a kill to be confirmed before sending it again. */
  readonly killRetryMs: number;
  /** --min_revive_offers_interval */
  readonly minReviveIntervalMs: number;
}

export interface SchedulerCoreDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly root: RootGroup;
  readonly tracker: InstanceTracker;
  readonly queue: LaunchQueue;
  readonly delays: LaunchDelays;
  readonly deployments: () => DeploymentManager;
  readonly actions: () => MesosActions | undefined;
  readonly config: SchedulerCoreConfig;
  readonly ready?: (instanceId: string) => boolean;
  /** An instance is forgotten without a terminal update (its checks stop). */
  readonly forgotten?: (instance: Instance) => void;
}

export class SchedulerCore {
  private readonly dirty = new Set<string>();
  private scheduled = false;
  private reconciling = false;
  /** Per app: failed reconciliations in a row, and the pending retry. */
  private readonly failures = new Map<string, { count: number; retry: Cancel }>();
  /** Per app in a deployment: the controller's last input and decision. */
  private readonly lastLook = new Map<string, { input: ControllerInput; decision: ControllerDecision }>();
  private wantsOffers: boolean | undefined;
  private lastReviveAt = Number.NEGATIVE_INFINITY;
  private cancelRevive: Cancel | undefined;
  private cancelTick: Cancel | undefined;
  private stopped = false;
  private queueShape = '';
  /** SUPPRESS, REVIVE and DECLINE go out one after the other: reordered on the wire, they would leave Marathon deaf. */
  private interestCalls: Promise<void> = Promise.resolve();
  private lastOffersAt = Number.NEGATIVE_INFINITY;
  /** REVIVE calls sent so far: offers received before the latest one must not be declined for long. */
  private revivesSent = 0;

  constructor(private readonly deps: SchedulerCoreDeps) {}

  /** Starts the periodic tick. */
  start(): void {
    const loop = (): void => {
      if (this.stopped) return;
      this.tick();
      this.cancelTick = this.deps.clock.setTimer(TICK_MS, loop);
    };
    this.cancelTick = this.deps.clock.setTimer(TICK_MS, loop);
  }

  /**
   * The app needs another look. Looks are coalesced: a burst of status updates for a big app costs
   * one pass over its instances, not one per update.
   */
  changed(appId: string): void {
    this.deps.tracker.touch(appId);
    this.dirty.add(appId);
    this.schedule();
  }

  /** Every app and every app an instance belongs to. */
  changedAll(): void {
    for (const app of this.deps.root.allApps()) this.changed(app.id);
    for (const i of this.deps.tracker.all()) this.changed(i.appId);
  }

  /** What the app's current deployment action still waits for (GET /v2/deployments), as of its last look. */
  awaitedOf(appId: string): Awaited {
    const look = this.lastLook.get(appId);
    return look ? awaitedBy(look.input, look.decision) : NOTHING_AWAITED;
  }

  /** Gets rid of an instance: it is not replaced. How depends on what Mesos can still tell of it. */
  kill(instance: Instance, reason: string): void {
    const { tracker, log } = this.deps;
    instance.goal = 'Decommissioned';
    tracker.touch(instance.appId);
    switch (killActionFor(instance, tracker.isLaunchPending(instance.instanceId))) {
      case 'cancel-launch':
        // The offer processor sees the goal before it sends the LAUNCH, and forgets the instance.
        log.info({ task: instance.taskId, reason }, 'cancelling a launch not sent yet');
        return;
      case 'expunge':
        log.info({ task: instance.taskId, reason, state: instance.state }, 'forgetting an instance Mesos cannot kill');
        this.forget(instance);
        return;
      case 'issue-kill':
        this.sendKill(instance, reason);
    }
  }

  /** A task Mesos knows and Marathon does not. */
  killUnknown(taskId: string, agentId: string): void {
    this.deps.log.warn({ task: taskId, agent: agentId }, 'killing unknown task');
    this.deps.actions()?.kill(taskId, agentId).catch(() => undefined);
  }

  /** Re-evaluates whether Marathon wants offers; called after resubscribing too. */
  resetOfferInterest(): void {
    this.wantsOffers = undefined;
    this.updateOfferInterest();
  }

  /** Offers arrived (so a REVIVE is not needed to get them); the mark goes back with their decline. */
  offersSeen(): number {
    this.lastOffersAt = this.deps.clock.now();
    return this.revivesSent;
  }

  /**
   * Declines offers in order with SUPPRESS and REVIVE. Offers received before a REVIVE that went
   * out since are declined without a filter: a long filter landing after the REVIVE would undo it
   * and leave waiting work without offers.
   */
  decline(offerIds: readonly string[], refuseSeconds: number, seenAt: number): void {
    const actions = this.deps.actions();
    if (!actions) return;
    this.call(() => actions.decline(offerIds, this.revivesSent === seenAt ? refuseSeconds : 0), 'decline');
  }

  /** Periodic housekeeping (every TICK_MS). */
  tick(): void {
    const now = this.deps.clock.now();
    const { tracker, config } = this.deps;
    for (const instance of tracker.all()) {
      if (isTerminalState(instance.state)) continue;
      if (instance.unreachableSince !== undefined) this.unreachableTick(instance, now);
      if (instance.goal === 'Decommissioned' && !tracker.isLaunchPending(instance.instanceId) && now - (instance.killSentAt ?? 0) >= config.killRetryMs) {
        this.retryKill(instance);
      } else if (instance.goal === 'Running' && instance.state === 'TASK_STAGING' && now - Date.parse(instance.stagedAt) >= config.launchConfirmTimeoutMs && !tracker.isLaunchPending(instance.instanceId)) {
        this.deps.log.warn({ task: instance.taskId }, 'launch not confirmed in time; killing and relaunching');
        this.kill(instance, 'launch not confirmed');
      }
    }
    this.deps.delays.expire(now, (appId) => (this.deps.root.app(appId)?.maxLaunchDelaySeconds ?? 300) * 1000);
    this.updateOfferInterest();
    // Work waits and no offer came for a while (a lost REVIVE, offers filtered by earlier declines): ask again.
    const actions = this.deps.actions();
    const quiet = Math.max(this.lastOffersAt, this.lastReviveAt);
    if (actions && this.wantsOffers && now - quiet >= Math.max(5000, this.deps.config.minReviveIntervalMs)) this.revive(actions);
  }

  stop(): void {
    this.stopped = true;
    this.cancelTick?.();
    this.cancelRevive?.();
    for (const f of this.failures.values()) f.retry();
    this.failures.clear();
  }

  private sendKill(instance: Instance, reason: string): void {
    instance.killSentAt = this.deps.clock.now();
    void this.deps.tracker.store(instance).catch((err: Error) => this.deps.log.warn({ task: instance.taskId, err: err.message }, 'storing a killed instance failed'));
    const grace = this.deps.root.app(instance.appId)?.taskKillGracePeriodSeconds;
    this.deps.log.info({ task: instance.taskId, reason }, 'killing task');
    this.deps.actions()?.kill(instance.taskId, instance.agentId, grace).catch((err: Error) => this.deps.log.warn({ task: instance.taskId, err: err.message }, 'kill failed'));
  }

  /**
   * A kill went unanswered: send it again, and ask Mesos where the task stands. A task the master
   * does not know comes back TASK_GONE/TASK_LOST/TASK_UNKNOWN and the instance is expunged then.
   */
  private retryKill(instance: Instance): void {
    if (killActionFor(instance, false) === 'expunge') {
      this.kill(instance, 'kill not yet confirmed');
      return;
    }
    this.sendKill(instance, 'kill not yet confirmed');
    this.deps.actions()?.reconcile([{ taskId: instance.taskId, agentId: instance.agentId }]).catch(() => undefined);
  }

  private forget(instance: Instance): void {
    this.deps.forgotten?.(instance);
    void this.deps.tracker.expunge(instance).catch((err: Error) => this.deps.log.warn({ task: instance.taskId, err: err.message }, 'expunging an instance failed'));
    this.changed(instance.appId);
  }

  /** An unreachable instance crossing inactiveAfterSeconds gets a replacement; past expungeAfterSeconds it is forgotten. */
  private unreachableTick(instance: Instance, now: number): void {
    const strategy = this.deps.root.app(instance.appId)?.unreachableStrategy ?? { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 };
    const phase = unreachablePhase(instance, strategy, now);
    if (phase === 'expunge') {
      this.deps.log.info({ task: instance.taskId }, 'forgetting an instance unreachable for longer than expungeAfterSeconds');
      this.forget(instance);
    } else if (phase !== 'unreachable') this.changed(instance.appId);
  }

  private schedule(): void {
    if (this.scheduled || this.reconciling || this.stopped) return;
    this.scheduled = true;
    this.deps.clock.setTimer(COALESCE_MS, () => void this.runDirty());
  }

  /** One pass at a time (an app is never reconciled twice at once); failures come back with back-off. */
  private async runDirty(): Promise<void> {
    this.scheduled = false;
    this.reconciling = true;
    const apps = [...this.dirty];
    this.dirty.clear();
    for (const appId of apps) {
      try {
        await this.reconcileApp(appId);
        this.failures.get(appId)?.retry();
        this.failures.delete(appId);
      } catch (err) {
        this.retryLater(appId, err as Error);
      }
    }
    this.reconciling = false;
    this.updateOfferInterest();
    if (this.dirty.size > 0) this.schedule();
  }

  /** A level-triggered controller requeues a failed key with back-off (Kubernetes' rate-limited queue). */
  private retryLater(appId: string, err: Error): void {
    const previous = this.failures.get(appId);
    previous?.retry();
    const count = (previous?.count ?? 0) + 1;
    const delayMs = reconcileRetryDelayMs(count);
    this.deps.log.warn({ app: appId, err: err.message, attempt: count, retryInMs: delayMs }, 'app reconciliation failed; retrying');
    const retry = this.deps.clock.setTimer(delayMs, () => this.changed(appId));
    this.failures.set(appId, { count, retry });
  }

  private async reconcileApp(appId: string): Promise<void> {
    const { root, tracker, queue, clock } = this.deps;
    const app = root.app(appId);
    const mode = this.deps.deployments().modeOf(appId) ?? (app ? { kind: 'steady' as const } : { kind: 'stop' as const });
    const input = { app, mode, instances: tracker.ofApp(appId), queued: app ? queue.count(app) : 0, now: clock.now(), ...(this.deps.ready ? { ready: this.deps.ready } : {}) };
    const decision = decide(input);
    if (app) queue.set(app, decision.queue, clock.now());
    else queue.purge(appId);
    for (const id of decision.kill) {
      const instance = tracker.get(id);
      if (instance) this.kill(instance, mode.kind === 'stop' ? 'app stopped' : 'scaling or upgrading');
    }
    // What the action waits for is worked out only when asked (GET /v2/deployments), not on every pass.
    if (decision.done || mode.kind === 'steady') this.lastLook.delete(appId);
    else this.lastLook.set(appId, { input, decision });
    if (decision.done) await this.deps.deployments().actionDone(appId);
  }

  /** SUPPRESS when nothing can launch, REVIVE when something new waits (which also clears declined-offer filters). */
  private updateOfferInterest(): void {
    const actions = this.deps.actions();
    if (!actions) return;
    const now = this.deps.clock.now();
    const launchable = this.deps.queue.list().filter((e) => this.deps.delays.launchableAt(e.app) <= now);
    const shape = launchable.map((e) => `${e.app.id}@${e.app.version}`).join(',');
    const want = launchable.length > 0;
    const newWork = want && shape !== this.queueShape && launchable.some((e) => !this.queueShape.split(',').includes(`${e.app.id}@${e.app.version}`));
    this.queueShape = shape;
    if (want === this.wantsOffers && !newWork) return;
    this.wantsOffers = want;
    if (!want) {
      this.call(() => actions.suppress(), 'suppress');
      return;
    }
    const wait = this.lastReviveAt + this.deps.config.minReviveIntervalMs - now;
    if (wait <= 0) this.revive(actions);
    else this.cancelRevive ??= this.deps.clock.setTimer(wait, () => {
      this.cancelRevive = undefined;
      this.revive(actions);
    });
  }

  private revive(actions: MesosActions): void {
    this.lastReviveAt = this.deps.clock.now();
    this.call(() => {
      this.revivesSent += 1;
      return actions.revive();
    }, 'revive');
  }

  private call(send: () => Promise<void>, what: string): void {
    this.interestCalls = this.interestCalls.then(send).catch((err: Error) => this.deps.log.warn({ err: err.message }, `${what} failed`));
  }
}
