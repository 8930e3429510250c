// SSE framing as Marathon (Jetty) and Tepui's Marathon write it, split across chunks anywhere.
import { expect } from 'chai';
import { SseParser, type SseMessage } from './sse-parser';

function feed(chunks: string[]): SseMessage[] {
  const parser = new SseParser();
  return chunks.flatMap((c) => parser.push(c));
}

describe('SseParser', () => {
  const stream = 'event: status_update_event\r\ndata: {"a":1}\r\n\r\n\r\n: comment\r\nevent: x\r\ndata: line1\r\ndata:line2\r\n\r\n';
  const expected = [{ event: 'status_update_event', data: '{"a":1}' }, { event: 'x', data: 'line1\nline2' }];

  it('reads events, multi-line data, comments and keep-alive lines', () => {
    expect(feed([stream])).to.deep.equal(expected);
  });

  it('gives the same messages however the bytes are split (CRLF split too)', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      expect(feed([stream.slice(0, cut), stream.slice(cut)]), `cut at ${cut}`).to.deep.equal(expected);
    }
    expect(feed([...stream])).to.deep.equal(expected);
  });

  it('accepts LF and CR line ends, and defaults the event name', () => {
    expect(feed(['data: a\n\ndata: b\r\rdata: c\n'])).to.deep.equal([{ event: 'message', data: 'a' }, { event: 'message', data: 'b' }]);
  });

  it('dispatches nothing for keep-alive lines alone and counts an unfinished line', () => {
    const parser = new SseParser();
    expect(parser.push('\r\n\r\n\r\n')).to.deep.equal([]);
    parser.push('data: {"long":');
    expect(parser.pendingLength).to.equal('data: {"long":'.length);
  });
});
