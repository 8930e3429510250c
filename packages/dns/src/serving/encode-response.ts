// A reply in bytes, within the size the client can take: dns-packet encodes, names are compressed,
// and a reply that is too big loses its additional records first, then answers from the end, as
// Mesos-DNS' truncate() does (it searches for how many answers fit the same way).
import * as dnsPacket from 'dns-packet';
import type { DnsQuery } from './dns-query';
import { compressNames } from './compress-names';
import { FLAG } from './dns-codes';
import type { ResponseDraft } from './response-draft';

/** RFC 1035 §4.2.1: without EDNS a UDP reply holds 512 bytes. */
export const CLASSIC_UDP_LIMIT = 512;
/** A TCP message carries a 16-bit length. */
export const TCP_LIMIT = 65535;

export type Transport = 'udp' | 'tcp';

/**
 * The largest reply a client takes: 65535 over TCP; over UDP the EDNS payload size it sent, never
 * below 512 (RFC 6891 §6.2.5), else 512.
 */
export function replyLimit(transport: Transport, edns: DnsQuery['edns']): number {
  if (transport === 'tcp') return TCP_LIMIT;
  return edns ? Math.max(CLASSIC_UDP_LIMIT, edns.udpPayloadSize) : CLASSIC_UDP_LIMIT;
}

function encodeDraft(draft: ResponseDraft, answers: number, withAdditionals: boolean, withAuthorities: boolean, tc: number): Buffer {
  const additionals = withAdditionals ? [...draft.additionals] : [];
  if (draft.opt) additionals.push(draft.opt);
  return compressNames(dnsPacket.encode({
    type: 'response', id: draft.id, flags: draft.flags | tc,
    questions: [...draft.questions],
    answers: draft.answers.slice(0, answers),
    authorities: withAuthorities ? [...draft.authorities] : [],
    additionals,
  }));
}

/**
 * The reply within `limit` bytes. When records had to go, TC is set if `setTruncateBit` (Mesos-DNS
 * sets it even when only additional records went, so the client retries over TCP for them);
 * `setTruncateBit` false is for clients that cannot retry over TCP.
 */
export function encodeResponse(draft: ResponseDraft, limit: number, setTruncateBit: boolean): Buffer {
  const all = draft.answers.length;
  const whole = encodeDraft(draft, all, true, true, 0);
  if (whole.length <= limit) return whole;
  const tc = setTruncateBit ? FLAG.TC : 0;
  const withoutAdditionals = encodeDraft(draft, all, false, true, tc);
  if (withoutAdditionals.length <= limit) return withoutAdditionals;
  // The most answers that fit: `low` always fits (or is 0), `high` never does.
  let low = 0;
  let high = all;
  let best = encodeDraft(draft, 0, false, true, tc);
  if (best.length > limit) return encodeDraft(draft, 0, false, false, tc);
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    const attempt = encodeDraft(draft, middle, false, true, tc);
    if (attempt.length <= limit) {
      low = middle;
      best = attempt;
    } else {
      high = middle;
    }
  }
  return best;
}
