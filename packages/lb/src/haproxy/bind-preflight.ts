// Before a reload, try the new configuration's new TCP ports ourselves. When HAProxy 2.6 cannot
// bind a port during a reload, it pauses the serving worker's listeners and retries for about 2 s
// before giving up; meanwhile connections to every existing frontend are refused (measured: 138
// of 200 requests got ECONNREFUSED; haproxy-process.test.ts). A taken port found here costs nothing.
import { createServer } from 'node:net';

export interface BindAddress {
  readonly host: string;
  readonly port: number;
}

/** `bind` addresses of the form host:port (IPv4, `*` or empty host); unix sockets, fd@ and ranges are skipped. */
export function tcpBindAddresses(configText: string): BindAddress[] {
  const addresses: BindAddress[] = [];
  for (const line of configText.split('\n')) {
    const bind = /^\s*bind\s+(\S+)/.exec(line);
    if (!bind?.[1]) continue;
    for (const part of bind[1].split(',')) {
      const m = /^(?:ipv4@)?([0-9.*]*):(\d+)$/.exec(part);
      if (m) addresses.push({ host: m[1] === '' || m[1] === '*' ? '0.0.0.0' : (m[1] ?? '0.0.0.0'), port: Number(m[2]) });
    }
  }
  return addresses;
}

/**
 * The binds of `next` whose port no bind of `current` uses, that another process holds. Ports the
 * running HAProxy already listens on are not tried: its own sockets (SO_REUSEPORT) do not conflict.
 */
export async function findTakenNewPorts(current: string, next: string): Promise<BindAddress[]> {
  const ours = new Set(tcpBindAddresses(current).map((a) => a.port));
  const fresh = tcpBindAddresses(next).filter((a) => !ours.has(a.port));
  const taken: BindAddress[] = [];
  for (const address of fresh) if (await isTaken(address)) taken.push(address);
  return taken;
}

function isTaken(address: BindAddress): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE'));
    server.listen({ host: address.host, port: address.port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}
