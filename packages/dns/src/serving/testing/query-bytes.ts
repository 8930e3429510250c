// Queries in bytes for the serving tests, written by dns-packet the way a stub resolver would.
import * as dnsPacket from 'dns-packet';
import { FLAG } from '../dns-codes';

export interface QuerySpec {
  readonly name: string;
  readonly type?: dnsPacket.RecordType | 'ANY';
  readonly id?: number;
  /** Header flags; RD by default. */
  readonly flags?: number;
  /** An OPT record with this UDP payload size. */
  readonly udpPayloadSize?: number;
  readonly dnssecOk?: boolean;
  readonly ednsVersion?: number;
}

export function queryBytes(spec: QuerySpec): Buffer {
  const additionals: dnsPacket.Answer[] = spec.udpPayloadSize === undefined ? [] : [{
    name: '.', type: 'OPT', udpPayloadSize: spec.udpPayloadSize, extendedRcode: 0, ednsVersion: spec.ednsVersion ?? 0,
    flags: spec.dnssecOk ? 0x8000 : 0, flag_do: spec.dnssecOk ?? false, options: [],
  }];
  return dnsPacket.encode({
    type: 'query', id: spec.id ?? 4242, flags: spec.flags ?? FLAG.RD,
    // @types/dns-packet leaves ANY out of RecordType; dns-packet itself encodes it as 255.
    questions: [{ name: spec.name, type: (spec.type ?? 'A') as dnsPacket.RecordType }], additionals,
  });
}

/** The rcode of a reply, the extended bits from its OPT record included. */
export function rcodeOfReply(reply: Buffer): number {
  const decoded = dnsPacket.decode(reply);
  const opt = (decoded.additionals ?? []).find((a): a is dnsPacket.OptAnswer => a.type === 'OPT');
  return ((opt?.extendedRcode ?? 0) << 4) | ((decoded.flags ?? 0) & 0xf);
}
