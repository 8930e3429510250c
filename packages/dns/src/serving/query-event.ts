// What the DNS server reports for each reply it sends, for the metrics module to count (it keeps
// prom-client out of the serving code). Same shape as http/dns-metrics.ts' QueryObservation.
import type { Transport } from './encode-response';

export interface QueryEvent {
  /** The question's type ('A', 'SRV', 'UNKNOWN_65', …); 'NONE' when no question could be read. */
  readonly type: string;
  /** 'NOERROR', 'NXDOMAIN', 'SERVFAIL', … (a relayed upstream code we never make: 'RCODE<n>'). */
  readonly rcode: string;
  readonly transport: Transport;
  /** Whether the reply came from an upstream resolver. */
  readonly forwarded: boolean;
}

export type QueryObserver = (event: QueryEvent) => void;
