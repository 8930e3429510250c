import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { writeResponse, type ResponseSections } from './message-writer';
import { compressNames } from './testing/compress-encoded';

const MESSAGE: ResponseSections = {
  id: 9, flags: dnsPacket.AUTHORITATIVE_ANSWER,
  questions: [{ name: 'Web.Marathon.mesos', type: 'SRV' }],
  answers: [
    { name: 'Web.Marathon.mesos', type: 'SRV', ttl: 60, data: { priority: 0, weight: 1, port: 31000, target: 'web-a1-s1.marathon.slave.mesos' } },
    { name: 'Web.Marathon.mesos', type: 'SRV', ttl: 60, data: { priority: 0, weight: 1, port: 31001, target: 'web-a1-s1.marathon.slave.mesos' } },
    { name: 'web.marathon.mesos', type: 'CNAME', ttl: 60, data: 'other.marathon.mesos' },
    { name: 'web.marathon.mesos', type: 'MX', ttl: 60, data: { preference: 10, exchange: 'mail.marathon.mesos' } },
    { name: 'web.marathon.mesos', type: 'TXT', ttl: 60, data: ['marathon.mesos'] },
    { name: '1.1.0.10.in-addr.arpa', type: 'PTR', ttl: 60, data: 'web-a1-s1.marathon.mesos' },
  ],
  authorities: [
    { name: 'Web.Marathon.mesos', type: 'SOA', ttl: 60, data: { mname: 'ns1.mesos', rname: 'root.ns1.mesos', serial: 7, refresh: 1, retry: 2, expire: 3, minimum: 4 } },
    { name: 'mesos', type: 'NS', ttl: 60, data: 'ns1.mesos' },
  ],
  additionals: [
    { name: 'web-a1-s1.marathon.slave.mesos', type: 'A', ttl: 60, data: '10.0.1.1' },
    { name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] },
  ],
};

/** The message as dns-packet writes it, every name in full. */
const inFull = (sections: ResponseSections): Buffer => dnsPacket.encode({
  type: 'response', id: sections.id, flags: sections.flags,
  questions: [...sections.questions], answers: [...sections.answers],
  authorities: [...sections.authorities], additionals: [...sections.additionals],
});

describe('writeResponse', () => {
  it('gives a message that decodes to the same records, and is shorter', () => {
    const full = inFull(MESSAGE);
    const compressed = writeResponse(MESSAGE).bytes;
    expect(compressed.length).to.be.below(full.length - 100);
    expect(dnsPacket.decode(compressed)).to.deep.equal(dnsPacket.decode(full));
  });

  it('keeps case: a name points only at a copy spelled the same', () => {
    const decoded = dnsPacket.decode(writeResponse(MESSAGE).bytes);
    expect(decoded.answers?.[0]?.name).to.equal('Web.Marathon.mesos');
    expect(decoded.answers?.[2]?.name).to.equal('web.marathon.mesos');
  });

  it('writes SRV targets in full (RFC 2782) and TXT data untouched', () => {
    const compressed = writeResponse(MESSAGE).bytes;
    const target = dnsPacket.encode({ questions: [{ name: 'web-a1-s1.marathon.slave.mesos', type: 'A' }] }).subarray(12, -4);
    let at = -1;
    let count = 0;
    while ((at = compressed.indexOf(target, at + 1)) !== -1) count++;
    expect(count).to.equal(2);
    expect(compressed.includes(Buffer.from('\x0emarathon.mesos', 'latin1'))).to.equal(true);
  });

  it('says where each record ends, so a prefix of records is a message of its own', () => {
    const { bytes, recordEnds, questionEnd } = writeResponse(MESSAGE);
    expect(recordEnds).to.have.length(10);
    expect(recordEnds[9]).to.equal(bytes.length);
    const prefix = Buffer.from(bytes.subarray(0, recordEnds[2]));
    prefix.writeUInt16BE(3, 6);
    prefix.writeUInt16BE(0, 8);
    prefix.writeUInt16BE(0, 10);
    expect(dnsPacket.decode(prefix).answers).to.deep.equal(dnsPacket.decode(bytes).answers?.slice(0, 3));
    expect(questionEnd).to.equal(12 + 'Web.Marathon.mesos'.length + 2 + 4);
  });

  it('leaves a message without repeated names as it was', () => {
    const lone: ResponseSections = { id: 1, flags: 0, questions: [{ name: 'a.b', type: 'A' }], answers: [], authorities: [], additionals: [] };
    expect(writeResponse(lone).bytes.equals(inFull(lone))).to.equal(true);
  });

  describe('gives the bytes of the whole message encoded by dns-packet and then compressed', () => {
    const LABELS = ['web', 'Web', 'marathon', 'mesos', 'slave', '_tcp', '_web', 'a1-s1', 'in-addr', 'arpa', '10'];
    const name = fc.oneof(
      { weight: 9, arbitrary: fc.array(fc.constantFrom(...LABELS), { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')) },
      { weight: 1, arbitrary: fc.constantFrom('.', 'mesos.') },
    );
    const common = { name, ttl: fc.nat(), class: fc.constantFrom(undefined, 'IN' as const, 'CH' as const), flush: fc.boolean() };
    const record: fc.Arbitrary<dnsPacket.Answer> = fc.oneof(
      fc.record({ ...common, type: fc.constant('A' as const), data: fc.ipV4() }),
      fc.record({ ...common, type: fc.constant('AAAA' as const), data: fc.constantFrom('fd00::1', '2001:db8::7', '::') }),
      fc.record({ ...common, type: fc.constantFrom('NS' as const, 'CNAME' as const, 'PTR' as const, 'DNAME' as const), data: name }),
      fc.record({ ...common, type: fc.constant('SRV' as const), data: fc.record({ priority: fc.nat(65535), weight: fc.nat(65535), port: fc.nat(65535), target: name }) }),
      fc.record({ ...common, type: fc.constant('MX' as const), data: fc.record({ preference: fc.nat(65535), exchange: name }) }),
      fc.record({ ...common, type: fc.constant('TXT' as const), data: fc.array(fc.constantFrom('marathon.mesos', 'web', ''), { maxLength: 3 }) }),
      fc.record({
        ...common, type: fc.constant('SOA' as const),
        data: fc.record({ mname: name, rname: fc.constantFrom('root.ns1.mesos', 'first\\.last.mesos', 'Web.marathon.mesos'), serial: fc.nat(), refresh: fc.nat(), retry: fc.nat(), expire: fc.nat(), minimum: fc.nat() }),
      }),
    );
    const opt: fc.Arbitrary<dnsPacket.OptAnswer> = fc.record({
      name: fc.constant('.'), type: fc.constant('OPT' as const), udpPayloadSize: fc.nat(65535), extendedRcode: fc.nat(255),
      ednsVersion: fc.nat(255), flags: fc.nat(65535), flag_do: fc.boolean(), options: fc.constant([]),
    });
    const message: fc.Arbitrary<ResponseSections> = fc.record({
      id: fc.nat(65535), flags: fc.nat(65535),
      questions: fc.array(fc.record({ name, type: fc.constantFrom('A' as const, 'SRV' as const, 'TXT' as const), class: fc.constantFrom(undefined, 'IN' as const) }), { maxLength: 2 }),
      answers: fc.array(record, { maxLength: 12 }),
      authorities: fc.array(record, { maxLength: 3 }),
      additionals: fc.tuple(fc.array(record, { maxLength: 6 }), fc.option(opt)).map(([records, o]) => (o ? [...records, o] : records)),
    });

    const agree = (sections: ResponseSections): void => {
      const written = writeResponse(sections);
      const reference = compressNames(inFull(sections));
      expect(written.bytes.toString('hex')).to.equal(reference.bytes.toString('hex'));
      expect(written.questionEnd).to.equal(reference.questionEnd);
      expect(written.recordEnds).to.deep.equal(reference.recordEnds);
    };

    it('for any mix of record types, names and cases', () => {
      fc.assert(fc.property(message, agree), { numRuns: 500 });
    });

    it('past the 16 KiB that pointers reach, and past the room a reply starts with', () => {
      const answers: dnsPacket.Answer[] = [];
      for (let i = 0; i < 1500; i++) {
        answers.push({ name: '_web._tcp.marathon.mesos', type: 'SRV', ttl: 60, data: { priority: 0, weight: 1, port: 31000 + i, target: `web-${i}-s${i % 50}.marathon.slave.mesos` } });
      }
      const additionals: dnsPacket.Answer[] = answers.map((_, i) => ({ name: `web-${i}-s${i % 50}.marathon.slave.mesos`, type: 'A', ttl: 60, data: `10.0.${i >> 8}.${i & 255}` }));
      const big: ResponseSections = { id: 7, flags: 0, questions: [{ name: '_web._tcp.marathon.mesos', type: 'SRV' }], answers, authorities: [], additionals };
      agree(big);
      expect(writeResponse(big).bytes.length).to.be.above(64 * 1024);
    });
  });
});
