// Builds a master from its dependencies so tests can start one on port 0 with a ManualClock
// or a silent logger, and main.ts can start the real thing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import type { WebSocket } from 'ws';
import { MESOS_API_VERSION, SystemClock, type Cancel, type Clock, type MasterInfo } from '@tepui/protocol';
import type { MasterConfig } from './config';
import { Master } from './master';
import { MasterIds, packIpv4 } from './ids';
import { MasterMetrics } from './metrics';
import { FixedLeaderDetector, LeaderRole, STOPPING, StandaloneContender, sameMaster, type LeaderContender, type LeaderDetector } from '@tepui/coordination';
import { Router } from './http/router';
import { createSchedulerApi } from './http/scheduler-api';
import { createOperatorApi } from './http/operator-api';
import { registerEndpoints } from './http/endpoints';
import { attachAgentChannel } from './agents/agent-channel-server';
import { MemoryRegistry, type MasterRegistry } from './registry/registry';
import { Registrar } from './registry/registrar';
import { expireRecoveredAgents, recoverFromRegistry } from './registry/recovery';
import { RecoveryGate } from './election/recovery-gate';
import { rehearseAgentChannel, rehearseAgentFailover } from './election/standby-rehearsal';
import { pingAgents } from './agents/agent-lifecycle';

export interface MasterDeps {
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly registry?: Registry;
  /** This master's candidacy (ZooKeeper with --zk); standalone, elected at once, when absent. */
  readonly contender?: (self: MasterInfo) => LeaderContender;
  /** Who leads when this master does not; with a standalone contender, this master. */
  readonly detector?: (self: MasterInfo) => LeaderDetector<MasterInfo>;
  /** What survives a failover (ZooKeeper with --zk); in memory, as a standalone master keeps it, when absent. */
  readonly masterRegistry?: MasterRegistry;
  /** Leadership was lost: the master has stopped acting as leader (main.ts restarts it, as Mesos aborts). */
  readonly onLostLeadership?: (reason: string) => void;
  /** Why the master cannot take part in its election now (ZooKeeper unreachable), for /health and logs. */
  readonly coordinationTrouble?: () => string | undefined;
  /** Resolves once enough masters contend for a newly elected leader to act (--quorum). */
  readonly awaitQuorum?: () => Promise<void>;
  /** How long a stopping master with a contender leaves its agents to move to the successor (default AGENTS_MOVE_WAIT_MS). */
  readonly agentsMoveWaitMs?: number;
}

export interface RunningMaster {
  readonly master: Master;
  readonly leadership: LeaderRole<MasterInfo>;
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

function masterInfo(config: MasterConfig, ids: MasterIds, port: number): MasterInfo {
  return {
    id: ids.masterId,
    ip: packIpv4(config.ip),
    port,
    pid: `master@${config.ip}:${port}`,
    hostname: config.hostname,
    version: MESOS_API_VERSION,
    address: { hostname: config.hostname, ip: config.ip, port },
    capabilities: [{ type: 'AGENT_UPDATE' }],
  };
}

/**
 * Connections waiting to be accepted. After a failover every agent connects within a backoff
 * factor; with Node's default of 511 a thousand agents overflowed the queue, and each dropped
 * connection waited a whole second for TCP to try again. The kernel caps it (net.core.somaxconn).
 */
const LISTEN_BACKLOG = 65_535;
/** How long agents have to answer a stopping master's close before their channels are dropped. */
const GOING_AWAY_GRACE_MS = 1_000;
/**
 * How long a stopping master that has a successor leaves its agents to move on their own before
 * telling them it is going away: agents following the election drop the channel as soon as they
 * detect the successor. A thousand closing handshakes written meanwhile took CPU the successor
 * needed for those agents' re-registrations (a SIGTERM failover with 1,000 agents took 1.3–1.8 s;
 * now about what the same agents take to register from scratch).
 */
const AGENTS_MOVE_WAIT_MS = 500;

export async function startMaster(config: MasterConfig, deps: MasterDeps = {}): Promise<RunningMaster> {
  const clock = deps.clock ?? new SystemClock();
  const log = deps.log ?? pino({ level: config.logLevel }).child({ component: 'master' });
  const registry = deps.registry ?? new Registry();
  const server = createServer({ keepAliveTimeout: 65_000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.port, host: config.ip, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const ids = new MasterIds();
  const info = masterInfo(config, ids, port);
  const standaloneRegistry = new MemoryRegistry();
  // Registry writes are fenced by this master's leadership (known once the role exists below).
  const fence = { revoked: () => leadership.fence.revoked() };
  const master = new Master(config, clock, log, ids, info, new MasterMetrics(registry), new Registrar(deps.masterRegistry ?? standaloneRegistry, fence, log, clock));

  let pingTimer: Cancel | undefined;
  let reregisterTimer: Cancel | undefined;
  const schedulePing = () => {
    pingTimer = clock.setTimer(config.agentPingTimeoutMs, () => {
      pingAgents(master);
      schedulePing();
    });
  };
  /**
   * Everything only a leader does stops at once: no offer, no launch, no agent admitted after this.
   * A master that is stopping leaves agents that follow the election time to move to its successor,
   * then tells those still there that it is going away (close code 1001), so that they wait for the
   * next leader instead of asking it again; a deposed one just drops them.
   */
  const stopLeading = (goingAway = false) => {
    // From here on the agent channels hold what agents send (see RecoveryGate): nothing is acted on.
    recovery.close();
    pingTimer?.();
    pingTimer = undefined;
    reregisterTimer?.();
    reregisterTimer = undefined;
    master.allocation.stop();
    for (const fw of master.frameworks.values()) fw.subscription?.stream.close();
    for (const stream of master.operatorStreams) stream.close();
    if (!goingAway) {
      for (const client of wss.clients) client.terminate();
      return;
    }
    // A turn later: the candidacy is withdrawn first (LeaderRole.stop does it right after this
    // step-down), so the successor recovers while these thousand closes are written.
    // Not the injected clock: this is socket housekeeping, which must happen even where a test's
    // clock no longer moves.
    agentsGone ??= new Promise((resolve) => setImmediate(() => resolve(sayGoingAway([...wss.clients]))));
  };
  /** Settles once the agents told a stopping master is going away have closed their channels (or were dropped). */
  let agentsGone: Promise<void> | undefined;
  // The closing handshake, not a reset: a reset can discard the close frame still queued (an
  // agent's unread PONG turns the socket's close into an RST), and the agent would retry at once.
  const sayGoingAway = async (clients: WebSocket[]): Promise<void> => {
    const open = clients.filter((client) => client.readyState !== client.CLOSED);
    const closed = Promise.all(open.map((client) => new Promise<void>((resolve) => client.once('close', () => resolve()))));
    if (deps.contender !== undefined) {
      let moved: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (moved = setTimeout(resolve, deps.agentsMoveWaitMs ?? AGENTS_MOVE_WAIT_MS)))]);
      clearTimeout(moved);
    }
    for (const client of open) if (client.readyState === client.OPEN) client.close(1001, 'Master stopping');
    const grace = setTimeout(() => {
      for (const client of open) client.terminate();
    }, GOING_AWAY_GRACE_MS);
    await closed;
    clearTimeout(grace);
  };
  const recovery = new RecoveryGate();
  const leadership = new LeaderRole<MasterInfo>(
    info,
    sameMaster,
    deps.contender?.(info) ?? new StandaloneContender(),
    deps.detector?.(info) ?? new FixedLeaderDetector(info, sameMaster),
    clock,
    log,
    {
      elected: async () => {
        await deps.awaitQuorum?.();
        if (!leadership.isLeader()) return;
        recoverFromRegistry(master, await (deps.masterRegistry ?? standaloneRegistry).load());
        if (!leadership.isLeader()) return; // deposed while reading the registry
        master.electedTime = clock.now();
        recovery.open();
        reregisterTimer = clock.setTimer(config.agentReregisterTimeoutMs, () => expireRecoveredAgents(master));
        master.allocation.start();
        schedulePing();
      },
      stepDown: (reason) => {
        master.electedTime = undefined;
        stopLeading(reason === STOPPING);
      },
      lost: (reason) => deps.onLostLeadership?.(reason),
    },
  );

  master.allocation.mayAllocate = () => leadership.isLeader();
  const trouble = () => deps.coordinationTrouble?.() ?? leadership.trouble();

  const router = new Router(log);
  router.master('/api/v1/scheduler', createSchedulerApi(master, leadership));
  router.master('/api/v1', createOperatorApi(master, leadership));
  registerEndpoints(router, master, { leader: () => leadership.leader(), isLeader: () => leadership.isLeader(), trouble });
  server.on('request', router.handle);
  const wss = attachAgentChannel(server, master, leadership, recovery);
  await leadership.start();
  log.info({ port, masterId: ids.masterId }, 'master started');
  // Only a master that can take over from another one (an election) has a failover to be ready for.
  // Stopping cuts the rehearsal short: stop() waits for it, so its private port is closed by then.
  const rehearsalCut = new AbortController();
  let rehearsal: Promise<void> = Promise.resolve();
  if (deps.contender !== undefined) {
    const started = performance.now();
    const took = (outcome: 'done' | 'failed') => {
      const ms = performance.now() - started;
      master.metrics.failoverRehearsalSeconds.set({ outcome }, ms / 1000);
      return Math.round(ms);
    };
    const signal = rehearsalCut.signal;
    rehearsal = rehearseAgentFailover(config, clock, info, undefined, signal)
      .then(() => (signal.aborted ? undefined : rehearseAgentChannel(config, clock, info, undefined, signal)))
      .then(
        () => void (signal.aborted || log.debug({ ms: took('done') }, 'rehearsed a failover of agents')),
        (err: unknown) => log.warn({ err, ms: took('failed') }, 'rehearsing a failover of agents failed'),
      );
  }

  return {
    master,
    leadership,
    server,
    port,
    url: `http://${config.ip}:${port}`,
    async stop() {
      rehearsalCut.abort();
      // No new connection from here on: an agent asking again is refused at once rather than
      // answered 404 by a master on its way out.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await leadership.stop();
      stopLeading(true);
      await agentsGone;
      master.loggingLevel.stop();
      wss.close();
      server.closeAllConnections();
      await closed;
      await rehearsal;
      log.info('master stopped');
    },
  };
}
