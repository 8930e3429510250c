// DNS over TCP frames each message with a two-byte length (RFC 1035 §4.2.2). Chunks arrive cut
// anywhere: this keeps the unfinished tail and hands out whole messages. It holds at most one
// unfinished frame and the rest of the chunk that brought it, whatever a client sends.

export const LENGTH_PREFIX_BYTES = 2;

export class FrameReader {
  // Chunks are only joined when a frame is complete, so a client dripping one byte at a time
  // costs one copy per byte, not one per byte per byte.
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** The whole messages completed by `chunk`, in order. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= LENGTH_PREFIX_BYTES) {
      if (this.chunks[0].length < LENGTH_PREFIX_BYTES) this.join();
      const end = LENGTH_PREFIX_BYTES + this.chunks[0].readUInt16BE(0);
      if (this.buffered < end) break;
      const data = this.join();
      frames.push(data.subarray(LENGTH_PREFIX_BYTES, end));
      const rest = data.subarray(end);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
    return frames;
  }

  /** Whether part of a message is waiting for the rest. */
  get midFrame(): boolean {
    return this.buffered > 0;
  }

  private join(): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [joined];
    return joined;
  }
}

/** `message` with its length in front, ready to write. */
export function frameMessage(message: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(LENGTH_PREFIX_BYTES + message.length);
  framed.writeUInt16BE(message.length, 0);
  message.copy(framed, LENGTH_PREFIX_BYTES);
  return framed;
}
