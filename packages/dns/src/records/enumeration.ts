// The bodies of Mesos-DNS' `/v1/axfr` (its `Records` part) and `/v1/enumerate`, in Mesos-DNS' own
// shapes and spellings (models/models.go, records/generator.go), which scripts parse: names fully
// qualified with the trailing dot, SRV values `target.:port`.
import type { DnsRecord, RecordType } from './dns-record';
import type { RecordIndex } from './record-index';

export interface AxfrRecords {
  readonly As: Record<string, string[]>;
  readonly AAAAs: Record<string, string[]>;
  /** name → [`target.:port`, …] */
  readonly SRVs: Record<string, string[]>;
  /** Tepui's PTR records (ptrOn); absent when there are none, as Mesos-DNS has no such key. */
  readonly PTRs?: Record<string, string[]>;
}

export interface EnumeratedRecord {
  readonly name: string;
  /** The address, PTR target, or SRV `target.:port`. */
  readonly host: string;
  readonly rtype: RecordType;
}

export interface EnumeratedTask {
  /** The task's name as the framework gave it (not the label). */
  readonly name: string;
  readonly id: string;
  readonly records: readonly EnumeratedRecord[];
}

export interface EnumeratedFramework {
  readonly name: string;
  readonly tasks: readonly EnumeratedTask[];
}

export interface Enumeration {
  readonly frameworks: readonly EnumeratedFramework[];
}

const fqdn = (name: string): string => `${name}.`;

function byName(index: RecordIndex, type: RecordType): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of index.entries(type)) {
    out[fqdn(name)] = type === 'SRV' || type === 'PTR' ? values.map(qualifyTarget) : values;
  }
  return out;
}

/** `a.b:80` → `a.b.:80`, `a.b` → `a.b.`. */
function qualifyTarget(value: string): string {
  const colon = value.lastIndexOf(':');
  return colon < 0 ? fqdn(value) : `${fqdn(value.slice(0, colon))}${value.slice(colon)}`;
}

export function axfrRecords(index: RecordIndex): AxfrRecords {
  const ptrs = byName(index, 'PTR');
  return {
    As: byName(index, 'A'),
    AAAAs: byName(index, 'AAAA'),
    SRVs: byName(index, 'SRV'),
    ...(Object.keys(ptrs).length > 0 ? { PTRs: ptrs } : {}),
  };
}

export function enumeratedRecord(record: DnsRecord): EnumeratedRecord {
  const host = record.type === 'SRV'
    ? `${fqdn(record.srv.target)}:${record.srv.port}`
    : record.type === 'PTR' ? fqdn(record.target) : record.address;
  return { name: fqdn(record.name), host, rtype: record.type };
}
