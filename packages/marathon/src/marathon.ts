// Wires Marathon together: the state store, the scheduler core, the SDK driver that speaks the
// v1 scheduler API to the master, the periodic work and the REST API. `startMarathon` returns a
// handle that tests and main.ts stop cleanly.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { SystemClock, type AppDefinition, type Clock, type FrameworkInfo } from '@tepui/protocol';
import type { Instance } from './instances/instance';
import { SchedulerDriver } from '@tepui/sdk';
import { createMarathonApp } from './api/app';
import { DeploymentManager } from './core/deployment-manager';
import { GroupCommit } from './core/group-commit';
import { GroupManager } from './core/group-manager';
import { HealthManager } from './core/health-manager';
import { InstanceTracker } from './core/instance-tracker';
import { LaunchQueue } from './core/launch-queue';
import { driverActions, type MesosActions } from './core/mesos-actions';
import { OfferProcessor } from './core/offer-processor';
import { ReadinessTracker } from './core/readiness-tracker';
import { RootGroup } from './core/root-group';
import { SchedulerCore } from './core/scheduler-core';
import { StatusProcessor, type TaskFailure } from './core/status-processor';
import { EventBus } from './events/event-bus';
import type { MarathonConfig } from './config';
import { LaunchDelays } from './queue/launch-delay';
import { FileStateStore } from './storage/file-state-store';
import { MarathonRepository } from './storage/repository';
import { decodeSegment, encodeSegment, type StateStore } from './storage/state-store';

export const MARATHON_VERSION = '1.11.0';

export interface RunningMarathon {
  readonly url: string;
  readonly log: Logger;
  readonly frameworkId: () => string | undefined;
  stop(): Promise<void>;
}

export interface MarathonDeps {
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly store?: StateStore;
  readonly random?: () => number;
}

export async function startMarathon(config: MarathonConfig, deps: MarathonDeps = {}): Promise<RunningMarathon> {
  const clock = deps.clock ?? new SystemClock();
  const log = deps.log ?? pino({ level: config.logLevel, base: { component: 'marathon' } });
  const store = deps.store ?? FileStateStore.open(config.stateDir);
  const repository = new MarathonRepository(store);
  const writes = new GroupCommit(store);
  const bus = new EventBus(clock, config.maxOutstandingEvents);
  const tracker = new InstanceTracker(writes);
  const root = new RootGroup(repository, store);
  const queue = new LaunchQueue();
  const delays = new LaunchDelays();
  const failures = new Map<string, TaskFailure>();
  let actions: MesosActions | undefined;
  const readiness = new ReadinessTracker((appId) => core.changed(appId));

  const core: SchedulerCore = new SchedulerCore({
    clock, log, root, tracker, queue, delays, deployments: () => deployments, actions: () => actions,
    config: { launchConfirmTimeoutMs: config.launchConfirmTimeoutMs, killRetryMs: 10_000, minReviveIntervalMs: config.minReviveIntervalMs },
    ready: (id) => readiness.ready(id),
  });
  const deployments = new DeploymentManager(repository, bus, log, (appId) => core.changed(appId), (plan) => {
    for (const step of plan.steps) for (const a of step.actions) if (a.action === 'StopApplication') bus.publish({ eventType: 'app_terminated_event', appId: a.app });
  });
  const groups = new GroupManager(root, deployments, bus, clock, config.servicePorts);
  /** The app definition an instance runs: the current one, or the stored version it was launched from. */
  const withVersionOf = (i: Instance, use: (app: AppDefinition) => void): void => {
    const current = root.app(i.appId);
    if (current?.version === i.version) use(current);
    else void root.versionOf(i.appId, i.version).then((app) => app && use(app), () => undefined);
  };
  const health = new HealthManager({
    clock, bus,
    instance: (id) => tracker.get(id),
    // Health results are not stored: after a restart they are measured again.
    changed: (i) => core.changed(i.appId),
    kill: (i, reason) => core.kill(i, reason),
  });
  const status = new StatusProcessor({
    clock, log, bus, tracker, delays, appOf: (id) => root.app(id),
    killUnknown: (taskId, agentId) => core.killUnknown(taskId, agentId),
    recordFailure: (f) => {
      failures.set(f.appId, f);
      void writes.put(`/taskFailures/${encodeSegment(f.appId)}`, f);
    },
    running: (i) => {
      withVersionOf(i, (app) => health.watch(i, app));
      const app = root.app(i.appId);
      if (app && app.version === i.version) readiness.watch(i, app);
    },
    ended: (i) => {
      health.unwatch(i.instanceId);
      readiness.unwatch(i.instanceId);
    },
    changed: (appId) => core.changed(appId),
  });

  await root.load();
  const instanceApps = (await store.children('/instances')).map(decodeSegment);
  await tracker.load(repository, [...new Set([...root.allApps().map((a) => a.id), ...instanceApps])]);
  for (const segment of await store.children('/taskFailures')) {
    const f = await store.get<TaskFailure>(`/taskFailures/${segment}`);
    if (f) failures.set(f.appId, f);
  }
  await deployments.load();
  // Old versions' instances too: mid-deployment they must keep proving healthy, or a resumed
  // restart would take them for unhealthy and replace them all at once.
  for (const i of tracker.all()) if (i.state === 'TASK_RUNNING') withVersionOf(i, (app) => health.watch(i, app));

  let offers: OfferProcessor | undefined;
  const storedFrameworkId = await repository.frameworkId();
  const frameworkInfo: FrameworkInfo = {
    user: config.user,
    name: config.frameworkName,
    failover_timeout: config.failoverTimeoutSeconds,
    checkpoint: config.checkpoint,
    roles: [config.role],
    hostname: config.hostname,
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }, { type: 'REGION_AWARE' }],
    ...(config.webuiUrl ? { webui_url: config.webuiUrl } : {}),
    ...(storedFrameworkId ? { id: { value: storedFrameworkId } } : {}),
  };
  let reconcileTimer: NodeJS.Timeout | undefined;
  const reconcile = async (): Promise<void> => {
    if (!actions) return;
    const known = tracker.all().map((i) => ({ taskId: i.taskId, agentId: i.agentId }));
    for (let n = 0; n < known.length; n += 1000) await actions.reconcile(known.slice(n, n + 1000));
    await actions.reconcile([]);
  };
  const scheduleReconcile = (delayMs: number): void => {
    if (reconcileTimer) clearTimeout(reconcileTimer);
    reconcileTimer = setTimeout(() => {
      void reconcile().catch((err: Error) => log.warn({ err: err.message }, 'reconciliation failed'));
      scheduleReconcile(config.reconciliationIntervalMs);
    }, delayMs).unref();
  };

  const driver = new SchedulerDriver({
    master: config.masters,
    frameworkInfo,
    logger: log.child({ module: 'sdk' }),
    handlers: {
      async onSubscribed(info, d) {
        // Ready for offers before anything is awaited: offers can arrive right behind SUBSCRIBED,
        // and an offer dropped unanswered would hold its resources until Mesos rescinds it.
        actions = driverActions(d);
        offers = new OfferProcessor({
          clock, log, queue, delays, tracker, actions, random: deps.random ?? Math.random,
          config: { role: config.role, declineOfferSeconds: config.declineOfferSeconds, maxInstancesPerOffer: config.maxInstancesPerOffer },
          onChanged: (appId) => core.changed(appId),
          decline: (ids, seconds, seenAt) => core.decline(ids, seconds, seenAt),
        });
        if (info.frameworkId !== storedFrameworkId) await repository.setFrameworkId(info.frameworkId);
        const master = info.masterInfo ? `${info.masterInfo.hostname ?? info.masterInfo.ip}:${info.masterInfo.port}` : config.masters[0] ?? '';
        if (info.resubscribed) bus.publish({ eventType: 'scheduler_reregistered_event', master });
        else bus.publish({ eventType: 'scheduler_registered_event', frameworkId: info.frameworkId, master });
        log.info({ frameworkId: info.frameworkId, resubscribed: info.resubscribed }, 'subscribed to Mesos');
        core.resetOfferInterest();
        core.changedAll();
        scheduleReconcile(config.reconciliationInitialDelayMs);
      },
      onOffers: (list, d) => {
        const seenAt = core.offersSeen();
        if (offers) return offers.process(list, seenAt);
        return d.decline(list.map((o) => o.id), { refuse_seconds: 1 });
      },
      onUpdate: (s) => status.apply(s),
      onDisconnected: () => {
        bus.publish({ eventType: 'scheduler_disconnected_event' });
      },
      onError: (message) => log.error({ message }, 'Mesos sent an error'),
    },
  });

  const tick = setInterval(() => core.tick(), 1000).unref();
  const leader = `${config.hostname}:${config.httpPort}`;
  const app = createMarathonApp({
    log, clock, bus,
    system: {
      version: MARATHON_VERSION, leader: () => leader, elected: () => true, frameworkId: () => driver.frameworkId,
      config: marathonConfigJson(config), httpPort: config.httpPort,
    },
    api: {
      clock, bus, root, tracker, deployments, groups, queue, delays, core, failures, readiness,
      parseOptions: { features: config.features, defaultRole: config.role }, maxRunningDeployments: config.maxRunningDeployments,
    },
  });
  const server: Server = app.listen(config.httpPort, config.httpAddress);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  void driver.start().catch((err: Error) => log.error({ err: err.message }, 'could not subscribe to Mesos'));
  log.info({ url: `http://${config.httpAddress}:${port}` }, 'Marathon API listening');

  return {
    url: `http://${config.httpAddress}:${port}`,
    log,
    frameworkId: () => driver.frameworkId,
    async stop() {
      clearInterval(tick);
      if (reconcileTimer) clearTimeout(reconcileTimer);
      health.stop();
      readiness.stop();
      core.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await driver.stop();
      await writes.drain();
      await store.close();
    },
  };
}

function marathonConfigJson(config: MarathonConfig): Record<string, unknown> {
  return {
    master: config.masters.join(','),
    framework_name: config.frameworkName,
    failover_timeout: config.failoverTimeoutSeconds,
    mesos_role: config.role,
    mesos_user: config.user,
    hostname: config.hostname,
    webui_url: config.webuiUrl ?? null,
    local_port_min: config.servicePorts.min,
    local_port_max: config.servicePorts.max,
    checkpoint: config.checkpoint,
    ha: false,
    features: [...config.features],
    decline_offer_duration: config.declineOfferSeconds * 1000,
    max_instances_per_offer: config.maxInstancesPerOffer,
    reconciliation_initial_delay: config.reconciliationInitialDelayMs,
    reconciliation_interval: config.reconciliationIntervalMs,
    task_launch_confirm_timeout: config.launchConfirmTimeoutMs,
  };
}
