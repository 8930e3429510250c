// The agent's WebSocket to the leading master: it follows the leader a detector reports (a fixed
// master, a list, or ZooKeeper) and re-registers with each new one, with Mesos' backoff; PING/PONG,
// master loss detection, and batching of one event-loop turn's messages into one frame.
import WebSocket from 'ws';
import { masterEndpoint, type LeaderDetector } from '@tepui/coordination';
import {
  AGENT_CHANNEL_PATH, decodeMasterToAgentFrame, encodeFrame, type AgentToMasterMessage, type Cancel, type Clock,
  type MasterInfo, type MasterToAgentMessage,
} from '@tepui/protocol';
import type { Logger } from 'pino';

export const REGISTRATION_BACKOFF_MAX_MS = 60_000;
/** The close code a master stopping gracefully sends its agents (WebSocket "going away"). */
export const MASTER_GOING_AWAY = 1001;
/** Missed pings (of the master's announced interval) after which the master is considered lost. */
const MASTER_SILENCE_PINGS = 5;

export interface MasterLinkHandlers {
  /** Builds REGISTER_AGENT or REREGISTER_AGENT for this attempt. */
  registration(): AgentToMasterMessage;
  registered(agentId: string, reregistered: boolean): void;
  message(msg: MasterToAgentMessage): void;
  disconnected(): void;
  shutdown(reason: string): void;
}

export class MasterLink {
  private socket?: WebSocket;
  private pending: AgentToMasterMessage[] = [];
  private flushScheduled = false;
  private registered = false;
  private stopped = false;
  private retryTimer?: Cancel;
  private silenceTimer?: Cancel;
  private backoffMs: number;
  private silenceMs = 15_000 * MASTER_SILENCE_PINGS;

  /** The leading master as last detected. */
  private leader: MasterInfo | undefined;

  constructor(
    private readonly detector: LeaderDetector<MasterInfo>,
    private readonly backoffFactorMs: number,
    private readonly handlers: MasterLinkHandlers,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
  ) {
    this.backoffMs = backoffFactorMs;
  }

  get isRegistered(): boolean {
    return this.registered;
  }

  /** host:port of the master this agent talks to (or is trying to reach). */
  get masterEndpoint(): string | undefined {
    return this.leader && masterEndpoint(this.leader);
  }

  start(): void {
    void this.followLeader();
    // Mesos waits a random fraction of the backoff factor before the first attempt, so a fleet of
    // agents restarting together does not stampede the master.
    this.scheduleConnect(this.random() * this.backoffFactorMs);
  }

  stop(): void {
    this.stopped = true;
    this.retryTimer?.();
    this.silenceTimer?.();
    this.flush();
    this.socket?.close();
    this.socket = undefined;
  }

  /** Queues a message; messages sent while unregistered are dropped (updates are retried by their manager). */
  send(message: AgentToMasterMessage): void {
    if (!this.registered && message.type !== 'REGISTER_AGENT' && message.type !== 'REREGISTER_AGENT') return;
    this.pending.push(message);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.socket?.readyState !== WebSocket.OPEN) return;
    const frame = encodeFrame(this.pending);
    this.pending = [];
    this.socket.send(frame);
  }

  private scheduleConnect(delayMs: number): void {
    if (this.stopped) return;
    this.retryTimer?.();
    this.retryTimer = this.clock.setTimer(delayMs, () => this.connect());
  }

  /** A new leader: drop the channel to the old one (if any) and register with the new one. */
  private async followLeader(): Promise<void> {
    let previous: MasterInfo | undefined;
    while (!this.stopped) {
      const next = await this.detector.detect(previous);
      if (this.stopped) return;
      previous = next;
      this.leader = next;
      this.log.info({ master: next ? masterEndpoint(next) : null }, next ? 'detected the leading master' : 'no leading master detected');
      // A new leader starts a fresh backoff, as in Mesos: however long the link spent retrying the dead
      // one, the first attempt comes within one backoff factor.
      this.backoffMs = this.backoffFactorMs;
      const socket = this.socket;
      this.socket = undefined;
      if (socket) this.dropSocket(socket);
      if (next) this.scheduleConnect(this.random() * this.backoffFactorMs);
    }
  }

  private connect(): void {
    if (this.stopped) return;
    // No leader known yet: the detector's next report connects.
    if (!this.leader) return;
    // No compression offer: the master never takes it (frames are small JSON), and building it costs every connect.
    const socket = new WebSocket(`ws://${masterEndpoint(this.leader)}${AGENT_CHANNEL_PATH}`, { maxPayload: 64 * 1024 * 1024, perMessageDeflate: false });
    this.socket = socket;
    socket.on('open', () => {
      this.pending = [this.handlers.registration()];
      this.flush();
      this.armSilence();
    });
    socket.on('message', (data: Buffer) => {
      const decoded = decodeMasterToAgentFrame(data);
      if (!decoded.ok) {
        this.log.warn({ error: decoded.error }, 'master sent an invalid frame; reconnecting');
        socket.terminate();
        return;
      }
      this.armSilence();
      for (const msg of decoded.value) this.onMessage(msg);
    });
    socket.on('close', (code) => this.onClose(socket, code));
    socket.on('error', (err) => this.log.debug({ err: err.message }, 'master channel error'));
  }

  private onMessage(msg: MasterToAgentMessage): void {
    switch (msg.type) {
      case 'AGENT_REGISTERED':
      case 'AGENT_REREGISTERED':
        this.registered = true;
        this.backoffMs = this.backoffFactorMs;
        this.silenceMs = Math.max(1000, msg.ping_interval_seconds * 1000 * MASTER_SILENCE_PINGS);
        this.armSilence();
        this.handlers.registered(msg.agent_id.value, msg.type === 'AGENT_REREGISTERED');
        return;
      case 'PING':
        this.send({ type: 'PONG' });
        return;
      case 'SHUTDOWN_AGENT':
        this.handlers.shutdown(msg.message);
        return;
      default:
        if (this.registered) this.handlers.message(msg);
    }
  }

  private armSilence(): void {
    this.silenceTimer?.();
    this.silenceTimer = this.clock.setTimer(this.silenceMs, () => {
      this.log.warn({ silenceMs: this.silenceMs }, 'master went silent; reconnecting');
      this.socket?.terminate();
    });
  }

  /** Closes a channel this link no longer wants (its own close event is then ignored). */
  private dropSocket(socket: WebSocket): void {
    socket.terminate();
    this.lostChannel();
  }

  private lostChannel(): void {
    this.silenceTimer?.();
    const wasRegistered = this.registered;
    this.registered = false;
    this.pending = [];
    if (wasRegistered) this.handlers.disconnected();
  }

  private onClose(socket: WebSocket, code: number): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.lostChannel();
    if (this.stopped) return;
    // A master that said it is going away is not asked again at once: a detector following an
    // election reports its successor meanwhile (which cancels this wait), and a thousand agents
    // do not knock on a closed door together. A standalone master is tried again as before, a
    // backoff factor later.
    const delay = (code === MASTER_GOING_AWAY ? this.backoffFactorMs : 0) + this.random() * this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, REGISTRATION_BACKOFF_MAX_MS);
    this.log.info({ delayMs: Math.round(delay) }, 'lost the master; re-registering after a backoff');
    this.scheduleConnect(delay);
  }
}
