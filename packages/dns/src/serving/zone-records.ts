// The resource records of an answer, as dns-packet takes them, made from the record book's entries
// and the configuration. Every record carries the configured TTL, SOA and NS included (Mesos-DNS).
import type * as dnsPacket from 'dns-packet';
import type { DnsConfig } from '../config/dns-config';
import type { DnsRecord, RecordLookup } from '../records/dns-record';

export type ZoneConfig = Pick<DnsConfig, 'ttl' | 'soaMname' | 'soaRname' | 'soaRefresh' | 'soaRetry' | 'soaExpire' | 'soaMinttl'>;

/** A record of the book under `owner` (the question's name as the client spelled it). */
export function resourceRecord(owner: string, record: DnsRecord, ttl: number): dnsPacket.Answer {
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return { name: owner, type: record.type, ttl, data: record.address };
    case 'PTR':
      return { name: owner, type: 'PTR', ttl, data: record.target };
    case 'SRV': {
      const { priority, weight, port, target } = record.srv;
      return { name: owner, type: 'SRV', ttl, data: { priority, weight, port, target } };
    }
  }
}

/**
 * The SOA record, owned by whatever name was asked (Mesos-DNS' formatSOA takes the question's name
 * rather than the zone apex). MINIMUM is `SOAMinttl`, as Mesos-DNS documents it (its code writes
 * `ttl` and never reads `SOAMinttl`; both default to 60, so by default the answers are the same).
 */
export function soaRecord(owner: string, config: ZoneConfig, serial: number): dnsPacket.SoaAnswer {
  return {
    name: owner, type: 'SOA', ttl: config.ttl,
    data: {
      mname: config.soaMname, rname: config.soaRname, serial: serial >>> 0,
      refresh: config.soaRefresh, retry: config.soaRetry, expire: config.soaExpire, minimum: config.soaMinttl,
    },
  };
}

/** The NS record, owned by the name asked, naming the SOA's MNAME (Mesos-DNS' formatNS). */
export function nsRecord(owner: string, config: ZoneConfig): dnsPacket.Answer {
  return { name: owner, type: 'NS', ttl: config.ttl, data: config.soaMname };
}

/**
 * The additional section of SRV answers: the first A and the first AAAA of each distinct target, as
 * Mesos-DNS' handleSRV adds them, so a client needs no second round trip.
 */
export function srvTargetAddresses(srvRecords: readonly DnsRecord[], records: RecordLookup, ttl: number): dnsPacket.Answer[] {
  const seen = new Set<string>();
  const additionals: dnsPacket.Answer[] = [];
  for (const record of srvRecords) {
    if (record.type !== 'SRV' || seen.has(record.srv.target)) continue;
    const target = record.srv.target;
    seen.add(target);
    for (const type of ['A', 'AAAA'] as const) {
      const first = records.lookup(target, type)[0];
      if (first) additionals.push(resourceRecord(target, first, ttl));
    }
  }
  return additionals;
}
