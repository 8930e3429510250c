// UDP and TCP on one address and port, as a DNS server listens. With port 0 the system picks the
// UDP port, and that number may already be held over TCP by another socket: both are closed and
// another port is tried. Used by the server and by the stand-in resolvers of the tests.
import type { Socket as UdpSocket } from 'node:dgram';
import type { Server } from 'node:net';

export interface UdpAndTcp {
  readonly port: number;
  readonly udp: UdpSocket;
  readonly tcp: Server;
}

/** With port 0, how often to try another port when the UDP one is taken for TCP. */
const PORT_ATTEMPTS = 20;

/**
 * Binds a fresh pair from `createUdp`/`createTcp` (their handlers set, not yet bound) on `address`
 * and `port`. Rejects with the bind's error, the sockets closed, when a fixed port is taken.
 */
export async function bindUdpAndTcp(address: string, port: number, createUdp: () => UdpSocket, createTcp: () => Server): Promise<UdpAndTcp> {
  for (let attempt = 1; ; attempt++) {
    const udp = createUdp();
    // A socket whose bind failed is already closed.
    await settle(udp, (done) => udp.bind(port, address, done));
    const picked = udp.address().port;
    const tcp = createTcp();
    try {
      await settle(tcp, (done) => tcp.listen(picked, address, done));
      return { port: picked, udp, tcp };
    } catch (err) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      if (port !== 0 || attempt >= PORT_ATTEMPTS || !isAddressInUse(err)) throw err;
    }
  }
}

/** Starts `begin` and waits for its callback or the socket's first error. */
function settle(socket: UdpSocket | Server, begin: (done: () => void) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => reject(err);
    socket.once('error', fail);
    begin(() => {
      socket.off('error', fail);
      resolve();
    });
  });
}

function isAddressInUse(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'EADDRINUSE';
}
