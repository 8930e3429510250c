// Wires Marathon together: the state store, the scheduler (core/marathon-scheduler), the SDK driver
// that speaks the v1 scheduler API to the master, and the REST API. `startMarathon` returns a
// handle that tests and main.ts stop cleanly.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import { FixedLeaderDetector, LeaderRole, StandaloneContender, type LeaderContender, type LeaderDetector } from '@tepui/coordination';
import { SystemClock, type Clock, type FrameworkInfo } from '@tepui/protocol';
import { SchedulerDriver } from '@tepui/sdk';
import { createMarathonApp } from './api/app';
import { createLeaderProxy } from './api/leader-proxy';
import type { SystemInfo } from './api/system';
import { MarathonScheduler } from './core/marathon-scheduler';
import { driverActions } from './core/mesos-actions';
import type { MarathonConfig } from './config';
import { FileStateStore } from './storage/file-state-store';
import type { StateStore } from './storage/state-store';

export const MARATHON_VERSION = '1.11.0';

export interface RunningMarathon {
  readonly url: string;
  readonly log: Logger;
  readonly frameworkId: () => string | undefined;
  /** This Marathon's part in the leader election. */
  readonly role: LeaderRole<string>;
  stop(): Promise<void>;
}

export interface MarathonDeps {
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly store?: StateStore;
  readonly random?: () => number;
  /** This Marathon's candidacy (`host:port`); standalone, elected at once, when absent. */
  readonly contender?: (self: string) => LeaderContender;
  /** Who leads when this Marathon does not. */
  readonly detector?: (self: string) => LeaderDetector<string>;
  /** The candidacy was lost (main.ts exits, as Marathon does); leading work has already stopped. */
  readonly onLostLeadership?: (reason: string) => void;
}

/** What runs only while this Marathon leads. */
interface Leading {
  readonly scheduler: MarathonScheduler;
  readonly driver: SchedulerDriver;
  readonly app: Express;
}

export async function startMarathon(config: MarathonConfig, deps: MarathonDeps = {}): Promise<RunningMarathon> {
  const clock = deps.clock ?? new SystemClock();
  const log = deps.log ?? pino({ level: config.logLevel, base: { component: 'marathon' } });
  const store = deps.store ?? FileStateStore.open(config.stateDir);
  const server = createServer({ keepAliveTimeout: 65_000 });
  server.listen(config.httpPort, config.httpAddress);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const self = `${config.hostname}:${port}`;

  let leading: Leading | undefined;
  const system: SystemInfo = {
    version: MARATHON_VERSION,
    leader: () => role.leader(),
    elected: () => role.isLeader(),
    frameworkId: () => leading?.driver.frameworkId,
    config: marathonConfigJson(config), httpPort: config.httpPort,
    abdicate: () => void role.abdicate(),
  };
  const standby = createLeaderProxy({ leader: () => role.leader(), self, clock, log: log.child({ component: 'leader-proxy' }) });
  server.on('request', (req, res) => {
    if (leading && role.isLeader()) leading.app(req, res);
    else standby(req, res);
  });

  /** Elected: load the state, subscribe to Mesos with the stored framework id, serve the API. */
  const lead = async (): Promise<Leading> => {
    const scheduler = await MarathonScheduler.open({
      role: config.role, declineOfferSeconds: config.declineOfferSeconds, maxInstancesPerOffer: config.maxInstancesPerOffer,
      launchConfirmTimeoutMs: config.launchConfirmTimeoutMs, killRetryMs: config.killRetryMs, minReviveIntervalMs: config.minReviveIntervalMs,
      reconciliationInitialDelayMs: config.reconciliationInitialDelayMs, reconciliationIntervalMs: config.reconciliationIntervalMs,
      maxOutstandingEvents: config.maxOutstandingEvents, servicePorts: config.servicePorts,
    }, { clock, log, store, ...(deps.random ? { random: deps.random } : {}) });
    const storedFrameworkId = await scheduler.repository.frameworkId();
    const driver = new SchedulerDriver({
      master: config.masters,
      frameworkInfo: frameworkInfoOf(config, storedFrameworkId),
      logger: log.child({ module: 'sdk' }),
      handlers: {
        onSubscribed: (info, d) => {
          const master = info.masterInfo ? `${info.masterInfo.hostname ?? info.masterInfo.ip}:${info.masterInfo.port}` : config.masters[0] ?? '';
          return scheduler.subscribed({ frameworkId: info.frameworkId, resubscribed: info.resubscribed, master }, driverActions(d));
        },
        onOffers: (list, d) => scheduler.offers(list, (ids) => d.decline(ids, { refuse_seconds: 1 })),
        onUpdate: (s) => scheduler.update(s),
        onDisconnected: () => scheduler.disconnected(),
        onError: (message) => log.error({ message }, 'Mesos sent an error'),
      },
    });
    const app = createMarathonApp({
      log, clock, bus: scheduler.bus, system,
      api: {
        clock, bus: scheduler.bus, root: scheduler.root, tracker: scheduler.tracker, deployments: scheduler.deployments, groups: scheduler.groups,
        queue: scheduler.queue, delays: scheduler.delays, core: scheduler.core, failures: scheduler.failures, readiness: scheduler.readiness,
        parseOptions: { features: config.features, defaultRole: config.role }, maxRunningDeployments: config.maxRunningDeployments,
      },
    });
    void driver.start().catch((err: Error) => log.error({ err: err.message }, 'could not subscribe to Mesos'));
    return { scheduler, driver, app };
  };

  const role: LeaderRole<string> = new LeaderRole<string>(
    self, (a, b) => a === b,
    deps.contender?.(self) ?? new StandaloneContender(),
    deps.detector?.(self) ?? new FixedLeaderDetector(self),
    clock, log,
    {
      elected: async () => {
        const next = await lead();
        // Deposed while loading: what was started stops again.
        if (role.isLeader()) leading = next;
        else await stopLeading(next);
      },
      stepDown: async () => {
        const was = leading;
        leading = undefined;
        if (was) await stopLeading(was);
      },
      lost: (reason) => deps.onLostLeadership?.(reason),
    },
  );
  /** Not a teardown: the framework stays registered for the next leader, which subscribes with its id. */
  const stopLeading = async (l: Leading): Promise<void> => {
    await l.driver.stop();
    await l.scheduler.stop();
  };
  await role.start();
  log.info({ url: `http://${config.httpAddress}:${port}` }, 'Marathon API listening');

  return {
    url: `http://${config.httpAddress}:${port}`,
    log,
    role,
    frameworkId: () => leading?.driver.frameworkId,
    async stop() {
      await role.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

function frameworkInfoOf(config: MarathonConfig, storedFrameworkId: string | undefined): FrameworkInfo {
  return {
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
    kill_retry_timeout: config.killRetryMs,
  };
}
