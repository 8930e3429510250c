// A stand-in for the resolvers Tepui-DNS forwards to: answers A queries for a fixed map (NXDOMAIN
// otherwise) over UDP and TCP on one loopback port, and records the names it was asked.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { freePort } from './processes';

export interface UpstreamResolver {
  readonly port: number;
  queries(): string[];
  close(): Promise<void>;
}

export async function startUpstreamResolver(addresses: Readonly<Record<string, string>>): Promise<UpstreamResolver> {
  const asked: string[] = [];
  const answer = (query: Buffer): Buffer => {
    const q = dnsPacket.decode(query);
    const question = q.questions?.[0];
    const name = question?.name.toLowerCase() ?? '';
    asked.push(name);
    const ip = addresses[name];
    return dnsPacket.encode({
      type: 'response', id: q.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (ip ? 0 : 3),
      questions: q.questions ?? [],
      answers: ip && question?.type === 'A' ? [{ type: 'A', name, ttl: 30, data: ip }] : [],
    });
  };
  const sockets = new Set<Socket>();
  const serveTcp = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const reply = answer(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
        buffered = buffered.subarray(2 + buffered.readUInt16BE(0));
        const length = Buffer.alloc(2);
        length.writeUInt16BE(reply.length);
        socket.write(Buffer.concat([length, reply]));
      }
    });
    socket.on('error', () => undefined);
  };
  const { port, udp, tcp } = await bindBoth((msg, from, udp) => udp.send(answer(msg), from.port, from.address), serveTcp);
  return {
    port,
    queries: () => [...asked],
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}

/** Both transports on one port: a port free a moment ago may be taken meanwhile, so pick again. */
async function bindBoth(
  onDatagram: (msg: Buffer, from: RemoteInfo, udp: UdpSocket) => void,
  onConnection: (socket: Socket) => void,
): Promise<{ port: number; udp: UdpSocket; tcp: Server }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const udp = createSocket('udp4');
    udp.on('message', (msg, from) => onDatagram(msg, from, udp));
    const tcp = createServer(onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(port, '127.0.0.1', () => resolve());
      });
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, '127.0.0.1', () => resolve());
      });
      return { port, udp, tcp };
    } catch (err) {
      // A socket whose bind failed is already closed.
      try {
        udp.close();
      } catch {
        // not running
      }
      if (tcp.listening) tcp.close();
      if (attempt >= 10 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}
