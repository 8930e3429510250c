import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { DEFAULT_DNS_CONFIG } from '../config/dns-config';
import { answerMalformed, answerQuery, lookupName, type AnswerConfig, type QueryDecision } from './answer-query';
import { FLAG, RCODE } from './dns-codes';
import { readQuery, type DnsQuery } from './dns-query';
import { encodeResponse, TCP_LIMIT } from './encode-response';
import { MemoryRecords } from './testing/memory-records';
import { queryBytes, rcodeOfReply, type QuerySpec } from './testing/query-bytes';

const CONFIG: AnswerConfig = { ...DEFAULT_DNS_CONFIG, ttl: 30, soaMinttl: 45, resolvers: ['192.0.2.53'] };
const SERIAL = 1_700_000_123;

function records(): MemoryRecords {
  return new MemoryRecords(SERIAL)
    .a('web.marathon.mesos', '10.0.0.1', '10.0.0.2', '10.0.0.3')
    .a('db.marathon.mesos', 'fd00::5')
    .a('web-a1-s1.marathon.slave.mesos', '10.0.1.1', 'fd00::1:1')
    .a('web-b2-s2.marathon.slave.mesos', '10.0.1.2')
    .srv('_web._tcp.marathon.mesos', 'web-a1-s1.marathon.slave.mesos', 31000)
    .srv('_web._tcp.marathon.mesos', 'web-a1-s1.marathon.slave.mesos', 31001)
    .srv('_web._tcp.marathon.mesos', 'web-b2-s2.marathon.slave.mesos', 31002)
    .ptr('1.1.0.10.in-addr.arpa', 'web-a1-s1.marathon.mesos');
}

function query(bytes: Buffer): DnsQuery {
  const reading = readQuery(bytes);
  if (reading.kind !== 'query') throw new Error(`not a query: ${reading.kind}`);
  return reading.query;
}

interface Asked {
  readonly decision: QueryDecision;
  readonly reply: dnsPacket.DecodedPacket;
  readonly rcode: number;
}

function ask(spec: QuerySpec, book = records(), config: AnswerConfig = CONFIG): Asked {
  const decision = answerQuery(query(queryBytes(spec)), book, config);
  if (decision.kind !== 'respond') throw new Error('forwarded');
  const bytes = encodeResponse(decision.response, TCP_LIMIT, true);
  return { decision, reply: dnsPacket.decode(bytes), rcode: rcodeOfReply(bytes) };
}

const data = (records: readonly dnsPacket.Answer[] | undefined): unknown[] =>
  (records ?? []).map((r) => ('data' in r ? r.data : r.type));
const types = (records: readonly dnsPacket.Answer[] | undefined): string[] => (records ?? []).map((r) => r.type);

describe('answerQuery', () => {
  describe('in-domain names', () => {
    it('answers A from the book, authoritative, RA from recurseOn, every record with the configured TTL', () => {
      const { reply, rcode } = ask({ name: 'web.marathon.mesos' });
      expect(rcode).to.equal(RCODE.NOERROR);
      expect(reply.flag_aa).to.equal(true);
      expect(reply.flag_ra).to.equal(true);
      expect(reply.flag_rd).to.equal(true);
      expect(reply.flag_qr).to.equal(true);
      expect(data(reply.answers)).to.have.members(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
      expect((reply.answers ?? []).every((a) => a.type === 'A' && a.ttl === 30)).to.equal(true);
      expect(ask({ name: 'web.marathon.mesos' }, records(), { ...CONFIG, recurseOn: false }).reply.flag_ra).to.equal(false);
    });

    it('looks names up in lower case with Mesos-DNS `.*` wildcards removed, and answers under the name as asked', () => {
      const { reply } = ask({ name: 'WEB.Marathon.MESOS' });
      expect(data(reply.answers)).to.have.length(3);
      expect((reply.answers ?? []).map((a) => a.name)).to.deep.equal(['WEB.Marathon.MESOS', 'WEB.Marathon.MESOS', 'WEB.Marathon.MESOS']);
      expect(reply.questions?.[0]?.name).to.equal('WEB.Marathon.MESOS');
      expect(lookupName('web.*.marathon.mesos')).to.equal('web.marathon.mesos');
      expect(data(ask({ name: 'web.*.marathon.mesos' }).reply.answers)).to.have.length(3);
    });

    it('answers AAAA from the book', () => {
      expect(data(ask({ name: 'db.marathon.mesos', type: 'AAAA' }).reply.answers)).to.deep.equal(['fd00::5']);
    });

    it('rotates a record set between replies, and says how many orders there are', () => {
      const book = records();
      const first = ask({ name: 'web.marathon.mesos' }, book);
      const second = ask({ name: 'web.marathon.mesos' }, book);
      expect(data(first.reply.answers)[0]).not.to.equal(data(second.reply.answers)[0]);
      expect(first.decision.kind === 'respond' && first.decision.response.rotation).to.equal(3);
    });

    it('answers SRV with the first A and AAAA of each distinct target in the additional section', () => {
      const { reply, rcode } = ask({ name: '_web._tcp.marathon.mesos', type: 'SRV' });
      expect(rcode).to.equal(RCODE.NOERROR);
      expect((reply.answers ?? []).map((a) => a.type === 'SRV' && a.data.port)).to.have.members([31000, 31001, 31002]);
      expect((reply.answers ?? []).every((a) => a.type === 'SRV' && a.data.weight === 1 && a.data.priority === 0)).to.equal(true);
      const extra = (reply.additionals ?? []).map((a) => `${a.name} ${a.type} ${'data' in a ? String(a.data) : ''}`);
      expect(extra).to.have.members([
        'web-a1-s1.marathon.slave.mesos A 10.0.1.1', 'web-a1-s1.marathon.slave.mesos AAAA fd00::1:1', 'web-b2-s2.marathon.slave.mesos A 10.0.1.2',
      ]);
    });

    it('answers ANY with every record of the name, and SOA and NS in the authority section', () => {
      const { reply } = ask({ name: 'web-a1-s1.marathon.slave.mesos', type: 'ANY' });
      expect(types(reply.answers)).to.have.members(['A', 'AAAA']);
      expect(types(reply.authorities)).to.deep.equal(['SOA', 'NS']);
    });

    it('answers SOA and NS questions in the authority section, owned by the asked name (Mesos-DNS quirk)', () => {
      for (const name of ['mesos', 'web.marathon.mesos']) {
        const soa = ask({ name, type: 'SOA' });
        expect(soa.rcode).to.equal(RCODE.NOERROR);
        expect(soa.reply.answers).to.have.length(0);
        expect(soa.reply.authorities).to.have.length(1);
        const record = soa.reply.authorities?.[0];
        expect(record?.name).to.equal(name);
        expect(record?.type === 'SOA' && record.data).to.deep.equal({
          mname: 'ns1.mesos', rname: 'root.ns1.mesos', serial: SERIAL, refresh: 60, retry: 600, expire: 86400, minimum: 45,
        });
        const ns = ask({ name, type: 'NS' });
        expect(ns.reply.answers).to.have.length(0);
        expect(ns.reply.authorities?.map((a) => `${a.name} ${a.type} ${'data' in a ? String(a.data) : ''}`)).to.deep.equal([`${name} NS ns1.mesos`]);
      }
    });

    it('gives NODATA (NOERROR, SOA in authority) for a name that exists without the type', () => {
      for (const type of ['AAAA', 'SRV', 'TXT', 'MX', 'PTR', 'CNAME'] as const) {
        const { reply, rcode } = ask({ name: 'web.marathon.mesos', type });
        expect(rcode, type).to.equal(RCODE.NOERROR);
        expect(reply.flag_aa, type).to.equal(true);
        expect(reply.answers, type).to.have.length(0);
        expect(types(reply.authorities), type).to.deep.equal(['SOA']);
        expect(reply.authorities?.[0]?.name, type).to.equal('web.marathon.mesos');
      }
      expect(ask({ name: 'mesos', type: 'A' }).rcode).to.equal(RCODE.NOERROR);
    });

    it('gives NXDOMAIN with the SOA for a name that does not exist, whatever the type (SRV, SOA and NS too)', () => {
      for (const type of ['A', 'AAAA', 'SRV', 'SOA', 'NS', 'TXT', 'PTR', 'ANY'] as const) {
        const { reply, rcode } = ask({ name: 'nothing.marathon.mesos', type });
        expect(rcode, type).to.equal(RCODE.NXDOMAIN);
        expect(reply.flag_aa, type).to.equal(true);
        expect(reply.answers, type).to.have.length(0);
        expect(types(reply.authorities), type).to.deep.equal(['SOA']);
      }
    });

    it('refuses zone transfers and classes other than IN', () => {
      expect(ask({ name: 'mesos', type: 'AXFR' }).rcode).to.equal(RCODE.REFUSED);
      const chaos = answerQuery(query(dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'web.marathon.mesos', type: 'A', class: 'CH' }] })), records(), CONFIG);
      expect(chaos.kind === 'respond' && chaos.response.rcode).to.equal(RCODE.REFUSED);
    });
  });

  describe('PTR', () => {
    it('answers reverse names the book holds, with authority', () => {
      const { reply, rcode } = ask({ name: '1.1.0.10.in-addr.arpa', type: 'PTR' });
      expect(rcode).to.equal(RCODE.NOERROR);
      expect(reply.flag_aa).to.equal(true);
      expect(data(reply.answers)).to.deep.equal(['web-a1-s1.marathon.mesos']);
      expect(ask({ name: '1.1.0.10.in-addr.arpa', type: 'A' }).rcode).to.equal(RCODE.NOERROR);
    });

    it('forwards reverse names it does not hold', () => {
      expect(answerQuery(query(queryBytes({ name: '9.9.0.10.in-addr.arpa', type: 'PTR' })), records(), CONFIG).kind).to.equal('forward');
    });
  });

  describe('names outside the domain', () => {
    it('forwards them when externalOn and resolvers are set', () => {
      const decision = answerQuery(query(queryBytes({ name: 'example.org' })), records(), CONFIG);
      expect(decision).to.deep.equal({ kind: 'forward', questionType: 'A' });
      expect(answerQuery(query(queryBytes({ name: 'web.marathon.xmesos' })), records(), CONFIG).kind).to.equal('forward');
    });

    it('refuses them with externalOn false or no resolvers, without AA', () => {
      for (const config of [{ ...CONFIG, externalOn: false }, { ...CONFIG, resolvers: [] }]) {
        const { reply, rcode } = ask({ name: 'example.org' }, records(), config);
        expect(rcode).to.equal(RCODE.REFUSED);
        expect(reply.flag_aa).to.equal(false);
        expect(reply.questions?.[0]?.name).to.equal('example.org');
      }
    });
  });

  describe('protocol errors', () => {
    it('answers opcodes other than QUERY with NOTIMP', () => {
      const status = queryBytes({ name: 'web.marathon.mesos', flags: 2 << 11 });
      const decision = answerQuery(query(status), records(), CONFIG);
      expect(decision.kind === 'respond' && decision.response.rcode).to.equal(RCODE.NOTIMP);
      expect(decision.kind === 'respond' && (decision.response.flags >> 11) & 0xf).to.equal(2);
    });

    it('answers QDCOUNT 0 or 2 with a bare FORMERR', () => {
      for (const questions of [[], [{ name: 'a.mesos', type: 'A' as const }, { name: 'b.mesos', type: 'A' as const }]]) {
        const decision = answerQuery(query(dnsPacket.encode({ type: 'query', id: 77, questions })), records(), CONFIG);
        if (decision.kind !== 'respond') throw new Error('forwarded');
        expect(decision.response.rcode).to.equal(RCODE.FORMERR);
        expect(decision.response.id).to.equal(77);
        expect(decision.response.questions).to.have.length(0);
      }
    });

    it('answers a name that does not survive re-encoding (a dot inside a label) with FORMERR', () => {
      const bytes = Buffer.concat([
        Buffer.from([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([9]), Buffer.from('web.mesos'), Buffer.from([5]), Buffer.from('mesos'), Buffer.from([0, 0, 1, 0, 1]),
      ]);
      const decision = answerQuery(query(bytes), records(), CONFIG);
      expect(decision.kind === 'respond' && decision.response.rcode).to.equal(RCODE.FORMERR);
    });

    it('answers bytes with a header that do not decode with FORMERR, or NOTIMP for another opcode', () => {
      expect(answerMalformed({ id: 5, flags: 0x0100, opcode: 0 }).rcode).to.equal(RCODE.FORMERR);
      expect(answerMalformed({ id: 5, flags: 0x2800, opcode: 5 }).rcode).to.equal(RCODE.NOTIMP);
    });
  });

  describe('EDNS', () => {
    it('returns an OPT record only to a query that had one, echoing the DO bit', () => {
      const plain = ask({ name: 'web.marathon.mesos' });
      expect(types(plain.reply.additionals)).to.deep.equal([]);
      const edns = ask({ name: 'web.marathon.mesos', udpPayloadSize: 4096, dnssecOk: true });
      const opt = (edns.reply.additionals ?? []).find((a): a is dnsPacket.OptAnswer => a.type === 'OPT');
      expect(opt?.udpPayloadSize).to.equal(1232);
      expect(opt?.flag_do).to.equal(true);
    });

    it('answers an EDNS version other than 0 with BADVERS', () => {
      const { rcode } = ask({ name: 'web.marathon.mesos', udpPayloadSize: 1232, ednsVersion: 1 });
      expect(rcode).to.equal(RCODE.BADVERS);
    });

    it('answers two OPT records with FORMERR', () => {
      const opt: dnsPacket.OptAnswer = { name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] };
      const bytes = dnsPacket.encode({ type: 'query', id: 3, questions: [{ name: 'web.marathon.mesos', type: 'A' }], additionals: [opt, opt] });
      const decision = answerQuery(query(bytes), records(), CONFIG);
      expect(decision.kind === 'respond' && decision.response.rcode).to.equal(RCODE.FORMERR);
    });

    it('copies RD and CD from the query', () => {
      const { reply } = ask({ name: 'web.marathon.mesos', flags: FLAG.CD });
      expect(reply.flag_rd).to.equal(false);
      expect(reply.flag_cd).to.equal(true);
    });
  });
});
