// A reply before it meets a size limit: the sections kept apart so truncation can drop the
// additional records first and then answers from the end, and the OPT record kept aside because it
// must survive truncation (RFC 6891 §7).
import type * as dnsPacket from 'dns-packet';
import { FLAG, replyFlags } from './dns-codes';
import type { EdnsRequest, QueryHeader, QueryQuestion } from './dns-query';

export interface ResponseDraft {
  readonly id: number;
  /** Header flags without TC (set by truncation) and with the low four bits of the rcode. */
  readonly flags: number;
  /** The full (extended) rcode. */
  readonly rcode: number;
  /** The question's type for metrics ('NONE' when there was no readable question). */
  readonly questionType: string;
  readonly questions: readonly QueryQuestion[];
  readonly answers: readonly dnsPacket.Answer[];
  readonly authorities: readonly dnsPacket.Answer[];
  /** Without the OPT record. */
  readonly additionals: readonly dnsPacket.Answer[];
  readonly opt: dnsPacket.OptAnswer | undefined;
  /**
   * How many different replies successive identical queries get (the record book rotates each
   * record set it returns): the answer cache keeps that many before serving them in turn.
   */
  readonly rotation: number;
}

/** What the server says about its own UDP payload size in the OPT it returns (DNS flag day 2020). */
export const SERVER_UDP_PAYLOAD = 1232;

/** The OPT record of a reply to a query that had one: our size, the DO bit echoed (RFC 3225). */
export function replyOpt(edns: EdnsRequest | undefined, rcode: number): dnsPacket.OptAnswer | undefined {
  if (!edns) return undefined;
  const flags = edns.dnssecOk ? 0x8000 : 0;
  return {
    name: '.', type: 'OPT', udpPayloadSize: SERVER_UDP_PAYLOAD, extendedRcode: rcode >> 4, ednsVersion: 0,
    flags, flag_do: edns.dnssecOk, options: [],
  };
}

export interface ErrorReplyInput {
  readonly header: QueryHeader;
  readonly rcode: number;
  readonly question?: QueryQuestion | undefined;
  readonly edns?: EdnsRequest | undefined;
}

/**
 * A reply with no records: FORMERR, NOTIMP, REFUSED, SERVFAIL, BADVERS. AA and RA stay clear, as in
 * miekg/dns' SetRcode that Mesos-DNS uses for them.
 */
export function errorReply({ header, rcode, question, edns }: ErrorReplyInput): ResponseDraft {
  return {
    id: header.id, flags: replyFlags(header.flags, rcode, FLAG.QR), rcode,
    questionType: question?.type ?? 'NONE',
    questions: question ? [question] : [],
    answers: [], authorities: [], additionals: [], opt: replyOpt(edns, rcode), rotation: 1,
  };
}
