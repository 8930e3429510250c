// Turns offers into launches for the apps waiting in the launch queue (Marathon's offer matching,
// reference §10): oldest queue entry first, at most `maxInstancesPerOffer` per offer, each instance
// stored before its LAUNCH is sent, so a restarted Marathon never meets a task it does not know.
import { randomUUID } from 'node:crypto';
import { Resources, type AppDefinition, type Clock, type Offer, type TaskInfo } from '@tepui/protocol';
import type { Logger } from 'pino';
import type { Instance } from '../instances/instance';
import { newInstanceId, taskIdFor } from '../instances/instance-ids';
import type { LaunchDelays } from '../queue/launch-delay';
import { matchOffer, type PlannedInstance } from '../scheduling/offer-matcher';
import { buildTaskInfo } from '../scheduling/task-builder';
import type { InstanceTracker } from './instance-tracker';
import type { LaunchQueue } from './launch-queue';
import type { MesosActions } from './mesos-actions';

export interface OfferProcessorConfig {
  /** --mesos_role */
  readonly role: string;
  /** --decline_offer_duration, seconds */
  readonly declineOfferSeconds: number;
  /** --max_instances_per_offer */
  readonly maxInstancesPerOffer: number;
}

export interface OfferProcessorDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly queue: LaunchQueue;
  readonly delays: LaunchDelays;
  readonly tracker: InstanceTracker;
  readonly actions: MesosActions;
  readonly config: OfferProcessorConfig;
  readonly random: () => number;
  readonly newUuid?: () => string;
  /** Instances launched or given up (their accept failed): the app needs another look. */
  readonly onChanged: (appId: string) => void;
  /** Kills an instance (SchedulerCore.kill). */
  readonly kill: (instance: Instance, reason: string) => void;
  /** Declines in order with REVIVE/SUPPRESS (SchedulerCore.decline); `seenAt` is what offersSeen returned. */
  readonly decline: (offerIds: readonly string[], refuseSeconds: number, seenAt: number) => void;
}

export class OfferProcessor {
  private readonly newUuid: () => string;

  constructor(private readonly deps: OfferProcessorDeps) {
    this.newUuid = deps.newUuid ?? randomUUID;
  }

  async process(offers: readonly Offer[], seenAt: number): Promise<void> {
    const unused: string[] = [];
    await Promise.all(
      offers.map(async (offer) => {
        try {
          if (!(await this.processOne(offer))) unused.push(offer.id.value);
        } catch (err) {
          // Never leave an offer unanswered: its resources would be stuck until Mesos rescinds it.
          this.deps.log.error({ offer: offer.id.value, err: (err as Error).message }, 'offer processing failed');
          unused.push(offer.id.value);
        }
      }),
    );
    if (unused.length > 0) this.deps.decline(unused, this.deps.config.declineOfferSeconds, seenAt);
  }

  /** True when the offer was used. */
  private async processOne(offer: Offer): Promise<boolean> {
    const { queue, delays, clock, tracker, config } = this.deps;
    const now = clock.now();
    let remaining = offer;
    const launched: Array<{ instance: Instance; task: TaskInfo }> = [];
    for (const entry of queue.list()) {
      if (launched.length >= config.maxInstancesPerOffer) break;
      const app = entry.app;
      if (delays.launchableAt(app) > now) continue;
      const placed = app.constraints.length === 0 ? [] : [...tracker.activeOf(app.id).map((i) => i.placement), ...launched.filter((l) => l.instance.appId === app.id).map((l) => l.instance.placement)];
      const match = matchOffer({
        app, offer: remaining, placed, needed: entry.count, role: config.role, random: this.deps.random,
        maxInstancesPerOffer: config.maxInstancesPerOffer - launched.length,
      });
      queue.recordOffer(entry, remaining, match.launches.length > 0, match.rejections.map((r) => r.reason), now);
      if (match.launches.length === 0) continue;
      queue.took(app.id, match.launches.length);
      for (const planned of match.launches) launched.push(this.instanceFor(app, planned, now));
      const used = Resources.of(match.launches.flatMap((l) => l.resources));
      remaining = { ...remaining, resources: Resources.of(remaining.resources).minus(used).toArray() };
    }
    if (launched.length === 0) return false;
    for (const l of launched) tracker.markLaunchPending(l.instance.instanceId);
    try {
      await Promise.all(launched.map((l) => tracker.store(l.instance)));
      // Killed while being stored (the app was deleted or scaled down): never launched, forgotten.
      const cancelled = launched.filter((l) => l.instance.goal !== 'Running');
      const go = launched.filter((l) => l.instance.goal === 'Running');
      await Promise.all(cancelled.map((l) => tracker.expunge(l.instance)));
      if (go.length === 0) return false;
      try {
        await this.deps.actions.launch(offer.id.value, go.map((l) => l.task));
      } catch (err) {
        // The master never took these tasks: forget them; the apps' controllers queue them again.
        this.deps.log.warn({ offer: offer.id.value, err: (err as Error).message }, 'launch failed');
        await Promise.all(go.map((l) => tracker.expunge(l.instance)));
        return true;
      }
      for (const l of go) tracker.clearLaunchPending(l.instance.instanceId);
      // Killed while the LAUNCH was on its way: now the master knows the task, the kill can go out.
      for (const l of go) if (l.instance.goal !== 'Running') this.deps.kill(l.instance, 'killed while launching');
      return true;
    } finally {
      for (const l of launched) tracker.clearLaunchPending(l.instance.instanceId);
      for (const appId of new Set(launched.map((l) => l.instance.appId))) this.deps.onChanged(appId);
    }
  }

  private instanceFor(app: AppDefinition, planned: PlannedInstance, now: number): { instance: Instance; task: TaskInfo } {
    const instanceId = newInstanceId(app.id, this.newUuid());
    const taskId = taskIdFor(instanceId, 1);
    const task = buildTaskInfo(app, planned, { taskId, agentId: planned.agentId, hostname: planned.hostname, frameworkRole: this.deps.config.role, random: this.deps.random });
    const instance: Instance = {
      instanceId, appId: app.id, version: app.version ?? '', taskId, agentId: planned.agentId, host: planned.hostname,
      state: 'TASK_STAGING', stagedAt: new Date(now).toISOString(),
      ports: planned.hostPorts.filter((p): p is number => p !== undefined),
      ipAddresses: [], healthCheckResults: [], role: planned.allocationRole ?? this.deps.config.role, goal: 'Running', placement: planned.placement,
    };
    return { instance, task };
  }
}
