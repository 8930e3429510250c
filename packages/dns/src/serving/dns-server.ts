// Tepui-DNS on the wire: UDP and TCP on one listener address and port, as Mesos-DNS' LaunchDNS.
// The sockets only move bytes; QueryHandler decides every reply. No client's bytes can stop the
// server: everything a query does is caught and answered (SERVFAIL at worst) or dropped.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import type { DnsConfig } from '../config/dns-config';
import type { RecordLookup } from '../records/dns-record';
import { UpstreamForwarder, type Forwarder } from './forwarder';
import type { QueryObserver } from './query-event';
import { QueryHandler, type Reply } from './query-handler';
import { silentLog, type ServingLog } from './serving-log';
import { TcpConnection } from './tcp-connection';
import { bindUdpAndTcp } from './udp-and-tcp';

export interface DnsServerOptions {
  /** listener and port, and everything the answers depend on. Port 0 picks a free port. */
  readonly config: DnsConfig;
  /** Read on every query that misses the answer cache; its generation invalidates the cache. */
  readonly records: RecordLookup;
  /** Called once per reply sent, for metrics (not for dropped datagrams). */
  readonly observer?: QueryObserver;
  readonly log?: ServingLog;
  /** Where names outside the domain go; by default the config's resolvers. */
  readonly forwarder?: Forwarder;
  readonly tcpIdleTimeoutMs?: number;
  readonly maxTcpConnections?: number;
  readonly maxPendingForwards?: number;
  /** Keep encoded replies per query (default true): a benchmark switch, and a way out. */
  readonly cacheAnswers?: boolean;
  /** SO_RCVBUF of the UDP socket (the kernel caps it at net.core.rmem_max). */
  readonly udpReceiveBufferBytes?: number;
}

export const DEFAULT_TCP_IDLE_TIMEOUT_MS = 8_000;
export const DEFAULT_MAX_TCP_CONNECTIONS = 1_000;
/**
 * Room for bursts while the one JS thread is busy: Linux's default 208 KiB holds only about 200
 * queued datagrams, and dnsperf with 8 clients × 200 outstanding queries overflows it.
 */
export const DEFAULT_UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export class DnsServer {
  private readonly handler: QueryHandler;
  private readonly forwarder: Forwarder;
  private readonly log: ServingLog;
  private readonly connections = new Set<Socket>();
  private udp: UdpSocket | undefined;
  private tcp: Server | undefined;
  private boundPort = 0;

  constructor(private readonly options: DnsServerOptions) {
    const { config } = options;
    this.log = options.log ?? silentLog();
    this.forwarder = options.forwarder ?? new UpstreamForwarder({
      resolvers: config.externalOn ? config.resolvers : [], timeoutMs: upstreamTimeoutMs(config.timeout), log: this.log,
    });
    this.handler = new QueryHandler({
      config, records: options.records, forwarder: this.forwarder, log: this.log, observer: options.observer,
      maxPendingForwards: options.maxPendingForwards, cacheAnswers: options.cacheAnswers,
    });
  }

  /** The port both transports listen on (the one picked, when the config said 0). */
  get port(): number {
    return this.boundPort;
  }

  get address(): string {
    return this.options.config.listener;
  }

  async start(): Promise<void> {
    const { listener, port } = this.options.config;
    const { udp, tcp, port: bound } = await bindUdpAndTcp(listener, port, () => this.createUdp(listener), () => this.createTcp());
    this.enlargeReceiveBuffer(udp);
    udp.on('error', (err) => this.log.warn({ err }, 'DNS UDP socket failed'));
    tcp.on('error', (err) => this.log.warn({ err }, 'DNS TCP listener failed'));
    this.udp = udp;
    this.tcp = tcp;
    this.boundPort = bound;
    this.log.debug({ listener, port: bound }, 'DNS server started on UDP and TCP');
  }

  /** Closes both sockets, every TCP connection and the forwarder (its exchanges in flight). Not restartable. */
  async stop(): Promise<void> {
    this.forwarder.close();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    for (const socket of this.connections) socket.destroy();
    await Promise.all([
      udp && new Promise<void>((resolve) => udp.close(() => resolve())),
      tcp && new Promise<void>((resolve) => tcp.close(() => resolve())),
    ]);
  }

  private createUdp(listener: string): UdpSocket {
    const family = isIP(listener) === 6 ? 6 : 4;
    // Replies go to the IP literal a query came from: a synchronous "lookup" saves the tick that
    // dns.lookup takes before each send.
    const lookup = (address: string, _options: unknown, callback: (err: null, address: string, family: number) => void): void =>
      callback(null, address, family);
    const udp = createSocket({ type: family === 6 ? 'udp6' : 'udp4', lookup });
    udp.on('message', (message, from) => this.receiveDatagram(udp, message, from));
    return udp;
  }

  private enlargeReceiveBuffer(udp: UdpSocket): void {
    const bytes = this.options.udpReceiveBufferBytes ?? DEFAULT_UDP_RECEIVE_BUFFER_BYTES;
    try {
      udp.setRecvBufferSize(bytes);
    } catch (err) {
      // Serving with the system's default buffer beats not serving.
      this.log.warn({ err, bytes }, 'could not enlarge the DNS UDP receive buffer; kept the default');
    }
  }

  private createTcp(): Server {
    // allowHalfOpen: a client may send its queries, end its side, and still wait for the replies.
    return createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.acceptConnection(socket));
  }

  private receiveDatagram(udp: UdpSocket, message: Buffer, from: RemoteInfo): void {
    // Port 0 cannot be answered, and is where reflection attacks pretend to come from.
    if (from.port === 0) return;
    let reply: Reply;
    try {
      reply = this.handler.handle(message, 'udp');
    } catch (err) {
      this.log.error({ err }, 'DNS UDP query handling threw; dropped it');
      return;
    }
    if (reply === undefined) return;
    if (Buffer.isBuffer(reply)) {
      udp.send(reply, from.port, from.address);
      return;
    }
    void reply.then((later) => {
      if (later && this.udp === udp) udp.send(later, from.port, from.address);
    }, (err: unknown) => this.log.error({ err }, 'a forwarded DNS query failed past its SERVFAIL'));
  }

  private acceptConnection(socket: Socket): void {
    if (this.connections.size >= (this.options.maxTcpConnections ?? DEFAULT_MAX_TCP_CONNECTIONS)) {
      this.log.debug({ remote: socket.remoteAddress }, 'too many DNS TCP connections; closed a new one');
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    new TcpConnection(socket, {
      answer: (message) => this.handler.handle(message, 'tcp'),
      idleTimeoutMs: this.options.tcpIdleTimeoutMs ?? DEFAULT_TCP_IDLE_TIMEOUT_MS,
      log: this.log,
    });
  }
}

/** Mesos-DNS: a `timeout` of 0 means its default of 5 s. */
export function upstreamTimeoutMs(timeoutSeconds: number): number {
  return (timeoutSeconds > 0 ? timeoutSeconds : 5) * 1000;
}
