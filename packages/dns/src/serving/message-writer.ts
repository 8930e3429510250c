// A reply in bytes with its names compressed (RFC 1035 §4.1.4), written in one pass. dns-packet
// 5.6 writes every name in full, and Mesos-DNS compresses (mesos-dns #170, #173, #174: without it a
// dozen A records overflow 512 bytes). Encoding the whole message with dns-packet and compressing
// the result cost 40 µs for a reply of a few dozen records, paid on every answer-cache miss (every
// answer after a change to the records); here dns-packet still encodes each name (once, remembered)
// and each record's data, and only the layout and the pointers are this file's.
//
// Owner names, and the names inside NS, CNAME, SOA, PTR and MX data, become pointers to an earlier
// copy of their longest known suffix. SRV targets are written in full (RFC 2782: "name compression
// is not to be used for this field") but later names may point into them. The data of other types
// is dns-packet's as is (RFC 3597 §4: never compress names in the data of other types).
import type * as dnsPacket from 'dns-packet';
import { toClass } from 'dns-packet/classes';
import { toType } from 'dns-packet/types';
import { FLAG, HEADER_BYTES, MAX_POINTER_OFFSET, NAME_TYPE } from './dns-codes';
import { nameCodec, optionsCodec, rdataCodec, type RdataCodec } from './dns-packet-codecs';

/** The top bit of a record's class: mDNS' cache-flush bit, which dns-packet takes as `flush`. */
const FLUSH_BIT = 0x8000;
/** dns-packet's default EDNS payload size when an OPT record names none. */
const DEFAULT_UDP_PAYLOAD = 4096;

/** A message in bytes and where its parts end, so it can be cut at a record boundary. */
export interface CompressedMessage {
  readonly bytes: Buffer;
  /** Offset just past the question section. */
  readonly questionEnd: number;
  /** Offset just past each resource record, answers, authority and additional in order. */
  readonly recordEnds: readonly number[];
}

/** A response as dns-packet describes one; QR is set whatever `flags` says. */
export interface ResponseSections {
  readonly id: number;
  readonly flags: number;
  readonly questions: readonly dnsPacket.Question[];
  readonly answers: readonly dnsPacket.Answer[];
  readonly authorities: readonly dnsPacket.Answer[];
  readonly additionals: readonly dnsPacket.Answer[];
}

/** The response with its names compressed: the bytes dns-packet would write, names pointed back. */
export function writeResponse(sections: ResponseSections): CompressedMessage {
  return new MessageWriter().write(sections);
}

/** A name in wire form and each of its suffixes, as the keys earlier copies are found by. */
interface WireName {
  readonly wire: Buffer;
  /** Where each label starts. */
  readonly starts: readonly number[];
  /** The wire bytes from each label start to the end, one character per byte. */
  readonly suffixes: readonly string[];
}

/** Types whose data this writer lays out itself (names inside); dns-packet writes the others. */
const NAMES_IN_DATA = new Set<number>(Object.values(NAME_TYPE));

/** Names kept in wire form; the set is dropped whole when it grows past this (clients choose question names). */
const MAX_REMEMBERED_NAMES = 65_536;
const plainNames = new Map<string, WireName>();
const mailNames = new Map<string, WireName>();

function wireName(text: string, mail: boolean): WireName {
  const remembered = mail ? mailNames : plainNames;
  const known = remembered.get(text);
  if (known) return known;
  const written = nameCodec.encode(text, undefined, undefined, { mail });
  const wire = written.subarray(0, nameCodec.encode.bytes);
  const starts: number[] = [];
  let at = 0;
  for (let length = wire[at]; length !== 0; length = wire[at]) {
    // A label over 63 bytes, or an empty one inside the name ("a..b"), has no wire form.
    if (length === undefined || length > 63) throw new Error(`a name a DNS message cannot hold: ${JSON.stringify(text)}`);
    starts.push(at);
    at += length + 1;
  }
  if (at !== wire.length - 1) throw new Error(`a name a DNS message cannot hold: ${JSON.stringify(text)}`);
  const name: WireName = { wire, starts, suffixes: starts.map((start) => wire.toString('latin1', start)) };
  if (remembered.size >= MAX_REMEMBERED_NAMES) remembered.clear();
  remembered.set(text, name);
  return name;
}

/** Room to write replies in; kept between replies unless a huge one grew it past this. */
const KEPT_SCRATCH_BYTES = 256 * 1024;
let sharedScratch = Buffer.allocUnsafe(16 * 1024);

class MessageWriter {
  private out = sharedScratch;
  private at = 0;
  /** Where each name suffix written so far starts, by its wire bytes. */
  private readonly known = new Map<string, number>();
  private readonly recordEnds: number[] = [];

  write(sections: ResponseSections): CompressedMessage {
    const { questions, answers, authorities, additionals } = sections;
    this.room(HEADER_BYTES);
    const out = this.out;
    out.writeUInt16BE(sections.id, 0);
    out.writeUInt16BE((sections.flags & 0x7fff) | FLAG.QR, 2);
    out.writeUInt16BE(questions.length, 4);
    out.writeUInt16BE(answers.length, 6);
    out.writeUInt16BE(authorities.length, 8);
    out.writeUInt16BE(additionals.length, 10);
    this.at = HEADER_BYTES;
    for (const question of questions) {
      this.name(question.name, true);
      this.room(4);
      this.out.writeUInt16BE(toType(question.type), this.at);
      this.out.writeUInt16BE(toClass(question.class === undefined ? 'IN' : question.class), this.at + 2);
      this.at += 4;
    }
    const questionEnd = this.at;
    for (const record of answers) this.record(record);
    for (const record of authorities) this.record(record);
    for (const record of additionals) this.record(record);
    const bytes = Buffer.allocUnsafe(this.at);
    this.out.copy(bytes, 0, 0, this.at);
    return { bytes, questionEnd, recordEnds: this.recordEnds };
  }

  private record(record: dnsPacket.Answer): void {
    this.name(record.name, true);
    const type = toType(record.type);
    this.room(10);
    const out = this.out;
    out.writeUInt16BE(type, this.at);
    if (record.type === 'OPT') {
      // dns-packet's OPT: the class carries the payload size, the TTL the extended rcode, version and flags.
      if (record.name !== '.') throw new Error('OPT name must be root.');
      out.writeUInt16BE(record.udpPayloadSize || DEFAULT_UDP_PAYLOAD, this.at + 2);
      out.writeUInt8(record.extendedRcode || 0, this.at + 4);
      out.writeUInt8(record.ednsVersion || 0, this.at + 5);
      out.writeUInt16BE(record.flags || 0, this.at + 6);
      this.at += 8;
      this.encoded(optionsCodec, record.options || []);
    } else {
      let klass = toClass(record.class === undefined ? 'IN' : record.class);
      if (record.flush) klass |= FLUSH_BIT;
      out.writeUInt16BE(klass, this.at + 2);
      out.writeUInt32BE(record.ttl || 0, this.at + 4);
      this.at += 8;
      this.data(type, record);
    }
    this.recordEnds.push(this.at);
  }

  /** The record's data after its 16-bit length, which is filled in once the data is written. */
  private data(type: number, record: Exclude<dnsPacket.Answer, dnsPacket.OptAnswer>): void {
    if (!NAMES_IN_DATA.has(type)) {
      this.encoded(rdataCodec(record.type), record.data);
      return;
    }
    const lengthAt = this.at;
    this.room(2);
    this.at += 2;
    if (record.type === 'MX') {
      this.uint16(record.data.preference || 0);
      this.name(record.data.exchange, true);
    } else if (record.type === 'SOA') {
      const soa = record.data;
      this.name(soa.mname, true);
      this.name(soa.rname, true, true);
      for (const value of [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum]) {
        this.room(4);
        this.out.writeUInt32BE(value || 0, this.at);
        this.at += 4;
      }
    } else if (record.type === 'SRV') {
      const srv = record.data;
      this.uint16(srv.priority || 0);
      this.uint16(srv.weight || 0);
      this.uint16(srv.port || 0);
      this.name(srv.target, false);
    } else if (typeof record.data === 'string') {
      this.name(record.data, true);
    } else {
      throw new Error(`record data of type ${record.type} is not a name`);
    }
    this.out.writeUInt16BE(this.at - lengthAt - 2, lengthAt);
  }

  /** Writes the name, its longest suffix already written (when `compress`) as a pointer to it. */
  private name(text: string, compress: boolean, mail = false): void {
    const { wire, starts, suffixes } = wireName(text, mail);
    let reused = starts.length;
    let pointer = 0;
    if (compress) {
      for (let i = 0; i < starts.length; i++) {
        const offset = this.known.get(suffixes[i]);
        if (offset !== undefined) {
          reused = i;
          pointer = offset;
          break;
        }
      }
    }
    for (let i = 0; i < reused; i++) {
      const offset = this.at + starts[i];
      if (offset <= MAX_POINTER_OFFSET && !this.known.has(suffixes[i])) this.known.set(suffixes[i], offset);
    }
    const literalEnd = reused < starts.length ? starts[reused] : wire.length - 1;
    this.room(literalEnd + 2);
    wire.copy(this.out, this.at, 0, literalEnd);
    this.at += literalEnd;
    if (reused < starts.length) {
      this.out.writeUInt16BE(0xc000 | pointer, this.at);
      this.at += 2;
    } else {
      this.out[this.at++] = 0;
    }
  }

  private uint16(value: number): void {
    this.room(2);
    this.out.writeUInt16BE(value, this.at);
    this.at += 2;
  }

  /** Data dns-packet writes whole, its length first. */
  private encoded(codec: RdataCodec, value: unknown): void {
    this.room(codec.encodingLength(value));
    codec.encode(value, this.out, this.at);
    this.at += codec.encode.bytes;
  }

  /** Makes room for `bytes` more at the write position. */
  private room(bytes: number): void {
    if (this.at + bytes <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.at + bytes));
    this.out.copy(grown, 0, 0, this.at);
    this.out = grown;
    if (grown.length <= KEPT_SCRATCH_BYTES) sharedScratch = grown;
  }
}
