// An upstream resolver that takes queries over UDP and TCP on one loopback port and never answers:
// the forwarder's timeout path. Also gives ports where nothing listens at all.
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';

/** The UDP port the system picks may be held over TCP by another socket: pick again, as DnsServer does. */
const PORT_ATTEMPTS = 10;

export class SilentResolver {
  received = 0;
  private readonly udp = createSocket('udp4');
  private readonly tcp = createServer((socket) => this.hold(socket));
  private readonly sockets = new Set<Socket>();

  private constructor() {
    this.udp.on('message', () => this.received++);
  }

  static async start(): Promise<SilentResolver> {
    for (let attempt = 1; ; attempt++) {
      const resolver = new SilentResolver();
      await new Promise<void>((resolve) => resolver.udp.bind(0, '127.0.0.1', resolve));
      try {
        await new Promise<void>((resolve, reject) => {
          resolver.tcp.once('error', reject);
          resolver.tcp.listen(resolver.port, '127.0.0.1', resolve);
        });
        return resolver;
      } catch (err) {
        await new Promise<void>((resolve) => resolver.udp.close(() => resolve()));
        if (attempt >= PORT_ATTEMPTS || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      }
    }
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
