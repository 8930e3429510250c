// A reply in bytes, within the size the client can take: written with its names compressed, and a
// reply that is too big loses its additional records first, then answers from the end, as Mesos-DNS'
// truncate() does (it searches for how many answers fit the same way).
import type { DnsQuery } from './dns-query';
import { FLAG } from './dns-codes';
import { writeResponse, type CompressedMessage } from './message-writer';
import type { ResponseDraft } from './response-draft';

/** RFC 1035 §4.2.1: without EDNS a UDP reply holds 512 bytes. */
export const CLASSIC_UDP_LIMIT = 512;
/** A TCP message carries a 16-bit length. */
export const TCP_LIMIT = 65535;
/** The most a UDP datagram over IPv4 carries (65535 less the IP and UDP headers). */
export const MAX_UDP_PAYLOAD = 65507;

export type Transport = 'udp' | 'tcp';

/**
 * The largest reply a client takes: 65535 over TCP; over UDP the EDNS payload size it sent, never
 * below 512 (RFC 6891 §6.2.5) nor above what a datagram holds, else 512.
 */
export function replyLimit(transport: Transport, edns: DnsQuery['edns']): number {
  if (transport === 'tcp') return TCP_LIMIT;
  return edns ? Math.min(MAX_UDP_PAYLOAD, Math.max(CLASSIC_UDP_LIMIT, edns.udpPayloadSize)) : CLASSIC_UDP_LIMIT;
}

function encodeDraft(draft: ResponseDraft, answers: number, withAuthorities: boolean, withAdditionals = true): CompressedMessage {
  const kept = withAdditionals ? draft.additionals : [];
  const additionals = draft.opt ? [...kept, draft.opt] : kept;
  return writeResponse({
    id: draft.id, flags: draft.flags, questions: draft.questions,
    answers: answers === draft.answers.length ? draft.answers : draft.answers.slice(0, answers),
    authorities: withAuthorities ? draft.authorities : [],
    additionals,
  });
}

/**
 * The reply within `limit` bytes. When records had to go, TC is set if `setTruncateBit` (Mesos-DNS
 * sets it even when only additional records went, so the client retries over TCP for them);
 * `setTruncateBit` false is for clients that cannot retry over TCP.
 */
export function encodeResponse(draft: ResponseDraft, limit: number, setTruncateBit: boolean): Buffer {
  // When the answers alone cannot fit, the additional records would only be encoded to be cut.
  const additionalsCanFit = draft.additionals.length === 0 || minimumSize(draft) <= limit;
  const whole = encodeDraft(draft, draft.answers.length, true, additionalsCanFit);
  if (additionalsCanFit && whole.bytes.length <= limit) return whole.bytes;
  return truncate(draft, whole, limit, setTruncateBit ? FLAG.TC : 0);
}

/**
 * A lower bound of the encoded size of the header, question and answers: every owner name at
 * least a byte, A and AAAA data as they are, SRV targets in full (never compressed).
 */
function minimumSize(draft: ResponseDraft): number {
  let size = 12;
  for (const question of draft.questions) size += question.name.length + 6;
  for (const answer of draft.answers) {
    size += 11;
    if (answer.type === 'A') size += 4;
    else if (answer.type === 'AAAA') size += 16;
    else if (answer.type === 'SRV') size += 8 + answer.data.target.length;
  }
  return size;
}

/**
 * Cuts an encoded reply (with or without its additional records) at record boundaries: pointers
 * only ever point back, so the records before a cut read the same without what follows it. The
 * OPT record (a root name, never compressed) moves to the new end.
 */
function truncate(draft: ResponseDraft, whole: CompressedMessage, limit: number, tc: number): Buffer {
  const answers = draft.answers.length;
  const authorities = draft.authorities.length;
  const { bytes, questionEnd, recordEnds } = whole;
  const endOf = (records: number): number => (records === 0 ? questionEnd : recordEnds[records - 1]);
  const opt = draft.opt ? bytes.subarray(endOf(recordEnds.length - 1)) : bytes.subarray(0, 0);
  const withoutAdditionals = endOf(answers + authorities);
  if (withoutAdditionals + opt.length <= limit) return assemble(bytes, withoutAdditionals, opt, answers, authorities, tc);
  if (authorities > 0) return searchAnswers(draft, limit, tc);
  let kept = answers;
  while (kept > 0 && endOf(kept) + opt.length > limit) kept--;
  return assemble(bytes, endOf(kept), opt, kept, 0, tc);
}

function assemble(bytes: Buffer, end: number, opt: Buffer, answers: number, authorities: number, tc: number): Buffer {
  const out = Buffer.allocUnsafe(end + opt.length);
  bytes.copy(out, 0, 0, end);
  opt.copy(out, end);
  out.writeUInt16BE(out.readUInt16BE(2) | tc, 2);
  out.writeUInt16BE(answers, 6);
  out.writeUInt16BE(authorities, 8);
  out.writeUInt16BE(opt.length > 0 ? 1 : 0, 10);
  return out;
}

/**
 * With authority records after the answers (ANY), a cut inside the answers could strand a pointer
 * from the authority section: re-encode for each try instead, searching how many answers fit.
 */
function searchAnswers(draft: ResponseDraft, limit: number, tc: number): Buffer {
  const fit = (answers: number): Buffer | undefined => {
    const { bytes } = encodeDraft({ ...draft, additionals: [] }, answers, true);
    return bytes.length <= limit ? bytes : undefined;
  };
  let best = fit(0);
  if (!best) return withTc(encodeDraft({ ...draft, additionals: [] }, 0, false).bytes, tc);
  let low = 0;
  let high = draft.answers.length;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    const attempt = fit(middle);
    if (attempt) {
      low = middle;
      best = attempt;
    } else {
      high = middle;
    }
  }
  return withTc(best, tc);
}

function withTc(bytes: Buffer, tc: number): Buffer {
  bytes.writeUInt16BE(bytes.readUInt16BE(2) | tc, 2);
  return bytes;
}
