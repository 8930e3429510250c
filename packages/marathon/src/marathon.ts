// Wires Marathon together: the state store, the scheduler (core/marathon-scheduler), the SDK driver
// that speaks the v1 scheduler API to the master, and the REST API. `startMarathon` returns a
// handle that tests and main.ts stop cleanly.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import { FixedLeaderDetector, LeaderRole, redactZkUrl, StandaloneContender, type LeaderContender, type LeaderDetector } from '@tepui/coordination';
import { SystemClock, type Clock, type FrameworkInfo } from '@tepui/protocol';
import { SchedulerDriver } from '@tepui/sdk';
import { uiBundleDir } from '@tepui/ui';
import { createMarathonApp } from './api/app';
import { createLeaderProxy } from './api/leader-proxy';
import { DEFAULT_UPSTREAM_TIMEOUT_MS } from './api/master-upstream';
import type { SystemInfo } from './api/system';
import { MarathonScheduler } from './core/marathon-scheduler';
import { driverActions } from './core/mesos-actions';
import type { MarathonConfig } from './config';
import { FileStateStore } from './storage/file-state-store';
import type { StandbyStateCache, StateStore } from './storage/state-store';

export const MARATHON_VERSION = '1.11.0';
/** How long a request to a just-elected Marathon waits for it to load its state. */
const LOAD_WAIT_MS = 30_000;

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
  /** The copy of the store a standby keeps current (ZooKeeper), released once this Marathon leads. */
  readonly standbyCache?: StandbyStateCache;
  readonly random?: () => number;
  /** This Marathon's candidacy (`host:port`); standalone, elected at once, when absent. */
  readonly contender?: (self: string) => LeaderContender;
  /** Who leads when this Marathon does not. */
  readonly detector?: (self: string) => LeaderDetector<string>;
  /** The candidacy was lost (main.ts starts over or exits); leading work has already stopped. */
  readonly onLostLeadership?: (reason: string) => void;
  /** Why this Marathon cannot take part in the election now (ZooKeeper unreachable), for /health. */
  readonly coordinationTrouble?: () => string | undefined;
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
    config: marathonConfigJson(config), zookeeperConfig: zookeeperConfigJson(config), httpPort: config.httpPort,
    abdicate: () => void role.abdicate(),
  };
  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'GET' && req.url === '/health') return health(res);
    if (leading && role.isLeader()) return void leading.app(req, res);
    // Elected, still loading the state: the request waits for it rather than bouncing off itself.
    if (role.isLeader()) {
      return void whenLoaded().then((settled) => {
        if (settled) dispatch(req, res);
        else res.writeHead(503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Marathon is still loading its state' }));
      });
    }
    standby(req, res);
  };
  const standby = createLeaderProxy({ leader: () => role.leader(), self, clock, log: log.child({ component: 'leader-proxy' }), redispatch: dispatch });
  server.on('request', dispatch);
  /** True once the state is loaded or this Marathon no longer leads; false after LOAD_WAIT_MS. */
  // The request is left unread meanwhile (not paused: express must find its body flowing).
  const whenLoaded = async (): Promise<boolean> => {
    for (let waited = 0; waited < LOAD_WAIT_MS; waited += 50) {
      if (leading || !role.isLeader()) return true;
      await new Promise<void>((resolve) => clock.setTimer(50, resolve));
    }
    return false;
  };

  /** This process's own state, never proxied: 503 with the reason while it cannot take part in the election. */
  const health = (res: ServerResponse): void => {
    const trouble = deps.coordinationTrouble?.() ?? role.trouble();
    const body = { healthy: trouble === undefined, leader: role.leader() ?? null, elected: role.isLeader(), ...(trouble !== undefined ? { reason: trouble } : {}) };
    res.writeHead(trouble === undefined ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };

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
      // A zk:// master is one string the driver follows the elected leader through.
      master: config.masters.length === 1 ? config.masters[0]! : config.masters,
      ...(config.zk ? { zkSessionTimeoutMs: config.zk.sessionTimeoutMs } : {}),
      frameworkInfo: frameworkInfoOf(config, storedFrameworkId),
      logger: log.child({ module: 'sdk' }),
      handlers: {
        onSubscribed: (info, d) => {
          const master = info.masterInfo ? `${info.masterInfo.hostname ?? info.masterInfo.ip}:${info.masterInfo.port}` : redactZkUrl(config.masters[0] ?? '');
          return scheduler.subscribed({ frameworkId: info.frameworkId, resubscribed: info.resubscribed, master }, driverActions(d));
        },
        onOffers: (list, d) => scheduler.offers(list, (ids) => d.decline(ids, { refuse_seconds: 1 })),
        onUpdate: (s) => scheduler.update(s),
        onDisconnected: () => scheduler.disconnected(),
        onError: (message) => log.error({ message }, 'Mesos sent an error'),
      },
    });
    const app = createMarathonApp({
      log, clock, bus: scheduler.bus, system, uiBundleDir,
      masterUpstream: { leadingMaster: () => driver.masterUrl, timeoutMs: DEFAULT_UPSTREAM_TIMEOUT_MS, clock },
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
        releaseStandbyCache();
        // Deposed while loading: what was started stops again.
        if (role.isLeader()) leading = next;
        else await stopLeading(next);
      },
      stepDown: async () => {
        const was = leading;
        leading = undefined;
        if (was) await stopLeading(was);
        if (!stopped) deps.standbyCache?.follow();
      },
      lost: (reason) => deps.onLostLeadership?.(reason),
    },
  );
  const releaseStandbyCache = (): void => {
    const served = deps.standbyCache?.release();
    if (served && served.hits + served.misses > 0) log.info(served, 'state loaded with the standby copy of it; copy released');
  };
  let stopped = false;
  /** Not a teardown: the framework stays registered for the next leader, which subscribes with its id. */
  const stopLeading = async (l: Leading): Promise<void> => {
    await l.driver.stop();
    await l.scheduler.stop();
  };
  await role.start();
  if (!role.isLeader()) deps.standbyCache?.follow();
  log.info({ url: `http://${config.httpAddress}:${port}` }, 'Marathon API listening');

  return {
    url: `http://${config.httpAddress}:${port}`,
    log,
    role,
    frameworkId: () => leading?.driver.frameworkId,
    async stop() {
      stopped = true;
      deps.standbyCache?.release();
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
    // TASK_KILLING_STATE: executors report TASK_KILLING before they signal the task, so load balancers
    // drain it while it finishes its requests (Marathon 1.4+ declares it too).
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }, { type: 'REGION_AWARE' }, { type: 'TASK_KILLING_STATE' }],
    ...(config.webuiUrl ? { webui_url: config.webuiUrl } : {}),
    ...(storedFrameworkId ? { id: { value: storedFrameworkId } } : {}),
  };
}

function marathonConfigJson(config: MarathonConfig): Record<string, unknown> {
  return {
    master: config.masters.map(redactZkUrl).join(','),
    framework_name: config.frameworkName,
    failover_timeout: config.failoverTimeoutSeconds,
    mesos_role: config.role,
    mesos_user: config.user,
    hostname: config.hostname,
    webui_url: config.webuiUrl ?? null,
    local_port_min: config.servicePorts.min,
    local_port_max: config.servicePorts.max,
    checkpoint: config.checkpoint,
    ha: config.zk !== undefined,
    features: [...config.features],
    decline_offer_duration: config.declineOfferSeconds * 1000,
    max_instances_per_offer: config.maxInstancesPerOffer,
    reconciliation_initial_delay: config.reconciliationInitialDelayMs,
    reconciliation_interval: config.reconciliationIntervalMs,
    task_launch_confirm_timeout: config.launchConfirmTimeoutMs,
    kill_retry_timeout: config.killRetryMs,
  };
}

/** /v2/info's zookeeper_config: what Marathon reports, credentials redacted. */
function zookeeperConfigJson(config: MarathonConfig): Record<string, unknown> {
  if (!config.zk) return {};
  return {
    zk: config.flags.get('zk') ?? null,
    zk_session_timeout: config.zk.sessionTimeoutMs,
    zk_max_node_size: config.zk.maxNodeBytes,
  };
}
