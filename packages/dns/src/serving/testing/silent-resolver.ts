// An upstream resolver that takes queries over UDP and TCP on one loopback port and never answers:
// the forwarder's timeout path. Also gives ports where nothing listens at all.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { bindUdpAndTcp } from '../udp-and-tcp';

export class SilentResolver {
  received = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly udp: UdpSocket, private readonly tcp: Server) {}

  static async start(): Promise<SilentResolver> {
    let resolver: SilentResolver | undefined;
    const count = () => resolver!.received++;
    const { udp, tcp } = await bindUdpAndTcp('127.0.0.1', 0,
      () => createSocket('udp4').on('message', count),
      () => createServer((socket) => resolver!.hold(socket)));
    resolver = new SilentResolver(udp, tcp);
    return resolver;
  }

  get port(): number {
    return this.udp.address().port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    await new Promise<void>((resolve) => this.udp.close(() => resolve()));
  }

  private hold(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('data', () => this.received++);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }
}

/** A loopback port nothing listens on (just freed), so UDP gets ICMP unreachable and TCP a reset. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
