import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { compressNames } from './compress-names';

const MESSAGE: dnsPacket.Packet = {
  type: 'response', id: 9, flags: dnsPacket.AUTHORITATIVE_ANSWER,
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

describe('compressNames', () => {
  it('gives a message that decodes to the same records, and is shorter', () => {
    const full = dnsPacket.encode(MESSAGE);
    const compressed = compressNames(full).bytes;
    expect(compressed.length).to.be.below(full.length - 100);
    expect(dnsPacket.decode(compressed)).to.deep.equal(dnsPacket.decode(full));
  });

  it('keeps case: a name points only at a copy spelled the same', () => {
    const decoded = dnsPacket.decode(compressNames(dnsPacket.encode(MESSAGE)).bytes);
    expect(decoded.answers?.[0]?.name).to.equal('Web.Marathon.mesos');
    expect(decoded.answers?.[2]?.name).to.equal('web.marathon.mesos');
  });

  it('writes SRV targets in full (RFC 2782) and TXT data untouched', () => {
    const compressed = compressNames(dnsPacket.encode(MESSAGE)).bytes;
    const target = dnsPacket.encode({ questions: [{ name: 'web-a1-s1.marathon.slave.mesos', type: 'A' }] }).subarray(12, -4);
    let at = -1;
    let count = 0;
    while ((at = compressed.indexOf(target, at + 1)) !== -1) count++;
    expect(count).to.equal(2);
    expect(compressed.includes(Buffer.from('\x0emarathon.mesos', 'latin1'))).to.equal(true);
  });

  it('says where each record ends, so a prefix of records is a message of its own', () => {
    const { bytes, recordEnds, questionEnd } = compressNames(dnsPacket.encode(MESSAGE));
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
    const lone = dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'a.b', type: 'A' }] });
    expect(compressNames(lone).bytes.equals(lone)).to.equal(true);
  });
});
