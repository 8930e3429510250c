import { expect } from 'chai';
import fc from 'fast-check';
import { RecordIODecoder, RecordIOError, encodeRecord } from './recordio';

describe('RecordIO', () => {
  it('encodes the length prefix and payload as one buffer', () => {
    expect(encodeRecord('{"a":1}').toString()).to.equal('7\n{"a":1}');
    expect(encodeRecord('héllo').toString()).to.equal('6\nhéllo');
  });

  it('decodes several records in one chunk and records split anywhere', () => {
    const d = new RecordIODecoder();
    expect(d.push('3\nabc2\nde1').map(String)).to.deep.equal(['abc', 'de']);
    expect(d.push('').map(String)).to.deep.equal([]);
    expect(d.push('\n').map(String)).to.deep.equal([]);
    expect(d.push('f12\nhello').map(String)).to.deep.equal(['f']);
    expect(d.push(' world!').map(String)).to.deep.equal(['hello world!']);
    expect(d.buffered).to.equal(0);
  });

  const bad: Array<[string, RegExp]> = [
    ['x\nabc', /not a decimal length/],
    ['0\n', /length 0/],
    ['\nabc', /empty length/],
    ['123456789012345678901\n', /too many digits/],
    ['-1\na', /not a decimal length/],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      expect(() => new RecordIODecoder().push(input)).to.throw(RecordIOError, message);
    });
  }

  it('rejects records over the size limit', () => {
    expect(() => new RecordIODecoder({ maxRecordBytes: 10 }).push('11\n')).to.throw(RecordIOError, /exceeds/);
  });

  it('round-trips any records under any re-chunking', () => {
    fc.assert(fc.property(
      fc.array(fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }), { minLength: 1, maxLength: 20 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }),
      (records, cuts) => {
        const stream = Buffer.concat(records.map((r) => encodeRecord(r)));
        const d = new RecordIODecoder();
        const out: string[] = [];
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const size = cuts[i % cuts.length]!;
          out.push(...d.push(stream.subarray(at, at + size)).map((b) => b.toString('utf8')));
          at += size;
        }
        expect(out).to.deep.equal(records);
      },
    ));
  });
});
