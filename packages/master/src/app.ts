// Builds a master from its dependencies so tests can start one on port 0 with a ManualClock
// or a silent logger, and main.ts can start the real thing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { MESOS_API_VERSION, SystemClock, type Cancel, type Clock, type MasterInfo } from '@tepui/protocol';
import type { MasterConfig } from './config';
import { Master } from './master';
import { MasterIds, packIpv4 } from './ids';
import { MasterMetrics } from './metrics';
import { StandaloneLeaderDetector, type LeaderDetector } from './election/leader-detector';
import { Router } from './http/router';
import { createSchedulerApi } from './http/scheduler-api';
import { createOperatorApi } from './http/operator-api';
import { registerEndpoints } from './http/endpoints';
import { attachAgentChannel } from './agents/agent-channel-server';
import { pingAgents } from './agents/agent-lifecycle';

export interface MasterDeps {
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly registry?: Registry;
  /** Supplies leadership; standalone when absent. Receives this master's info. */
  readonly leaderDetector?: (self: MasterInfo) => LeaderDetector;
}

export interface RunningMaster {
  readonly master: Master;
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

export async function startMaster(config: MasterConfig, deps: MasterDeps = {}): Promise<RunningMaster> {
  const clock = deps.clock ?? new SystemClock();
  const log = deps.log ?? pino({ level: config.logLevel }).child({ component: 'master' });
  const registry = deps.registry ?? new Registry();
  const server = createServer({ keepAliveTimeout: 65_000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.ip, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const ids = new MasterIds();
  const info = masterInfo(config, ids, port);
  const leader = deps.leaderDetector?.(info) ?? new StandaloneLeaderDetector(info);
  const master = new Master(config, clock, log, ids, info, new MasterMetrics(registry));

  const router = new Router(log);
  router.master('/api/v1/scheduler', createSchedulerApi(master, leader));
  router.master('/api/v1', createOperatorApi(master, leader));
  registerEndpoints(router, master, leader);
  server.on('request', router.handle);
  const wss = attachAgentChannel(server, master, leader);

  master.allocation.start();
  let pingTimer: Cancel | undefined;
  const schedulePing = () => {
    pingTimer = clock.setTimer(config.agentPingTimeoutMs, () => {
      pingAgents(master);
      schedulePing();
    });
  };
  schedulePing();
  log.info({ port, masterId: ids.masterId }, 'master started');

  return {
    master,
    server,
    port,
    url: `http://${config.ip}:${port}`,
    async stop() {
      pingTimer?.();
      master.loggingLevel.stop();
      master.allocation.stop();
      for (const fw of master.frameworks.values()) fw.subscription?.stream.close();
      for (const stream of master.operatorStreams) stream.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      log.info('master stopped');
    },
  };
}
