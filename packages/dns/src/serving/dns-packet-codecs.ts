// dns-packet's codecs of one name and of one record's data, typed: the package exports them
// (`name`, `record(type)`, `opt`) but @types/dns-packet declares only whole packets. Each encoder
// writes at an offset and leaves how many bytes it wrote in its `bytes` property.
import * as dnsPacket from 'dns-packet';

export interface Encoder<T> {
  (value: T, buf: Buffer, offset: number): Buffer;
  readonly bytes: number;
}

/** One record's data, its 16-bit length first. */
export interface RdataCodec {
  readonly encode: Encoder<unknown>;
  encodingLength(value: unknown): number;
}

export interface NameCodec {
  /**
   * The name in full (labels, then the root's zero) into a buffer of at least the bytes written;
   * `mail` reads `\.` inside the first label as a dot in it.
   */
  readonly encode: Encoder<string> & ((name: string, buf?: Buffer, offset?: number, options?: { mail?: boolean }) => Buffer);
}

interface Codecs {
  readonly name: NameCodec;
  record(type: string): RdataCodec;
  readonly opt: RdataCodec;
}

const codecs = dnsPacket as unknown as Codecs;

export const nameCodec: NameCodec = codecs.name;
export const optionsCodec: RdataCodec = codecs.opt;

export function rdataCodec(type: string): RdataCodec {
  return codecs.record(type);
}
