// Many agents in one process over the real WebSocket protocol, with fake executors: for
// benchmarks and scale tests of the master and of frameworks.
import pino, { type Logger } from 'pino';
import { fixedMasterDetector, type LeaderDetector } from '@tepui/coordination';
import { Resources, SystemClock, parseAttributes, type Clock, type MasterInfo } from '@tepui/protocol';
import { AgentCore } from '../agent-core';
import { MasterLink } from '../master-link';
import { registrationMessage } from '../agent';
import { SimulatedContainerizer } from './simulated-containerizer';

export interface SimulatedAgentsOptions {
  /** host:port of the master (when no detector is given). */
  readonly master: string;
  /** Who leads, shared by every simulated agent (one ZooKeeper session for all of them). */
  readonly detector?: LeaderDetector<MasterInfo>;
  readonly count: number;
  readonly resourcesPerAgent?: string;
  readonly attributes?: (index: number) => string;
  readonly hostnamePrefix?: string;
  readonly clock?: Clock;
  readonly log?: Logger;
}

export interface SimulatedAgents {
  readonly agents: readonly AgentCore[];
  registeredCount(): number;
  /** Registrations so far, counting each re-registration, and when the last one came (ms since the epoch). */
  registrations(): { readonly count: number; readonly lastAt: number };
  /** Resolves when every agent is registered. */
  ready(timeoutMs?: number): Promise<void>;
  stop(): void;
}

export function startSimulatedAgents(options: SimulatedAgentsOptions): SimulatedAgents {
  const clock = options.clock ?? new SystemClock();
  const log = options.log ?? pino({ level: 'warn' }).child({ component: 'simulated-agent' });
  const resources = Resources.parse(options.resourcesPerAgent ?? 'cpus:8;mem:16384;disk:100000;ports:[31000-32000]');
  const prefix = options.hostnamePrefix ?? 'sim-agent';
  const agents: AgentCore[] = [];
  const links: MasterLink[] = [];
  const detector = options.detector ?? fixedMasterDetector(options.master);
  let registrations = 0;
  let lastRegisteredAt = 0;
  for (let i = 0; i < options.count; i++) {
    const containerizer = new SimulatedContainerizer(clock);
    // Each simulated agent needs its own pid (`slave(1)@ip:port`); these ports are never bound.
    const core = new AgentCore(
      { ip: '127.0.0.1', port: 20000 + i, hostname: `${prefix}-${i}` },
      { executorRegistrationTimeoutMs: 60_000, executorShutdownGracePeriodMs: 5000, recoveryTimeoutMs: 900_000, statusUpdateRetryIntervalMinMs: 10_000 },
      containerizer, undefined, clock, log,
    );
    containerizer.attach(core);
    const attributes = options.attributes ? parseAttributes(options.attributes(i)) : [];
    const link = new MasterLink(detector, 100, {
      registration: () => registrationMessage(core, { resources, attributes }),
      registered: (agentId) => {
        registrations++;
        lastRegisteredAt = Date.now();
        core.identity.agentId = agentId;
        core.updates.resume();
      },
      message: (msg) => core.handleMasterMessage(msg),
      disconnected: () => core.updates.pause(),
      shutdown: () => link.stop(),
    }, clock, log);
    core.attachMaster((msg) => link.send(msg));
    agents.push(core);
    links.push(link);
    link.start();
  }
  const registeredCount = () => links.filter((l) => l.isRegistered).length;
  return {
    agents,
    registeredCount,
    registrations: () => ({ count: registrations, lastAt: lastRegisteredAt }),
    ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        const check = () => {
          if (registeredCount() === links.length) return resolve();
          if (Date.now() > deadline) return reject(new Error(`only ${registeredCount()} of ${links.length} simulated agents registered`));
          setTimeout(check, 20);
        };
        check();
      });
    },
    stop() {
      for (const link of links) link.stop();
    },
  };
}
