// Starts a real agent: HTTP server (executor API, /state, metrics), recovery from the checkpoint,
// then (re-)registration with the master.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { masterDetector, type LeaderDetector } from '@tepui/coordination';
import { MESOS_API_VERSION, SystemClock, versionJson, type AgentToMasterMessage, type Clock, type MasterInfo, type Task } from '@tepui/protocol';
import type { AgentConfig } from './config';
import { AgentCore } from './agent-core';
import { CheckpointStore } from './checkpoint/checkpoint-store';
import { ProcessContainerizer } from './containerizer/process-containerizer';
import type { Containerizer } from './containerizer/containerizer';
import { MasterLink } from './master-link';
import { createExecutorApi, sendAgentError, sendAgentJson } from './http/executor-api';
import { agentStateJson } from './http/state-json';
import { probeDocker, removeOrphanContainers } from './containerizer/docker-probe';
import { AgentMetrics, agentSnapshot } from './metrics';
import { recoverFromCheckpoint, waitForResubscription } from './recovery';
import { NotFound } from './errors';
import { sandboxAttachments, type SandboxRun } from './files/attachments';
import { SandboxCollector, nodeCollectorIo } from './gc/collector';
import { createFilesHttp, filesEndpoint, SandboxFiles } from './files/files-http';
import { createAgentOperatorApi } from './http/agent-operator-api';
import { createMonitorHttp, isMonitorStatisticsPath } from './http/monitor-http';
import { ResourceMonitor } from './usage/resource-monitor';
import { usageMetrics } from './usage/usage-metrics';
import { Fetcher } from './fetcher/fetcher';
import { FetcherCache } from './fetcher/fetcher-cache';
import { SandboxLayers, overlayMountsSupported } from './fetcher/sandbox-layers';
import { fetcherMetrics } from './fetcher/fetcher-metrics';

export const AGENT_VERSION = MESOS_API_VERSION;
export const AGENT_CAPABILITIES = ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT', 'TASK_RESOURCE_LIMITS'] as const;

export interface AgentDeps {
  /** Who leads (ZooKeeper for --master=zk://…); the master at --master when absent. */
  readonly detector?: LeaderDetector<MasterInfo>;
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly registry?: Registry;
  readonly containerizer?: Containerizer;
}

export interface RunningAgent {
  readonly core: AgentCore;
  readonly port: number;
  readonly server: Server;
  /** `killExecutors: false` leaves executors running, like a crash, for recovery tests. */
  stop(options?: { killExecutors?: boolean }): Promise<void>;
}

export function registrationMessage(core: AgentCore, config: Pick<AgentConfig, 'resources' | 'attributes'>): AgentToMasterMessage {
  const pid = `slave(1)@${core.identity.ip}:${core.identity.port}`;
  const agentInfo = { hostname: core.identity.hostname, port: core.identity.port, resources: config.resources.toArray(), attributes: config.attributes };
  const capabilities = [...AGENT_CAPABILITIES];
  if (!core.identity.agentId) return { type: 'REGISTER_AGENT', agent_info: agentInfo, capabilities, version: AGENT_VERSION, pid };
  const tasks: Task[] = core.reportedTasks().map(({ fw, run, entry }) => ({
    name: entry.info.name,
    task_id: entry.info.task_id,
    framework_id: { value: fw.id },
    ...(run.commandExecutor ? {} : { executor_id: { value: run.id } }),
    agent_id: { value: core.agentId },
    state: entry.state,
    resources: entry.info.resources ?? [],
    statuses: entry.latestStatus ? [entry.latestStatus] : [],
    ...(entry.info.labels ? { labels: entry.info.labels } : {}),
    ...(entry.info.discovery ? { discovery: entry.info.discovery } : {}),
    ...(entry.info.container ? { container: entry.info.container } : {}),
    ...(entry.info.health_check ? { health_check: entry.info.health_check } : {}),
  }));
  const executors = [];
  for (const fw of core.frameworks.values()) {
    for (const run of fw.executors.values()) {
      if (!run.commandExecutor && run.live) executors.push({ framework_id: { value: fw.id }, executor_info: run.info, ...(run.paths ? { directory: run.paths.sandbox } : {}) });
    }
  }
  return {
    type: 'REREGISTER_AGENT',
    agent_info: { ...agentInfo, id: { value: core.agentId } },
    capabilities,
    version: AGENT_VERSION,
    pid,
    tasks,
    executors,
    frameworks: [...core.frameworks.values()].map((fw) => fw.info),
  };
}

/** Every executor run the agent remembers and its sandbox, oldest first (completed runs before live ones). */
export function sandboxRuns(core: AgentCore): SandboxRun[] {
  const runs: SandboxRun[] = [];
  for (const fw of [...core.completedFrameworks, ...core.frameworks.values()]) {
    for (const run of [...fw.completedExecutors, ...fw.executors.values()]) {
      if (run.paths && !run.sandboxCollected) runs.push({ frameworkId: fw.id, executorId: run.id, sandbox: run.paths.sandbox });
    }
  }
  return runs;
}

export async function startAgent(config: AgentConfig, deps: AgentDeps = {}): Promise<RunningAgent> {
  const clock = deps.clock ?? new SystemClock();
  const log = deps.log ?? pino({ level: config.logLevel }).child({ component: 'agent' });
  const registry = deps.registry ?? new Registry();
  const metrics = new AgentMetrics(registry);
  const startTime = clock.now();
  const checkpoint = new CheckpointStore(config.workDir);
  const processes = new ProcessContainerizer(config.launcherDir);
  const containerizer = deps.containerizer ?? processes;

  let recovering = true;
  const server = createServer();
  const docker = await probeDocker(process.env.DOCKER_HOST);
  const fetcherCache = new FetcherCache(config.fetcherCacheDir, config.fetcherCacheSizeBytes, log.child({ component: 'fetcher-cache' }));
  await fetcherCache.reset();
  const layers = (await overlayMountsSupported()) ? new SandboxLayers(join(config.workDir, 'sandbox-layers'), log.child({ component: 'sandbox-layers' })) : undefined;
  await layers?.sweep();
  if (layers) log.info({ method: layers.method }, 'cached fetches are shared by mounting sandboxes over them (overlayfs)');
  else log.info('cached fetches are copied into each sandbox (overlay mounts need root and overlayfs)');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.ip, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const core = new AgentCore(
    { ip: config.ip, port, hostname: config.hostname },
    {
      executorRegistrationTimeoutMs: config.executorRegistrationTimeoutMs,
      executorShutdownGracePeriodMs: config.executorShutdownGracePeriodMs,
      recoveryTimeoutMs: config.recoveryTimeoutMs,
      statusUpdateRetryIntervalMinMs: config.statusUpdateRetryIntervalMinMs,
    },
    containerizer, checkpoint, clock, log,
  );
  // Known before the first request is served (an await between listen and the request handler
  // would leave early requests without an answer).
  core.docker = docker;
  log.info({ docker }, docker.available ? 'Docker Engine available' : 'no Docker Engine: DOCKER tasks will fail');

  // Mesos' GarbageCollector: a finished run's sandbox and meta directory go gc_delay after they
  // were last written, sooner as the work_dir's disk fills. A running executor's never are.
  const collector = new SandboxCollector(
    { workDir: config.workDir, gcDelayMs: config.gcDelayMs, gcDiskHeadroom: config.gcDiskHeadroom, diskWatchIntervalMs: config.diskWatchIntervalMs },
    clock, log.child({ component: 'gc' }),
    // A sandbox mounted over fetched layers is unmounted before it is removed.
    layers ? { ...nodeCollectorIo, remove: async (path) => { await layers.releaseBelow(path); await nodeCollectorIo.remove(path); } } : nodeCollectorIo,
  );
  core.gc = {
    collect: (path, removed, ageOf) => {
      collector.collect(path, removed, ageOf).catch((err: Error) => log.warn({ path, err: err.message }, 'could not schedule garbage collection'));
    },
    keep: (path) => collector.unschedule(path),
  };
  collector.start();

  core.fetcher = new Fetcher(
    { cache: fetcherCache, stallTimeoutMs: config.fetcherStallTimeoutMs, ...(config.frameworksHome ? { frameworksHome: config.frameworksHome } : {}), ...(layers ? { layers } : {}) },
    log.child({ component: 'fetcher' }),
    fetcherMetrics(registry, fetcherCache),
  );

  const executorApi = createExecutorApi(core, () => recovering);
  const attachments = () => sandboxAttachments(sandboxRuns(core));
  const sandboxFiles = new SandboxFiles(attachments);
  const filesHttp = createFilesHttp(sandboxFiles, attachments);
  const monitor = new ResourceMonitor({
    liveRuns: () => [...core.frameworks.values()].flatMap((fw) => [...fw.executors.values()].filter((run) => run.live)),
    agentId: () => core.agentId,
    docker: () => core.docker,
    clock,
    log: log.child({ component: 'monitor' }),
  });
  usageMetrics(registry, async () => (await monitor.usage()).map((u) => u.statistics));
  const monitorHttp = createMonitorHttp(monitor);
  const operatorApi = createAgentOperatorApi(sandboxFiles, monitor);
  let masterHostname: string | undefined;
  server.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const handle = async () => {
      if (path === '/api/v1/executor') return executorApi(req, res);
      if (path === '/state' || path === '/slave(1)/state' || path === '/state.json' || path === '/slave(1)/state.json') {
        const body = JSON.stringify(agentStateJson({ core, version: AGENT_VERSION, resources: config.resources, attributes: config.attributes, masterHostname, startTime, flags: config.flags, docker: core.docker }));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
        return;
      }
      if (path === '/health' || path === '/slave(1)/health') return void res.writeHead(200, { 'Content-Length': 0 }).end();
      // Mesos' Slave::Http::flags and the libprocess /version process.
      if (path === '/flags' || path === '/slave(1)/flags') return void sendAgentJson(res, { flags: Object.fromEntries(config.flags) });
      if (path === '/version') return void sendAgentJson(res, versionJson());
      if (path === '/api/v1' || path === '/slave(1)/api/v1') return operatorApi(req, res);
      if (isMonitorStatisticsPath(path)) return monitorHttp(req, res);
      const files = filesEndpoint(path);
      if (files) return filesHttp(files, req, res);
      if (path === '/metrics/snapshot') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(agentSnapshot(core, link.isRegistered, startTime, clock.now())));
        return;
      }
      if (path === '/metrics') {
        res.writeHead(200, { 'Content-Type': registry.contentType }).end(await registry.metrics());
        return;
      }
      throw new NotFound('');
    };
    handle().catch((err: unknown) => {
      if (sendAgentError(res, err)) return;
      log.error({ err }, 'request failed');
      if (!res.headersSent) res.writeHead(500).end('Internal server error');
    });
  });

  const link: MasterLink = new MasterLink(deps.detector ?? masterDetector(config.master, { sessionTimeoutMs: config.zkSessionTimeoutMs, log }), config.registrationBackoffFactorMs, {
    registration: () => registrationMessage(core, config),
    registered: (agentId, reregistered) => {
      core.identity.agentId = agentId;
      checkpoint.writeAgent(agentId, { hostname: config.hostname, port, resources: config.resources.toArray(), attributes: config.attributes, id: { value: agentId } });
      masterHostname = link.masterEndpoint?.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      metrics.registered.set(1);
      log.info({ agentId }, reregistered ? 'agent re-registered' : 'agent registered');
      core.updates.resume();
    },
    message: (msg) => core.handleMasterMessage(msg),
    disconnected: () => {
      metrics.registered.set(0);
      core.updates.pause();
    },
    shutdown: (reason) => {
      log.warn({ reason }, 'master asked this agent to shut down');
      for (const fw of [...core.frameworks.keys()]) core.shutdownFramework(fw);
      checkpoint.forgetAgent();
      void running.stop();
    },
  }, clock, log.child({ component: 'master-link' }));
  core.attachMaster((msg) => link.send(msg));

  const recoveryDeps = { core, checkpoint, containerizer, config, clock, log, collect: (path: string) => void collector.collect(path).catch(() => undefined) };
  const awaiting = recoverFromCheckpoint(recoveryDeps);
  recovering = false; // executors may now re-subscribe
  await waitForResubscription(recoveryDeps, awaiting);
  if (core.docker.available) {
    const live = new Set<string>();
    for (const fw of core.frameworks.values()) for (const run of fw.executors.values()) if (run.state !== 'terminated') for (const id of run.tasks.keys()) live.add(id);
    const removed = await removeOrphanContainers(core.docker.host, core.agentId, live).catch((err: Error) => {
      log.warn({ err: err.message }, 'could not look for orphan containers');
      return [];
    });
    if (removed.length > 0) log.info({ tasks: removed }, 'removed containers of tasks this agent no longer runs');
  }
  if (containerizer === processes) processes.start();
  link.start();

  const running: RunningAgent = {
    core,
    port,
    server,
    async stop(options = {}) {
      link.stop();
      collector.stop();
      layers?.close();
      core.updates.pause();
      if (options.killExecutors !== false) {
        for (const fw of core.frameworks.values()) for (const run of fw.executors.values()) containerizer.destroy(run.pid, run.paths?.sandbox);
      }
      processes.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return running;
}
