// Prometheus series of Tepui-DNS, on a registry passed in. Gauges that describe the record book and
// the master stream are read when scraped, so they are never stale.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { RecordLookup } from '../records/dns-record';
import type { FollowerStatus } from '../state/master-follower';

/** What the DNS server reports per answered query. */
export interface QueryObservation {
  readonly type: string;
  readonly rcode: string;
  readonly transport: 'udp' | 'tcp';
  readonly forwarded: boolean;
}

export class DnsMetrics {
  private readonly queries: Counter<'type' | 'rcode' | 'transport' | 'forwarded'>;

  constructor(readonly registry: Registry, lookup: () => RecordLookup, status: () => FollowerStatus, now: () => number = Date.now) {
    const registers = [registry];
    this.queries = new Counter({
      name: 'tepui_dns_queries_total', help: 'DNS queries answered, by question type, response code, transport and whether forwarded',
      labelNames: ['type', 'rcode', 'transport', 'forwarded'], registers,
    });
    new Gauge({ name: 'tepui_dns_records', help: 'Records served (all types)', registers, collect() {
      this.set(lookup().size);
    } });
    new Gauge({ name: 'tepui_dns_last_update_age_seconds', help: 'Seconds since the records last changed from the master (NaN before the first load)', registers, collect() {
      const last = status().lastUpdateMs;
      this.set(last === undefined ? Number.NaN : (now() - last) / 1000);
    } });
    new Gauge({ name: 'tepui_dns_master_connected', help: '1 while the master event stream is open', registers, collect() {
      this.set(status().connected ? 1 : 0);
    } });
    new Gauge({ name: 'tepui_dns_resyncs', help: 'Full resyncs from the master since start', registers, collect() {
      this.set(status().resyncs);
    } });
    new Gauge({ name: 'tepui_dns_master_events', help: 'Operator events applied since start', registers, collect() {
      this.set(status().events);
    } });
  }

  /** Per label combination; looking a child up by labels on every query would cost more than the answer. */
  private readonly children = new Map<string, { inc(): void }>();

  observe(q: QueryObservation): void {
    const key = `${q.type}|${q.rcode}|${q.transport}|${q.forwarded}`;
    let child = this.children.get(key);
    if (!child) {
      child = this.queries.labels({ type: q.type, rcode: q.rcode, transport: q.transport, forwarded: q.forwarded ? 'true' : 'false' });
      this.children.set(key, child);
    }
    child.inc();
  }
}
