// Marathon's scheduling loop: after anything changes for an app (a status update, a health result,
// a deployment step, an API call), its controller decides what to queue and what to kill; the
// launch queue decides whether Marathon wants offers (REVIVE) or not (SUPPRESS). A periodic tick
// re-sends unconfirmed kills, drops launches that never got a status, and ends backoff delays.
import { isTerminalState, type Clock } from '@tepui/protocol';
import type { Logger } from 'pino';
import { unreachablePhase, type Instance } from '../instances/instance';
import { delayKey, type LaunchDelays } from '../queue/launch-delay';
import { decide } from './app-controller';
import type { DeploymentManager } from './deployment-manager';
import type { InstanceTracker } from './instance-tracker';
import type { LaunchQueue } from './launch-queue';
import type { MesosActions } from './mesos-actions';
import type { RootGroup } from './root-group';

/** How long changes gather before the affected apps are looked at again. */
const COALESCE_MS = 10;

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
}

export class SchedulerCore {
  private readonly dirty = new Set<string>();
  private scheduled = false;
  private wantsOffers: boolean | undefined;
  private lastReviveAt = Number.NEGATIVE_INFINITY;
  private reviveTimer: NodeJS.Timeout | undefined;
  private queueShape = '';
  /** SUPPRESS, REVIVE and DECLINE go out one after the other: reordered on the wire, they would leave Marathon deaf. */
  private interestCalls: Promise<void> = Promise.resolve();
  private lastOffersAt = Number.NEGATIVE_INFINITY;
  /** REVIVE calls sent so far: offers received before the latest one must not be declined for long. */
  private revivesSent = 0;

  constructor(private readonly deps: SchedulerCoreDeps) {}

  /**
   * The app needs another look. Looks are coalesced: a burst of status updates for a big app costs
   * one pass over its instances, not one per update.
   */
  changed(appId: string): void {
    this.deps.tracker.touch(appId);
    this.dirty.add(appId);
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => void this.runDirty(), COALESCE_MS);
  }

  /** Every app and every app an instance belongs to. */
  changedAll(): void {
    for (const app of this.deps.root.allApps()) this.changed(app.id);
    for (const i of this.deps.tracker.all()) this.changed(i.appId);
  }

  /** Asks Mesos to kill an instance's task; the instance is not replaced. */
  kill(instance: Instance, reason: string): void {
    instance.goal = 'Decommissioned';
    instance.killSentAt = this.deps.clock.now();
    this.deps.tracker.touch(instance.appId);
    void this.deps.tracker.store(instance);
    const grace = this.deps.root.app(instance.appId)?.taskKillGracePeriodSeconds;
    this.deps.log.info({ task: instance.taskId, reason }, 'killing task');
    this.deps.actions()?.kill(instance.taskId, instance.agentId, grace).catch((err: Error) => this.deps.log.warn({ task: instance.taskId, err: err.message }, 'kill failed'));
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

  /** Periodic housekeeping (once a second). */
  tick(): void {
    const now = this.deps.clock.now();
    const { tracker, config } = this.deps;
    for (const instance of tracker.all()) {
      if (isTerminalState(instance.state)) continue;
      if (instance.unreachableSince !== undefined) this.unreachableTick(instance, now);
      if (instance.goal === 'Decommissioned' && now - (instance.killSentAt ?? 0) >= config.killRetryMs) this.kill(instance, 'kill not yet confirmed');
      if (instance.state === 'TASK_STAGING' && now - Date.parse(instance.stagedAt) >= config.launchConfirmTimeoutMs) {
        this.deps.log.warn({ task: instance.taskId }, 'launch not confirmed in time; killing and relaunching');
        this.kill(instance, 'launch not confirmed');
      }
    }
    this.deps.delays.expire(now, (key) => (this.deps.root.app(key.split('\u0000')[0] ?? '')?.maxLaunchDelaySeconds ?? 300) * 1000);
    this.updateOfferInterest();
    // Work waits and no offer came for a while (a lost REVIVE, offers filtered by earlier declines): ask again.
    const actions = this.deps.actions();
    const quiet = Math.max(this.lastOffersAt, this.lastReviveAt);
    if (actions && this.wantsOffers && now - quiet >= Math.max(5000, this.deps.config.minReviveIntervalMs)) this.revive(actions);
  }

  /** An unreachable instance crossing inactiveAfterSeconds gets a replacement; past expungeAfterSeconds it is forgotten. */
  private unreachableTick(instance: Instance, now: number): void {
    const strategy = this.deps.root.app(instance.appId)?.unreachableStrategy ?? { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 };
    const phase = unreachablePhase(instance, strategy, now);
    if (phase === 'expunge') {
      this.deps.log.info({ task: instance.taskId }, 'forgetting an instance unreachable for longer than expungeAfterSeconds');
      void this.deps.tracker.expunge(instance);
    }
    if (phase !== 'unreachable') this.changed(instance.appId);
  }

  private async runDirty(): Promise<void> {
    this.scheduled = false;
    const apps = [...this.dirty];
    this.dirty.clear();
    for (const appId of apps) {
      try {
        await this.reconcileApp(appId);
      } catch (err) {
        this.deps.log.error({ app: appId, err: (err as Error).message }, 'app reconciliation failed');
      }
    }
    this.updateOfferInterest();
  }

  private async reconcileApp(appId: string): Promise<void> {
    const { root, tracker, queue } = this.deps;
    const app = root.app(appId);
    const mode = this.deps.deployments().modeOf(appId) ?? (app ? { kind: 'steady' as const } : { kind: 'stop' as const });
    const instances = tracker.ofApp(appId);
    const decision = decide({ app, mode, instances, queued: app ? queue.count(app) : 0, now: this.deps.clock.now(), ...(this.deps.ready ? { ready: this.deps.ready } : {}) });
    if (app) queue.set(app, decision.queue, this.deps.clock.now());
    else queue.purge(appId);
    for (const id of decision.kill) {
      const instance = tracker.get(id);
      if (instance) this.kill(instance, mode.kind === 'stop' ? 'app stopped' : 'scaling or upgrading');
    }
    if (decision.done) await this.deps.deployments().actionDone(appId);
  }

  /** SUPPRESS when nothing can launch, REVIVE when something new waits (which also clears declined-offer filters). */
  private updateOfferInterest(): void {
    const actions = this.deps.actions();
    if (!actions) return;
    const now = this.deps.clock.now();
    const launchable = this.deps.queue.list().filter((e) => this.deps.delays.launchableAt(delayKey(e.app.id, e.app.versionInfo?.lastConfigChangeAt ?? e.app.version ?? '')) <= now);
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
    else this.reviveTimer ??= setTimeout(() => {
      this.reviveTimer = undefined;
      this.revive(actions);
    }, wait).unref();
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

  stop(): void {
    if (this.reviveTimer) clearTimeout(this.reviveTimer);
  }
}
