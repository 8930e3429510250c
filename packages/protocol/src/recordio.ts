// Mesos RecordIO (docs/recordio.md): `<decimal length>\n<bytes>`, no trailing delimiter.
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;
const MAX_HEADER_DIGITS = 20;
const NEWLINE = 0x0a;

export class RecordIOError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordIOError';
  }
}

/** One record, length prefix and payload in a single buffer so it leaves as one write. */
export function encodeRecord(payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.from(`${body.length}\n`, 'ascii');
  return Buffer.concat([header, body], header.length + body.length);
}

/**
 * Streaming decoder: push chunks split anywhere, get whole records back. Pending chunks are kept
 * in a list and joined only once a record is complete, so many small chunks cost O(n).
 */
export class RecordIODecoder {
  private readonly maxRecordBytes: number;
  private header = '';
  private expected = -1;
  private chunks: Buffer[] = [];
  private have = 0;

  constructor(options: { maxRecordBytes?: number } = {}) {
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  get buffered(): number {
    return this.have + this.header.length;
  }

  push(chunk: Buffer | string): Buffer[] {
    let data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const records: Buffer[] = [];
    while (data.length > 0) {
      if (this.expected < 0) {
        data = this.readHeader(data);
        continue;
      }
      const need = this.expected - this.have;
      if (data.length < need) {
        this.chunks.push(data);
        this.have += data.length;
        break;
      }
      this.chunks.push(data.subarray(0, need));
      records.push(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.expected));
      data = data.subarray(need);
      this.chunks = [];
      this.have = 0;
      this.expected = -1;
    }
    return records;
  }

  private readHeader(data: Buffer): Buffer {
    const newline = data.indexOf(NEWLINE);
    const part = (newline < 0 ? data : data.subarray(0, newline)).toString('latin1');
    if (!/^\d*$/.test(part)) throw new RecordIOError(`Invalid RecordIO header: '${(this.header + part).slice(0, 40)}' is not a decimal length`);
    this.header += part;
    if (this.header.length > MAX_HEADER_DIGITS) throw new RecordIOError('Invalid RecordIO header: length has too many digits');
    if (newline < 0) return Buffer.alloc(0);
    if (this.header.length === 0) throw new RecordIOError('Invalid RecordIO header: empty length');
    const length = Number(this.header);
    if (length === 0) throw new RecordIOError('Invalid RecordIO record: length 0');
    if (length > this.maxRecordBytes) throw new RecordIOError(`RecordIO record of ${length} bytes exceeds the limit of ${this.maxRecordBytes}`);
    this.header = '';
    this.expected = length;
    return data.subarray(newline + 1);
  }
}
