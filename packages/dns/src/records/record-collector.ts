// A record sink that keeps what it is given as DnsRecord objects, each record once: for small
// groups whose records are compared or listed (the masters' records, `/v1/enumerate`, tests).
import type { DnsRecord, RecordSink } from './dns-record';

export class RecordCollector implements RecordSink {
  readonly records: DnsRecord[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly srvWeight = 1) {}

  address(name: string, ip: string): void {
    this.keep({ name, type: ip.includes(':') ? 'AAAA' : 'A', address: ip }, ip);
  }

  srv(name: string, target: string, port: number): void {
    this.keep({ name, type: 'SRV', srv: { priority: 0, weight: this.srvWeight, port, target } }, `${target}:${port}`);
  }

  ptr(name: string, target: string): void {
    this.keep({ name, type: 'PTR', target }, target);
  }

  private keep(record: DnsRecord, value: string): void {
    const key = `${record.name} ${record.type} ${value}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.records.push(record);
  }
}

/** Puts records back into a sink (into an index's `adding` or `removing`). */
export function replayRecords(records: readonly DnsRecord[], sink: RecordSink): void {
  for (const record of records) {
    if (record.type === 'SRV') sink.srv(record.name, record.srv.target, record.srv.port);
    else if (record.type === 'PTR') sink.ptr(record.name, record.target);
    else sink.address(record.name, record.address);
  }
}

/** The value of a record as Mesos-DNS' HTTP API shows it: an address, a PTR target, `target:port`. */
export function recordValue(record: DnsRecord): string {
  if (record.type === 'SRV') return `${record.srv.target}:${record.srv.port}`;
  return record.type === 'PTR' ? record.target : record.address;
}

export function sameRecords(a: readonly DnsRecord[], b: readonly DnsRecord[]): boolean {
  return a.length === b.length && a.every((record, i) => {
    const other = b[i]!;
    return record.name === other.name && record.type === other.type && recordValue(record) === recordValue(other);
  });
}
