import { expect } from 'chai';
import { FrameReader, frameMessage } from './tcp-frames';

const message = (n: number, length: number): Buffer => Buffer.alloc(length, n);

describe('FrameReader', () => {
  it('hands out whole messages however the stream is cut, one byte at a time included', () => {
    const stream = Buffer.concat([frameMessage(message(1, 30)), frameMessage(message(2, 0)), frameMessage(message(3, 700))]);
    for (const cut of [1, 2, 3, 31, 64, stream.length]) {
      const reader = new FrameReader();
      const frames: Buffer[] = [];
      for (let at = 0; at < stream.length; at += cut) frames.push(...reader.push(stream.subarray(at, at + cut)));
      expect(frames.map((f) => `${f[0] ?? '-'}x${f.length}`), `cut ${cut}`).to.deep.equal(['1x30', '-x0', '3x700']);
      expect(reader.midFrame).to.equal(false);
    }
  });

  it('keeps an unfinished frame until the rest comes', () => {
    const reader = new FrameReader();
    const framed = frameMessage(message(7, 100));
    expect(reader.push(framed.subarray(0, 50))).to.deep.equal([]);
    expect(reader.midFrame).to.equal(true);
    expect(reader.push(framed.subarray(50))).to.have.length(1);
  });

  it('reads the largest message a length can announce', () => {
    const reader = new FrameReader();
    expect(reader.push(frameMessage(message(9, 65535)))[0]?.length).to.equal(65535);
  });
});
