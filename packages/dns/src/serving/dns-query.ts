// Turning the bytes a client sent into a query the answer function can decide on. dns-packet does
// the decoding; this adds what it leaves out or gets wrong for a server: the opcode (decoded but
// not typed), whether the question survives a decode/encode round trip (labels with dots or binary
// bytes do not), and the EDNS OPT record pulled out of the additional section.
import * as dnsPacket from 'dns-packet';
import { FLAG, HEADER_BYTES, opcodeOf } from './dns-codes';

/**
 * A question as dns-packet decodes it: the name as the client spelled it (case kept, no trailing
 * dot, '.' for the root); type and class names from dns-packet's tables, which at run time also
 * hold 'UNKNOWN_<n>' for numbers they do not know (and encode those back to the same number).
 */
export type QueryQuestion = Readonly<dnsPacket.Question>;

export interface EdnsRequest {
  readonly udpPayloadSize: number;
  readonly version: number;
  readonly dnssecOk: boolean;
}

/** The header fields a reply needs, readable from any message of 12 bytes or more. */
export interface QueryHeader {
  readonly id: number;
  /** The 16-bit flag word as sent (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
  readonly flags: number;
  readonly opcode: number;
}

export interface DnsQuery extends QueryHeader {
  readonly questions: readonly QueryQuestion[];
  /**
   * False when re-encoding the question would not give back the client's bytes (a label holding a
   * dot or bytes outside printable ASCII, a compression pointer, a class dns-packet has no name
   * for): such a name is never one of ours, and a reply echoing it differently would be rejected.
   */
  readonly questionFaithful: boolean;
  /** The first OPT record of the additional section. */
  readonly edns: EdnsRequest | undefined;
  /** How many OPT records there were (RFC 6891 §6.1.1: more than one is a format error). */
  readonly optCount: number;
}

export type QueryReading =
  | { readonly kind: 'query'; readonly query: DnsQuery }
  /** A header was read but the rest does not decode: FORMERR (or NOTIMP for another opcode). */
  | { readonly kind: 'malformed'; readonly header: QueryHeader }
  /** Shorter than a header: nothing to answer to. */
  | { readonly kind: 'unreadable' }
  /** The QR bit is set: a response, never answered (two servers would bounce errors for ever). */
  | { readonly kind: 'response' };

export function readHeader(message: Buffer): QueryHeader | undefined {
  if (message.length < HEADER_BYTES) return undefined;
  const flags = message.readUInt16BE(2);
  return { id: message.readUInt16BE(0), flags, opcode: opcodeOf(flags) };
}

export function readQuery(message: Buffer): QueryReading {
  const header = readHeader(message);
  if (!header) return { kind: 'unreadable' };
  if ((header.flags & FLAG.QR) !== 0) return { kind: 'response' };
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(message);
  } catch {
    // dns-packet throws on every overrun, bad label and backward-failing pointer: all FORMERR.
    return { kind: 'malformed', header };
  }
  const questions = packet.questions ?? [];
  let edns: EdnsRequest | undefined;
  let optCount = 0;
  for (const record of packet.additionals ?? []) {
    if (record.type !== 'OPT') continue;
    optCount++;
    edns ??= { udpPayloadSize: record.udpPayloadSize, version: record.ednsVersion, dnssecOk: record.flag_do };
  }
  const questionFaithful = questions.length === 1 && isPlainQuestion(message);
  // Spelled out: an object spread here costs more than the whole decode.
  const query: DnsQuery = { id: header.id, flags: header.flags, opcode: header.opcode, questions, questionFaithful, edns, optCount };
  return { kind: 'query', query };
}

/** The classes dns-packet names (IN, CS, CH, HS, ANY): others it would encode back as 0. */
const NAMED_CLASSES = new Set([1, 2, 3, 4, 255]);

/**
 * Whether dns-packet writes the question back as the client's bytes: the name is labels of
 * printable ASCII without dots (no pointer, nothing dns-packet's UTF-8 and dot-joined names would
 * change) and the class is one dns-packet names. Walking the bytes is cheaper than re-encoding.
 */
function isPlainQuestion(message: Buffer): boolean {
  let at = HEADER_BYTES;
  for (let length = message[at]; length !== 0; length = message[at]) {
    if (length === undefined || length > 63) return false;
    for (let i = at + 1; i <= at + length; i++) {
      const byte = message[i];
      if (byte === undefined || byte <= 0x20 || byte >= 0x7f || byte === 0x2e) return false;
    }
    at += length + 1;
  }
  return at + 5 <= message.length && NAMED_CLASSES.has(message.readUInt16BE(at + 3));
}
