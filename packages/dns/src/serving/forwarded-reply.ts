// An upstream reply on its way back to the client. Mesos-DNS sends it through the same reply()
// as its own answers: passed through when it fits (a truncated one with its TC bit), truncated to
// the client's size when it does not, and TC cleared whenever setTruncateBit is false.
import * as dnsPacket from 'dns-packet';
import { FLAG, headerRcodeOf } from './dns-codes';
import { encodeResponse } from './encode-response';
import type { ResponseDraft } from './response-draft';

export function fitForwardedReply(reply: Buffer, limit: number, setTruncateBit: boolean): Buffer {
  if (reply.length <= limit) {
    if (setTruncateBit || (reply.readUInt16BE(2) & FLAG.TC) === 0) return reply;
    reply.writeUInt16BE(reply.readUInt16BE(2) & ~FLAG.TC, 2);
    return reply;
  }
  const decoded = dnsPacket.decode(reply);
  const additionals = decoded.additionals ?? [];
  const opt = additionals.find((record): record is dnsPacket.OptAnswer => record.type === 'OPT');
  const flags = reply.readUInt16BE(2);
  const draft: ResponseDraft = {
    id: decoded.id ?? 0, flags: (flags | FLAG.QR) & ~FLAG.TC, rcode: ((opt?.extendedRcode ?? 0) << 4) | headerRcodeOf(flags),
    questionType: String(decoded.questions?.[0]?.type ?? 'NONE'),
    questions: decoded.questions ?? [], answers: decoded.answers ?? [], authorities: decoded.authorities ?? [],
    additionals: additionals.filter((record) => record.type !== 'OPT'), opt, rotation: 1,
  };
  const fitted = encodeResponse(draft, limit, setTruncateBit);
  if (setTruncateBit && (flags & FLAG.TC) !== 0) fitted.writeUInt16BE(fitted.readUInt16BE(2) | FLAG.TC, 2);
  return fitted;
}

/** The rcode in a relayed reply's header (its four low bits: what metrics count). */
export function rcodeOfRelayed(reply: Buffer): number {
  return headerRcodeOf(reply.readUInt16BE(2));
}
