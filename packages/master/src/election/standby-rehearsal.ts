// A standby master rehearses a failover's agent re-registrations on a scratch Master of its own (in
// process, then over a private loopback agent channel), so that V8 has compiled that code before the
// failover needs it. A master that has just been elected otherwise runs the decoding, admission and
// allocator code of a thousand re-registering agents for the first time while they wait: a registration frame costs ~8× more to decode in a fresh process
// than once warm, and the whole re-registration about 1.5× (issue 11's failover benchmark).
// Nothing of the rehearsal is seen outside it: its Master, registry, metrics and log are its own.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Registry } from 'prom-client';
import WebSocket from 'ws';
import {
  AGENT_CHANNEL_PATH, MESOS_API_VERSION, Resources, decodeAgentToMasterFrame, encodeFrame, type AgentCapabilityType, type AgentToMasterMessage, type Clock, type MasterInfo,
} from '@tepui/protocol';
import type { MasterConfig } from '../config';
import { Master } from '../master';
import { MasterIds } from '../ids';
import { MasterMetrics } from '../metrics';
import { MemoryRegistry } from '../registry/registry';
import { Registrar } from '../registry/registrar';
import { recoverFromRegistry } from '../registry/recovery';
import type { AgentConnection } from '../agents/agent';
import { registerAgent, reregisterAgent } from '../agents/agent-lifecycle';
import { attachAgentChannel } from '../agents/agent-channel-server';
import { RecoveryGate } from './recovery-gate';

/** Enough calls for V8's optimizing tiers to take over the hot functions. */
export const REHEARSED_AGENTS = 1_000;
/** Agents per turn of the event loop: the standby keeps answering its HTTP requests meanwhile. */
const PER_TURN = 50;

const RESOURCES = Resources.parse('cpus:8;mem:16384;disk:100000;ports:[31000-32000]').toArray();
const CAPABILITIES: AgentCapabilityType[] = ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT', 'TASK_RESOURCE_LIMITS'];

/** What an agent channel does with a reply: encode it as a frame (and drop it). */
const connection: AgentConnection = {
  send: (message) => void encodeFrame([message]),
  close: () => undefined,
};

function received(message: AgentToMasterMessage): AgentToMasterMessage {
  const decoded = decodeAgentToMasterFrame(encodeFrame([message]));
  if (!decoded.ok || decoded.value.length !== 1) throw new Error(`rehearsal frame did not decode: ${decoded.ok ? 'not one message' : decoded.error}`);
  return decoded.value[0]!;
}

function scratchMaster(config: MasterConfig, clock: Clock, info: MasterInfo): Master {
  const log = pino({ level: 'silent' });
  return new Master(config, clock, log, new MasterIds(), info, new MasterMetrics(new Registry()), new Registrar(new MemoryRegistry(), { revoked: () => undefined }, log, clock));
}

function registration(index: number, id?: string): AgentToMasterMessage {
  const host = `rehearsal-${index}`;
  const pid = `slave(1)@10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}:5051`;
  const agentInfo = { hostname: host, port: 5051, resources: RESOURCES, attributes: [] };
  return id === undefined
    ? { type: 'REGISTER_AGENT', agent_info: agentInfo, capabilities: CAPABILITIES, version: MESOS_API_VERSION, pid }
    : { type: 'REREGISTER_AGENT', agent_info: { ...agentInfo, id: { value: id } }, capabilities: CAPABILITIES, version: MESOS_API_VERSION, pid, tasks: [], executors: [], frameworks: [] };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface Rehearsal {
  readonly registered: number;
  readonly reregistered: number;
  /** Agents offered to the scratch framework. */
  readonly offered: number;
}

/**
 * Registers `agents` agents with one scratch master, then re-registers them with a second one
 * recovered from the first's registry, as after a failover, with allocations over them. Stops at
 * the next turn once `signal` is aborted (the master is stopping).
 */
export async function rehearseAgentFailover(config: MasterConfig, clock: Clock, info: MasterInfo, agents = REHEARSED_AGENTS, signal?: AbortSignal): Promise<Rehearsal> {
  const first = scratchMaster(config, clock, info);
  const ids: string[] = [];
  for (let i = 0; i < agents; i++) {
    const msg = received(registration(i));
    if (msg.type === 'REGISTER_AGENT') ids.push(registerAgent(first, msg, connection).id);
    if (i % PER_TURN === PER_TURN - 1) await nextTurn();
    if (signal?.aborted) return { registered: ids.length, reregistered: 0, offered: 0 };
  }
  const admitted = [...first.agents.values()].map((agent) => ({ id: agent.id, hostname: agent.info.hostname, pid: agent.pid }));
  const second = scratchMaster(config, clock, info);
  recoverFromRegistry(second, { admitted, unreachable: [], gone: [], weights: {} });
  // A framework for the allocator to offer the re-registered agents to, as the resubscribed ones are.
  second.allocator.addFramework('rehearsal', { roles: ['*'], suppressedRoles: [], active: true, multiRole: true });
  let reregistered = 0;
  const offered = new Set<string>();
  const allocate = () => {
    for (const offer of second.allocator.allocate(clock.now()).offers) offered.add(offer.agentId);
  };
  for (let i = 0; i < ids.length; i++) {
    const msg = received(registration(i, ids[i]));
    if (msg.type === 'REREGISTER_AGENT' && reregisterAgent(second, msg, connection) !== undefined) reregistered++;
    if (i % PER_TURN === PER_TURN - 1) {
      allocate();
      await nextTurn();
    }
    if (signal?.aborted) break;
  }
  allocate();
  return { registered: ids.length, reregistered, offered: offered.size };
}

/**
 * Connections of the rehearsal over sockets: enough for the connection path to be compiled (the
 * first few hundred are what a fresh process pays for), few enough to be over in half a second.
 */
export const REHEARSED_CONNECTIONS = 300;
/** Connections at once while rehearsing over sockets. */
const SOCKET_CONCURRENCY = 16;

/**
 * Registers `agents` agents with a scratch master over real WebSockets on a private loopback port,
 * so that the HTTP server, the upgrade and `ws` are compiled too (in-process rehearsal does not
 * reach them, and they are more than half of what a fresh leader pays per agent). Resolves with how
 * many were answered, and on which port (closed by then); once `signal` is aborted no new
 * connection starts, and the port closes as soon as those under way are done.
 */
export async function rehearseAgentChannel(
  config: MasterConfig, clock: Clock, info: MasterInfo, agents = REHEARSED_CONNECTIONS, signal?: AbortSignal,
): Promise<{ readonly answered: number; readonly port: number }> {
  const scratch = scratchMaster(config, clock, info);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const recovery = new RecoveryGate();
  recovery.open();
  const wss = attachAgentChannel(server, scratch, { leader: () => info, isLeader: () => true }, recovery);
  const port = (server.address() as AddressInfo).port;
  const url = `ws://127.0.0.1:${port}${AGENT_CHANNEL_PATH}`;
  let answered = 0;
  const one = (index: number) => new Promise<void>((resolve) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.on('open', () => socket.send(encodeFrame([registration(index)])));
    socket.on('message', () => {
      answered++;
      socket.close();
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
  try {
    let next = 0;
    await Promise.all(Array.from({ length: SOCKET_CONCURRENCY }, async () => {
      while (next < agents && !signal?.aborted) await one(next++);
    }));
  } finally {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { answered, port };
}
