// The numbers of the DNS header that the serving code decides on: response codes (RFC 1035 §4.1.1,
// RFC 6891 §9 for BADVERS), the QUERY opcode, and the header bits dns-packet leaves to the caller.
// dns-packet carries the opcode and the rcode inside `flags`, so they are composed here, once.

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  /** Extended (12 bits): the upper 8 bits travel in the OPT record, so only with EDNS. */
  BADVERS: 16,
} as const;

export type RcodeName = keyof typeof RCODE;

const RCODE_NAMES = new Map<number, RcodeName>(Object.entries(RCODE).map(([name, code]) => [code, name as RcodeName]));

/** The name metrics and logs use; `RCODE<n>` for codes we never produce ourselves (relayed ones). */
export function rcodeName(code: number): string {
  return RCODE_NAMES.get(code) ?? `RCODE${code}`;
}

export const OPCODE_QUERY = 0;

/** Header flag bits (the 16-bit word after the id). */
export const FLAG = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  CD: 0x0010,
} as const;

export const HEADER_BYTES = 12;

/** The record types whose data hold names (RFC 1035 §3.3, RFC 2782): where name compression looks. */
export const NAME_TYPE = { NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, SRV: 33 } as const;

/** Compression pointers hold 14 bits of offset (RFC 1035 §4.1.4). */
export const MAX_POINTER_OFFSET = 0x3fff;

/** The opcode of a header flag word. */
export const opcodeOf = (flags: number): number => (flags >> 11) & 0xf;

/** The low four bits of the rcode, as they sit in the header. */
export const headerRcodeOf = (flags: number): number => flags & 0xf;

/**
 * The flag word of a reply: the opcode and the RD and CD bits echoed from the query (as miekg/dns'
 * SetReply does for Mesos-DNS), the given AA/RA/TC bits and the low four bits of the rcode.
 */
export function replyFlags(queryFlags: number, rcode: number, bits: number): number {
  return (queryFlags & (0x7800 | FLAG.RD | FLAG.CD)) | bits | (rcode & 0xf);
}
