// A stand-in for the resolvers Tepui-DNS forwards to: answers A queries for a fixed map (NXDOMAIN
// otherwise) over UDP and TCP on one loopback port, and records the names it was asked.
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import { bindUdpAndTcp } from '@tepui/dns/testing';
import * as dnsPacket from 'dns-packet';

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
  const { port, udp, tcp } = await bindUdpAndTcp('127.0.0.1', 0, () => {
    const udp = createSocket('udp4');
    return udp.on('message', (msg, from) => udp.send(answer(msg), from.port, from.address));
  }, () => createServer(serveTcp));
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
