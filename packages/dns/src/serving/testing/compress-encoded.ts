// The reference the reply writer is tested against: RFC 1035 §4.1.4 name compression applied to a
// whole message as dns-packet encodes it, names in full. Simple and slow (a second pass over the
// bytes, every suffix made a string again for every reply); message-writer.ts must give the same
// bytes in one pass. Only names are rewritten; every other byte is dns-packet's.
//
// Owner names, and the names inside NS, CNAME, SOA, PTR and MX data, become pointers to an earlier
// copy of their longest known suffix. SRV targets are written in full (RFC 2782: "name compression
// is not to be used for this field") but later names may point into them. Other record data is
// copied as is (RFC 3597 §4: never compress names in the data of other types).
import { HEADER_BYTES, MAX_POINTER_OFFSET, NAME_TYPE } from '../dns-codes';
import type { CompressedMessage } from '../message-writer';


class NameCompressor {
  private readonly out: Buffer;
  private readonly known = new Map<string, number>();
  private readonly recordEnds: number[] = [];
  private inAt = HEADER_BYTES;
  private outAt = HEADER_BYTES;

  constructor(private readonly message: Buffer) {
    this.out = Buffer.allocUnsafe(message.length);
    message.copy(this.out, 0, 0, HEADER_BYTES);
  }

  run(): CompressedMessage {
    const m = this.message;
    const questions = m.readUInt16BE(4);
    const records = m.readUInt16BE(6) + m.readUInt16BE(8) + m.readUInt16BE(10);
    for (let i = 0; i < questions; i++) {
      this.name(true);
      this.copy(4);
    }
    const questionEnd = this.outAt;
    for (let i = 0; i < records; i++) {
      this.record();
      this.recordEnds.push(this.outAt);
    }
    if (this.inAt !== m.length) throw new Error('compressNames: bytes after the last record');
    return { bytes: this.out.subarray(0, this.outAt), questionEnd, recordEnds: this.recordEnds };
  }

  private record(): void {
    this.name(true);
    const type = this.message.readUInt16BE(this.inAt);
    const dataLength = this.message.readUInt16BE(this.inAt + 8);
    this.copy(10);
    const dataEnd = this.inAt + dataLength;
    const outLengthAt = this.outAt - 2;
    switch (type) {
      case NAME_TYPE.NS:
      case NAME_TYPE.CNAME:
      case NAME_TYPE.PTR:
        this.name(true);
        break;
      case NAME_TYPE.MX:
        this.copy(2);
        this.name(true);
        break;
      case NAME_TYPE.SOA:
        this.name(true);
        this.name(true);
        this.copy(20);
        break;
      case NAME_TYPE.SRV:
        this.copy(6);
        this.name(false);
        break;
      default:
        this.copy(dataLength);
    }
    if (this.inAt !== dataEnd) throw new Error(`compressNames: record data of type ${type} is not as long as it says`);
    this.out.writeUInt16BE(this.outAt - outLengthAt - 2, outLengthAt);
  }

  /** Copies the uncompressed name at the read position, pointing its longest known suffix back. */
  private name(compress: boolean): void {
    const m = this.message;
    const starts: number[] = [];
    let at = this.inAt;
    for (let length = m[at]; length !== 0; length = m[at]) {
      if (length === undefined || length > 63) throw new Error('compressNames: not an uncompressed name');
      starts.push(at);
      at += length + 1;
    }
    const end = at + 1;
    // Suffix keys are made only up to the first known one: a repeated owner name costs one.
    const keys: string[] = [];
    let reused = starts.length;
    let pointer = 0;
    for (let i = 0; i < starts.length; i++) {
      const key = m.toString('latin1', starts[i], end);
      const offset = compress ? this.known.get(key) : undefined;
      if (offset !== undefined) {
        reused = i;
        pointer = offset;
        break;
      }
      keys.push(key);
    }
    const first = starts.length > 0 ? starts[0] : at;
    const literalEnd = reused < starts.length ? starts[reused] : at;
    for (let i = 0; i < reused; i++) {
      const offset = this.outAt + (starts[i] - first);
      if (offset <= MAX_POINTER_OFFSET && !this.known.has(keys[i])) this.known.set(keys[i], offset);
    }
    m.copy(this.out, this.outAt, first, literalEnd);
    this.outAt += literalEnd - first;
    if (reused < starts.length) {
      this.out.writeUInt16BE(0xc000 | pointer, this.outAt);
      this.outAt += 2;
    } else {
      this.out[this.outAt++] = 0;
    }
    this.inAt = end;
  }

  private copy(bytes: number): void {
    if (this.inAt + bytes > this.message.length) throw new Error('compressNames: message ends early');
    this.message.copy(this.out, this.outAt, this.inAt, this.inAt + bytes);
    this.inAt += bytes;
    this.outAt += bytes;
  }
}

/** The same message with its names compressed; never longer than the input. */
export function compressNames(message: Buffer): CompressedMessage {
  return new NameCompressor(message).run();
}
