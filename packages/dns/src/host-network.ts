// What Tepui-DNS reads from the machine it runs on: the resolvers of /etc/resolv.conf (Mesos-DNS
// forwards to them when `resolvers` is empty), this host's own addresses (never forwarded to, and
// the SOA host's records when listening on 0.0.0.0), and hostname lookups for agents and frameworks
// that advertise a name instead of an address.
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Non-loopback addresses of this host's interfaces. */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => !a.internal).map((a) => a.address));
}

/** The `nameserver` entries of a resolv.conf text, minus this host's own addresses. */
export function resolversFromResolvConf(text: string, own: readonly string[]): string[] {
  const servers = text.split('\n')
    .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1])
    .filter((ip): ip is string => ip !== undefined && isIP(ip.replace(/%.*$/, '')) !== 0);
  return [...new Set(servers)].filter((ip) => !own.includes(ip));
}

export function systemResolvers(path = '/etc/resolv.conf'): string[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return resolversFromResolvConf(text, interfaceAddresses());
}

/**
 * Resolves hostnames in the background and answers from what it has: the record builder is pure
 * and synchronous, so a name seen for the first time gets its addresses on the next rebuild.
 */
export class HostResolver {
  private readonly known = new Map<string, readonly string[]>();
  private readonly pending = new Set<string>();

  constructor(private readonly onResolved: () => void) {}

  resolve = (host: string): readonly string[] => {
    if (isIP(host) !== 0) return [host];
    const found = this.known.get(host);
    if (found) return found;
    if (!this.pending.has(host)) {
      this.pending.add(host);
      void lookup(host, { all: true }).then(
        (addresses) => this.known.set(host, addresses.map((a) => a.address)),
        () => this.known.set(host, []),
      ).finally(() => {
        this.pending.delete(host);
        this.onResolved();
      });
    }
    return [];
  };
}
