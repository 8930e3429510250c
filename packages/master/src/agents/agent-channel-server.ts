// The master's end of the agent channel: one WebSocket per agent, frames of JSON message arrays.
// Outgoing messages of one event-loop turn are batched into one frame.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  AGENT_CHANNEL_PATH, decodeAgentToMasterFrame, encodeFrame, type AgentToMasterMessage, type MasterToAgentMessage,
} from '@tepui/protocol';
import type { Master } from '../master';
import type { LeaderView } from '../election/leader-view';
import type { RecoveryGate } from '../election/recovery-gate';
import type { Agent, AgentConnection } from './agent';
import { disconnectAgent, registerAgent, reregisterAgent } from './agent-lifecycle';
import { handleAgentMessage } from './agent-messages';

class WebSocketAgentConnection implements AgentConnection {
  private pending: MasterToAgentMessage[] = [];
  private flushScheduled = false;

  constructor(private readonly socket: WebSocket) {}

  send(message: MasterToAgentMessage): void {
    this.pending.push(message);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.socket.readyState !== this.socket.OPEN) return;
    const frame = encodeFrame(this.pending);
    this.pending = [];
    this.socket.send(frame);
  }

  close(reason: string): void {
    this.flush();
    this.socket.close(1000, reason.slice(0, 120));
  }
}

export function attachAgentChannel(server: Server, master: Master, leader: LeaderView, recovery: RecoveryGate): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Once a request asks for an upgrade, the HTTP server stops watching its socket for errors.
    // A client may reset it at any moment (agents try every master after a failover), and an
    // unhandled ECONNRESET would end the master: drop the socket instead. ws adds its own.
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== AGENT_CHANNEL_PATH || !leader.isLeader()) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveAgent(master, ws, recovery));
  });
  return wss;
}

/**
 * What one channel may send while the registry is read (milliseconds): an agent sends one
 * registration and waits. Past this the master asks it to come back later (1013) rather than
 * buffering without bound.
 */
export const HELD_FRAMES_LIMIT = 16;
export const HELD_BYTES_LIMIT = 8 * 1024 * 1024;

function serveAgent(master: Master, ws: WebSocket, recovery: RecoveryGate): void {
  const connection = new WebSocketAgentConnection(ws);
  let agent: Agent | undefined;
  /** Frames that came before the registry was read, in order. */
  let held: Buffer[] = [];
  let heldBytes = 0;
  const release = () => {
    const frames = held;
    held = [];
    heldBytes = 0;
    for (const data of frames) if (ws.readyState === ws.OPEN) receive(data);
  };
  ws.on('message', (data: Buffer) => {
    if (held.length > 0 || !recovery.isOpen()) {
      if (held.length >= HELD_FRAMES_LIMIT || heldBytes + data.length > HELD_BYTES_LIMIT) {
        master.log.warn({ frames: held.length + 1, bytes: heldBytes + data.length }, 'agent channel sent too much while the registry is read; asking it to try again later');
        held = [];
        heldBytes = 0;
        ws.close(1013, 'master recovering; try again later');
        return;
      }
      held.push(data);
      heldBytes += data.length;
      if (held.length === 1) void recovery.whenOpen().then(release);
      return;
    }
    receive(data);
  });
  const receive = (data: Buffer): void => {
    const decoded = decodeAgentToMasterFrame(data);
    if (!decoded.ok) {
      master.log.warn({ agentId: agent?.id, error: decoded.error }, 'agent sent an invalid frame; closing its channel');
      ws.close(1008, 'invalid frame');
      return;
    }
    for (const msg of decoded.value) {
      if (agent === undefined || master.agents.get(agent.id) !== agent) agent = admit(master, msg, connection) ?? agent;
      else handleAgentMessage(master, agent, msg);
    }
  };
  ws.on('close', () => {
    // A master that no longer leads (stopping, or deposed) does not act on agents leaving: they are
    // moving to its successor, and losing their tasks here would only be a thousand log lines. Its
    // state is not led from again (a deposed master starts over with a fresh one, see main.ts).
    if (!recovery.isOpen()) return;
    if (agent && agent.connection === connection && master.agents.get(agent.id) === agent) disconnectAgent(master, agent);
  });
  ws.on('error', (err) => master.log.warn({ err, agentId: agent?.id }, 'agent channel error'));
}

/** Before (re)registration only registration messages mean anything. */
function admit(master: Master, msg: AgentToMasterMessage, connection: AgentConnection): Agent | undefined {
  if (msg.type === 'REGISTER_AGENT') return registerAgent(master, msg, connection);
  if (msg.type === 'REREGISTER_AGENT') return reregisterAgent(master, msg, connection);
  master.log.debug({ type: msg.type }, 'message from an unregistered agent ignored');
  return undefined;
}
