// Agent host names to the IPv4 addresses HAProxy connects to (marathon-lb resolves them with
// gethostbyname and caches the answers). Addresses pass through; names are looked up once and
// re-looked up in the background after `ttlMs`, keeping the last answer meanwhile.
import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import type { HostResolver } from './lb-controller';

export type LookupIPv4 = (host: string) => Promise<string>;

const systemLookup: LookupIPv4 = async (host) => (await lookup(host, { family: 4 })).address;

export class CachingHostResolver implements HostResolver {
  private readonly known = new Map<string, { ip: string; atMs: number }>();

  constructor(
    private readonly lookupIPv4: LookupIPv4 = systemLookup,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async resolveAll(hosts: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const host of hosts) {
      if (isIPv4(host)) continue;
      const entry = this.known.get(host);
      if (!entry) wanted.add(host);
      else if (this.now() - entry.atMs > this.ttlMs) void this.refresh(host);
    }
    await Promise.all([...wanted].map((host) => this.refresh(host)));
  }

  ipOf(host: string): string | undefined {
    return isIPv4(host) ? host : this.known.get(host)?.ip;
  }

  private async refresh(host: string): Promise<void> {
    try {
      this.known.set(host, { ip: await this.lookupIPv4(host), atMs: this.now() });
    } catch {
      // Unresolvable: its tasks are left out until the name resolves (services.ts skips them).
    }
  }
}
