// What Tepui-DNS replies to a query, decided from the query, the record book and the configuration
// alone: no sockets, no clock. Follows Mesos-DNS' resolver.HandleMesos, with the departures named
// where they are made.
import type * as dnsPacket from 'dns-packet';
import type { DnsConfig } from '../config/dns-config';
import type { RecordLookup, RecordType } from '../records/dns-record';
import { FLAG, OPCODE_QUERY, RCODE, replyFlags } from './dns-codes';
import type { DnsQuery, QueryHeader, QueryQuestion } from './dns-query';
import { errorReply, replyOpt, type ResponseDraft } from './response-draft';
import { nsRecord, resourceRecord, soaRecord, srvTargetAddresses, type ZoneConfig } from './zone-records';

export type AnswerConfig = ZoneConfig & Pick<DnsConfig, 'domain' | 'recurseOn' | 'externalOn' | 'resolvers'>;

export type QueryDecision =
  | { readonly kind: 'respond'; readonly response: ResponseDraft }
  /** Outside the domain, with forwarding on: the forwarder relays the query as the client sent it. */
  | { readonly kind: 'forward'; readonly questionType: string };

const respond = (response: ResponseDraft): QueryDecision => ({ kind: 'respond', response });

/** The name as looked up: lower case, and Mesos-DNS' `.*` wildcards removed (cleanWild). */
export function lookupName(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes('.*') ? lower.split('.*').join('') : lower;
}

export function answerQuery(query: DnsQuery, records: RecordLookup, config: AnswerConfig): QueryDecision {
  if (query.opcode !== OPCODE_QUERY) return respond(errorReply({ header: query, rcode: RCODE.NOTIMP }));
  // miekg/dns (under Mesos-DNS) rejects any QDCOUNT but 1 with a bare FORMERR, and so does RFC 9619.
  const question = query.questions.length === 1 ? query.questions[0] : undefined;
  if (!question || query.optCount > 1) return respond(errorReply({ header: query, rcode: RCODE.FORMERR }));
  const edns = query.edns;
  if (edns && edns.version !== 0) return respond(errorReply({ header: query, rcode: RCODE.BADVERS, question, edns }));
  const name = lookupName(question.name);
  if (!ownsName(name, records, config.domain)) {
    if (config.externalOn && config.resolvers.length > 0) return { kind: 'forward', questionType: question.type };
    return respond(errorReply({ header: query, rcode: RCODE.REFUSED, question, edns }));
  }
  // Every name we hold is letters, digits, '-' and '_': one that does not survive re-encoding is
  // not ours, and echoing it would not give the client back its bytes.
  if (!query.questionFaithful) return respond(errorReply({ header: query, rcode: RCODE.FORMERR }));
  if (question.class !== 'IN' && question.class !== 'ANY') return respond(errorReply({ header: query, rcode: RCODE.REFUSED, question, edns }));
  return respond(answerOwnName(query, question, name, records, config));
}

/** A reply to bytes that have a header but do not decode. */
export function answerMalformed(header: QueryHeader): ResponseDraft {
  return errorReply({ header, rcode: header.opcode === OPCODE_QUERY ? RCODE.FORMERR : RCODE.NOTIMP });
}

/**
 * Names in the domain, and names elsewhere that the book holds (the PTR names under in-addr.arpa
 * and ip6.arpa, when ptrOn): those are answered here, with authority.
 */
function ownsName(name: string, records: RecordLookup, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`) || records.exists(name);
}

/** The record types a question of each type is answered from. */
const ANSWER_TYPES: Readonly<Record<string, readonly RecordType[]>> = {
  A: ['A'], AAAA: ['AAAA'], SRV: ['SRV'], PTR: ['PTR'], ANY: ['A', 'AAAA', 'SRV', 'PTR'],
};

interface Sections {
  answers: dnsPacket.Answer[];
  authorities: dnsPacket.Answer[];
  additionals: dnsPacket.Answer[];
  rcode: number;
  rotation: number;
}

function answerOwnName(query: DnsQuery, question: QueryQuestion, name: string, records: RecordLookup, config: AnswerConfig): ResponseDraft {
  const owner = question.name;
  const sections: Sections = { answers: [], authorities: [], additionals: [], rcode: RCODE.NOERROR, rotation: 1 };
  // Departure: Mesos-DNS answers a name that does not exist with NOERROR for SRV, SOA and NS; a
  // name either exists or not, so here it is NXDOMAIN with the SOA for every type (RFC 2308).
  if (name !== config.domain && !records.exists(name)) {
    sections.rcode = RCODE.NXDOMAIN;
    sections.authorities.push(soaRecord(owner, config, records.serial));
  } else if (question.type === 'AXFR' || question.type === 'IXFR') {
    // Zone transfers are not offered over DNS (Mesos-DNS has /v1/axfr over HTTP for that).
    sections.rcode = RCODE.REFUSED;
  } else {
    fillSections(sections, question.type, name, owner, records, config);
  }
  const bits = FLAG.QR | (sections.rcode === RCODE.REFUSED ? 0 : FLAG.AA) | (config.recurseOn ? FLAG.RA : 0);
  return {
    id: query.id, flags: replyFlags(query.flags, sections.rcode, bits), rcode: sections.rcode,
    questionType: question.type, questions: [question],
    answers: sections.answers, authorities: sections.authorities, additionals: sections.additionals,
    opt: replyOpt(query.edns, sections.rcode), rotation: sections.rotation,
  };
}

function fillSections(sections: Sections, type: string, name: string, owner: string, records: RecordLookup, config: AnswerConfig): void {
  const ttl = config.ttl;
  for (const recordType of ANSWER_TYPES[type] ?? []) {
    const found = records.lookup(name, recordType);
    if (found.length === 0) continue;
    sections.rotation = Math.max(sections.rotation, found.length);
    for (const record of found) sections.answers.push(resourceRecord(owner, record, ttl));
    if (recordType === 'SRV') sections.additionals = srvTargetAddresses(found, records, ttl);
  }
  // Mesos-DNS quirk kept: SOA and NS questions get their record owned by the asked name, in the
  // authority section, with the answer section empty; ANY gets both there too.
  if (type === 'SOA' || type === 'ANY') sections.authorities.push(soaRecord(owner, config, records.serial));
  if (type === 'NS' || type === 'ANY') sections.authorities.push(nsRecord(owner, config));
  if (sections.answers.length > 0 || type === 'SOA' || type === 'NS' || type === 'ANY') return;
  // NODATA: the name exists, without records of this type (TXT, MX, CNAME… included, where
  // Mesos-DNS says NXDOMAIN), with the SOA for negative caching (RFC 2308 §2.2).
  sections.authorities.push(soaRecord(owner, config, records.serial));
}
