// Server-Sent Events framing (WHATWG HTML §9.2.6), as much as /v2/events needs: `event:` and
// `data:` fields (several `data:` lines join with \n), `:` comments, blank lines dispatch. Lines end
// in CRLF (Jetty, Tepui's Marathon), LF or CR, and a CRLF may be split across two chunks. Jetty's
// keep-alive is an empty line with no pending data: it dispatches nothing.

export interface SseMessage {
  /** The `event:` field; "message" when absent, as EventSource says. */
  readonly event: string;
  readonly data: string;
}

export class SseParser {
  private buffer = '';
  /** The previous chunk ended in CR: a leading LF in the next one belongs to it. */
  private afterCr = false;
  private event = '';
  private data: string[] = [];
  /** The kept buffer holds no line end: scanning resumes after it (a long event comes in many chunks). */
  private scanned = 0;

  /** Feeds decoded text; returns the messages completed by it, in order. */
  push(text: string): SseMessage[] {
    if (this.afterCr && text.startsWith('\n')) text = text.slice(1);
    this.afterCr = false;
    this.buffer += text;
    const out: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const end = nextLineEnd(this.buffer, Math.max(start, this.scanned));
      if (end < 0) break;
      const message = this.line(this.buffer.slice(start, end));
      if (message) out.push(message);
      if (this.buffer[end] === '\r') {
        if (end + 1 === this.buffer.length) {
          this.afterCr = true;
          start = end + 1;
          break;
        }
        start = this.buffer[end + 1] === '\n' ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
    this.buffer = this.buffer.slice(start);
    this.scanned = this.buffer.length;
    return out;
  }

  /** Bytes of an unfinished line, so a caller can bound a peer that never ends one. */
  get pendingLength(): number {
    return this.buffer.length + this.data.reduce((n, d) => n + d.length, 0);
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      const message = this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n') } : undefined;
      this.event = '';
      this.data = [];
      return message;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    // id and retry mean nothing to us: Marathon has no replay, a reconnect re-lists.
    return undefined;
  }
}

function nextLineEnd(text: string, from: number): number {
  const lineEnd = /[\r\n]/g;
  lineEnd.lastIndex = from;
  return lineEnd.exec(text)?.index ?? -1;
}
