import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { DEFAULT_DNS_CONFIG } from '../config/dns-config';
import { answerQuery, type AnswerConfig } from './answer-query';
import { readQuery } from './dns-query';
import { encodeResponse, replyLimit, TCP_LIMIT } from './encode-response';
import type { ResponseDraft } from './response-draft';
import { MemoryRecords } from './testing/memory-records';
import { queryBytes, type QuerySpec } from './testing/query-bytes';

const CONFIG: AnswerConfig = { ...DEFAULT_DNS_CONFIG };

function fortyTasks(): MemoryRecords {
  const book = new MemoryRecords();
  for (let i = 1; i <= 40; i++) {
    book.a('many.marathon.mesos', `10.0.${i}.1`);
    book.a(`many-${i}-s${i}.marathon.slave.mesos`, `10.0.${i}.1`);
    book.srv('_many._tcp.marathon.mesos', `many-${i}-s${i}.marathon.slave.mesos`, 31000 + i);
  }
  return book;
}

function draft(spec: QuerySpec, book = fortyTasks()): ResponseDraft {
  const reading = readQuery(queryBytes(spec));
  if (reading.kind !== 'query') throw new Error(reading.kind);
  const decision = answerQuery(reading.query, book, CONFIG);
  if (decision.kind !== 'respond') throw new Error('forwarded');
  return decision.response;
}

describe('encodeResponse', () => {
  it('cuts 40 A records to what fits 512 bytes over UDP, with TC set', () => {
    const bytes = encodeResponse(draft({ name: 'many.marathon.mesos' }), replyLimit('udp', undefined), true);
    const reply = dnsPacket.decode(bytes);
    expect(bytes.length).to.be.at.most(512);
    expect(reply.flag_tc).to.equal(true);
    expect(reply.answers?.length).to.be.within(20, 39);
    // Cut from the end: the rotation's first records stay.
    expect(reply.answers?.[0]?.type === 'A' && reply.answers[0].data).to.equal('10.0.1.1');
  });

  it('gives all 40 over TCP, without TC', () => {
    const reply = dnsPacket.decode(encodeResponse(draft({ name: 'many.marathon.mesos' }), replyLimit('tcp', undefined), true));
    expect(reply.flag_tc).to.equal(false);
    expect(reply.answers).to.have.length(40);
  });

  it('honours the EDNS payload size the client sent, and keeps the OPT record when truncating', () => {
    const large = draft({ name: 'many.marathon.mesos', udpPayloadSize: 4096 });
    const limit = replyLimit('udp', { udpPayloadSize: 4096, version: 0, dnssecOk: false });
    expect(limit).to.equal(4096);
    const whole = dnsPacket.decode(encodeResponse(large, limit, true));
    expect(whole.answers).to.have.length(40);
    expect(whole.flag_tc).to.equal(false);
    const small = draft({ name: 'many.marathon.mesos', udpPayloadSize: 600 });
    const bytes = encodeResponse(small, replyLimit('udp', { udpPayloadSize: 600, version: 0, dnssecOk: false }), true);
    const cut = dnsPacket.decode(bytes);
    expect(bytes.length).to.be.at.most(600);
    expect(cut.flag_tc).to.equal(true);
    expect(cut.answers?.length).to.be.within(30, 39);
    expect((cut.additionals ?? []).map((a) => a.type)).to.deep.equal(['OPT']);
  });

  it('treats an EDNS size below 512 as 512, and one above a datagram’s payload as that', () => {
    expect(replyLimit('udp', { udpPayloadSize: 100, version: 0, dnssecOk: false })).to.equal(512);
    expect(replyLimit('udp', { udpPayloadSize: 65535, version: 0, dnssecOk: false })).to.equal(65507);
  });

  it('leaves TC clear when setTruncateBit is false, though records went', () => {
    const reply = dnsPacket.decode(encodeResponse(draft({ name: 'many.marathon.mesos' }), 512, false));
    expect(reply.flag_tc).to.equal(false);
    expect(reply.answers?.length).to.be.below(40);
  });

  it('drops the additional section before any answer', () => {
    const book = new MemoryRecords();
    for (let i = 1; i <= 6; i++) {
      const target = `few-with-a-long-name-${i}-s${i}.marathon.slave.mesos`;
      book.srv('_few._tcp.marathon.mesos', target, 31000 + i).a(target, `10.1.${i}.1`);
    }
    const srv = draft({ name: '_few._tcp.marathon.mesos', type: 'SRV' }, book);
    const whole = encodeResponse(srv, TCP_LIMIT, true);
    expect(whole.length).to.be.above(512);
    expect(dnsPacket.decode(whole).additionals).to.have.length(6);
    const reply = dnsPacket.decode(encodeResponse(srv, 512, true));
    expect(reply.answers).to.have.length(6);
    expect(reply.additionals).to.have.length(0);
    expect(reply.flag_tc).to.equal(true);
  });

  it('cuts SRV answers whose targets alone overflow the limit, without their addresses, the OPT kept', () => {
    const srv = draft({ name: '_many._tcp.marathon.mesos', type: 'SRV', udpPayloadSize: 512 });
    const bytes = encodeResponse(srv, 512, true);
    const reply = dnsPacket.decode(bytes);
    expect(bytes.length).to.be.at.most(512);
    expect(reply.flag_tc).to.equal(true);
    expect(reply.answers?.length).to.be.within(5, 39);
    expect((reply.additionals ?? []).map((a) => a.type)).to.deep.equal(['OPT']);
    const whole = dnsPacket.decode(encodeResponse(srv, TCP_LIMIT, true));
    expect(whole.answers).to.have.length(40);
    expect(whole.additionals).to.have.length(41);
  });

  it('compresses names: 40 A records of one name fit in about 16 bytes each', () => {
    const bytes = encodeResponse(draft({ name: 'many.marathon.mesos' }), TCP_LIMIT, true);
    const uncompressed = dnsPacket.encode(dnsPacket.decode(bytes));
    expect(bytes.length).to.be.below(12 + 25 + 40 * 16 + 1);
    expect(uncompressed.length).to.be.above(bytes.length + 40 * 15);
  });
});
