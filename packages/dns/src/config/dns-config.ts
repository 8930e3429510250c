// Tepui-DNS configuration: Mesos-DNS' config.json keys and meanings (docs/configuration-parameters.md
// of mesos-dns), plus Tepui's own switches for what Mesos-DNS users asked for and never got.

export type IpSource = 'host' | 'mesos' | 'docker' | 'netinfo';

export interface DnsConfig {
  /** `zk://host:port,…/path` of the masters' election; '' when only `masters` is used. */
  readonly zk: string;
  /** Seconds without a detected leader before the process exits (Mesos-DNS); 0 = never. */
  readonly zkDetectionTimeout: number;
  /** Static `host:port` masters, in order: fallback when ZooKeeper names none, and the `masterN` records. */
  readonly masters: readonly string[];
  /** Seconds between full resyncs from GET_STATE (events keep the records current in between). */
  readonly refreshSeconds: number;
  /** Seconds to wait for the master's state before trying the next master. */
  readonly stateTimeoutSeconds: number;
  /** TTL of every record, SOA and NS included. */
  readonly ttl: number;
  readonly srvRecordDefaultWeight: number;
  /** Lower case, no trailing dot (`mesos`). */
  readonly domain: string;
  /** DNS port, UDP and TCP. */
  readonly port: number;
  readonly listener: string;
  readonly httpListener: string;
  readonly httpPort: number;
  readonly dnsOn: boolean;
  readonly httpOn: boolean;
  /** Forward names outside the domain to `resolvers`; off: REFUSED. */
  readonly externalOn: boolean;
  /** Upstream resolvers, `ip` or `ip:port`, tried in order. */
  readonly resolvers: readonly string[];
  /** Seconds per upstream attempt. */
  readonly timeout: number;
  /** The RA flag of in-domain answers. */
  readonly recurseOn: boolean;
  readonly enforceRFC952: boolean;
  /** false: a truncated UDP answer does not set TC (clients that cannot retry over TCP). */
  readonly setTruncateBit: boolean;
  /** `/v1/enumerate` and `/v1/axfr`. */
  readonly enumerationOn: boolean;
  readonly ipSources: readonly IpSource[];
  /** Lower case, no trailing dot (`ns1.mesos`). */
  readonly soaMname: string;
  /** Lower case, no trailing dot, `@` turned into `.` (`root.ns1.mesos`). */
  readonly soaRname: string;
  readonly soaRefresh: number;
  readonly soaRetry: number;
  readonly soaExpire: number;
  readonly soaMinttl: number;

  // Tepui's additions (each a switch with the default most users asked for).
  /** Leave out tasks whose last health report is unhealthy, and KILLING tasks. */
  readonly healthAware: boolean;
  /** Also leave out tasks with a health check until their first healthy report. */
  readonly requireHealthy: boolean;
  /** `_<portname>._<task>._<proto>` and `_port<i>._<task>._<proto>` SRV names. */
  readonly perPortSrv: boolean;
  /** PTR records (`in-addr.arpa` / `ip6.arpa`) for task addresses. */
  readonly ptrOn: boolean;
}

export const DEFAULT_DNS_CONFIG: DnsConfig = {
  zk: '',
  zkDetectionTimeout: 30,
  masters: [],
  refreshSeconds: 60,
  stateTimeoutSeconds: 300,
  ttl: 60,
  srvRecordDefaultWeight: 1,
  domain: 'mesos',
  port: 53,
  listener: '0.0.0.0',
  httpListener: '0.0.0.0',
  httpPort: 8123,
  dnsOn: true,
  httpOn: true,
  externalOn: true,
  resolvers: ['8.8.8.8'],
  timeout: 5,
  recurseOn: true,
  enforceRFC952: false,
  setTruncateBit: true,
  enumerationOn: true,
  ipSources: ['netinfo', 'mesos', 'host'],
  soaMname: 'ns1.mesos',
  soaRname: 'root.ns1.mesos',
  soaRefresh: 60,
  soaRetry: 600,
  soaExpire: 86400,
  soaMinttl: 60,
  healthAware: true,
  requireHealthy: false,
  perPortSrv: true,
  ptrOn: false,
};
