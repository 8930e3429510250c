// A standby master rehearses a failover's agent re-registrations on a scratch Master of its own, so
// that V8 has compiled that code before the failover needs it. A master that has just been elected
// otherwise runs the decoding, admission and allocator code of a thousand re-registering agents for
// the first time while they wait: a registration frame costs ~8× more to decode in a fresh process
// than once warm, and the whole re-registration about 1.5× (issue 11's failover benchmark).
// Nothing of the rehearsal is seen outside it: its Master, registry, metrics and log are its own.
import pino from 'pino';
import { Registry } from 'prom-client';
import {
  Resources, decodeAgentToMasterFrame, encodeFrame, type AgentCapabilityType, type AgentToMasterMessage, type Clock, type MasterInfo,
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
    ? { type: 'REGISTER_AGENT', agent_info: agentInfo, capabilities: CAPABILITIES, version: '1.11.0', pid }
    : { type: 'REREGISTER_AGENT', agent_info: { ...agentInfo, id: { value: id } }, capabilities: CAPABILITIES, version: '1.11.0', pid, tasks: [], executors: [], frameworks: [] };
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
 * recovered from the first's registry, as after a failover, with allocations over them.
 */
export async function rehearseAgentFailover(config: MasterConfig, clock: Clock, info: MasterInfo, agents = REHEARSED_AGENTS): Promise<Rehearsal> {
  const first = scratchMaster(config, clock, info);
  const ids: string[] = [];
  for (let i = 0; i < agents; i++) {
    const msg = received(registration(i));
    if (msg.type === 'REGISTER_AGENT') ids.push(registerAgent(first, msg, connection).id);
    if (i % PER_TURN === PER_TURN - 1) await nextTurn();
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
  }
  allocate();
  return { registered: ids.length, reregistered, offered: offered.size };
}
