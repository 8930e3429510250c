// DnsServers for the serving tests: on 127.0.0.1, port 0, each remembered so one call stops
// them all after a test.
import { DEFAULT_DNS_CONFIG, type DnsConfig } from '../../config/dns-config';
import type { RecordLookup } from '../../records/dns-record';
import { DnsServer, type DnsServerOptions } from '../dns-server';
import type { QueryEvent } from '../query-event';

export class TestServers {
  private readonly started: DnsServer[] = [];

  async start(records: RecordLookup, config: Partial<DnsConfig> = {}, options: Partial<DnsServerOptions> = {}): Promise<DnsServer> {
    const server = new DnsServer({
      ...options, records, config: { ...DEFAULT_DNS_CONFIG, listener: '127.0.0.1', port: 0, resolvers: [], ...config },
    });
    await server.start();
    this.started.push(server);
    return server;
  }

  /** A server whose observed events land in the returned array. */
  async startObserved(records: RecordLookup, config: Partial<DnsConfig> = {}): Promise<{ server: DnsServer; events: QueryEvent[] }> {
    const events: QueryEvent[] = [];
    const server = await this.start(records, config, { observer: (event) => events.push(event) });
    return { server, events };
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.splice(0).map((server) => server.stop()));
  }
}
