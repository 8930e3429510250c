// The records Tepui-DNS serves, and the read-only view the DNS resolver and the HTTP API use. Owner
// names are stored lower case, fully qualified, without the trailing dot (`web.marathon.mesos`).

export type RecordType = 'A' | 'AAAA' | 'SRV' | 'PTR';

export interface SrvData {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  /** Lower case, no trailing dot. */
  readonly target: string;
}

export type DnsRecord =
  | { readonly name: string; readonly type: 'A' | 'AAAA'; readonly address: string }
  | { readonly name: string; readonly type: 'SRV'; readonly srv: SrvData }
  | { readonly name: string; readonly type: 'PTR'; readonly target: string };

/** What the resolver and the HTTP API read; the record book behind it changes as the cluster does. */
export interface RecordLookup {
  /**
   * The records of `type` owned by `name` (lower case, no trailing dot). Successive calls rotate the
   * order, so clients that take the first address spread over all of them (round robin).
   */
  lookup(name: string, type: RecordType): readonly DnsRecord[];
  /** Whether `name` owns a record of any type (NODATA, not NXDOMAIN, for the other types). */
  exists(name: string): boolean;
  /** SOA serial: Unix seconds of the last change to the records. */
  readonly serial: number;
  /**
   * Moves on with every change to the records (never back, never repeating): equal generations mean
   * equal answers, which is what caches of encoded replies key on.
   */
  readonly generation: number;
  /**
   * The names whose records changed after generation `since` (their own records: the existence of
   * other names and the serial may have changed too), or undefined when that is not known (too far
   * back, or the records were rebuilt): then any answer may have changed.
   */
  changedNames(since: number): Iterable<string> | undefined;
  /** How many records there are, all types together. */
  readonly size: number;
}

/**
 * Where record builders put what they make: the index counts each record once per contributor, a
 * collector keeps a list. Names and targets are lower case without the trailing dot.
 */
export interface RecordSink {
  /** An A or AAAA record, by the address family of `ip` (a canonical IP literal). */
  address(name: string, ip: string): void;
  /** Priority 0; the weight is the index's (`srvRecordDefaultWeight`). */
  srv(name: string, target: string, port: number): void;
  ptr(name: string, target: string): void;
}
