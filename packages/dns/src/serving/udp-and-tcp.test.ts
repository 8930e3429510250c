// UDP and TCP on one port: port 0 picks one for both, a UDP port already held over TCP is given up
// for another, and a fixed port that is taken is refused with both sockets closed.
import { expect } from 'chai';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { bindUdpAndTcp, type UdpAndTcp } from './udp-and-tcp';

const close = async (pair: { udp?: UdpSocket; tcp?: Server }) => {
  await new Promise<void>((resolve) => (pair.tcp?.listening ? pair.tcp.close(() => resolve()) : resolve()));
  await new Promise<void>((resolve) => (pair.udp ? pair.udp.close(() => resolve()) : resolve()));
};

describe('UDP and TCP on one port', () => {
  const opened: Array<{ udp?: UdpSocket; tcp?: Server }> = [];
  afterEach(async () => {
    for (const pair of opened.splice(0)) await close(pair).catch(() => undefined);
  });

  it('port 0: one port picked for both transports', async () => {
    const pair = await bindUdpAndTcp('127.0.0.1', 0, () => createSocket('udp4'), () => createServer());
    opened.push(pair);
    expect(pair.port).to.be.greaterThan(0);
    expect(pair.udp.address().port).to.equal(pair.port);
    expect((pair.tcp.address() as { port: number }).port).to.equal(pair.port);
  });

  it('port 0: a picked port already held over TCP is given up for another', async () => {
    const udps: UdpSocket[] = [];
    let blocker: Server | undefined;
    const pair: UdpAndTcp = await bindUdpAndTcp('127.0.0.1', 0, () => {
      const udp = createSocket('udp4');
      udps.push(udp);
      return udp;
    }, () => {
      if (!blocker) {
        // Another socket takes the picked port over TCP first (listen on an IP literal binds at once).
        blocker = createServer().listen(udps[0]!.address().port, '127.0.0.1');
        opened.push({ tcp: blocker });
      }
      return createServer();
    });
    opened.push(pair);
    expect(udps).to.have.length(2);
    expect(pair.udp).to.equal(udps[1]);
    expect(pair.port).to.not.equal((blocker!.address() as { port: number }).port);
    // The first UDP socket was closed: sending from it throws.
    expect(() => udps[0]!.address()).to.throw();
  });

  it('a fixed port taken over TCP: the bind error, and the UDP socket bound for the attempt closed again', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    opened.push({ tcp: holder });
    const port = (holder.address() as { port: number }).port;
    const err = await bindUdpAndTcp('127.0.0.1', port, () => createSocket('udp4'), () => createServer()).then(() => undefined, (e: NodeJS.ErrnoException) => e);
    expect(err?.code).to.equal('EADDRINUSE');
    // Not tried on another port: the caller asked for this one. And its UDP side is free again.
    const udp = createSocket('udp4');
    opened.push({ udp });
    await new Promise<void>((resolve, reject) => udp.once('error', reject).bind(port, '127.0.0.1', () => resolve()));
  });
});
