// Names outside the domain go to the configured resolvers, as in Mesos-DNS' exchanger.Forwarder:
// on the client's transport, one resolver after the other in config order, each within `timeout`;
// the first reply wins, whatever its rcode (an upstream NXDOMAIN or SERVFAIL is an answer, as
// for Mesos-DNS). No cache, no racing, no health tracking, like Mesos-DNS.
import { randomInt } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import { FLAG, HEADER_BYTES } from './dns-codes';
import type { Transport } from './encode-response';
import type { ServingLog } from './serving-log';
import { parseResolverAddress, type ResolverAddress } from '../config/resolver-address';
import { exchangeWithUpstream } from './upstream-exchange';

export interface Forwarder {
  /**
   * The first upstream reply to `query` (the client's bytes), carrying the client's id; undefined
   * when every resolver failed.
   */
  forward(query: Buffer, transport: Transport): Promise<Buffer | undefined>;
  /** Abandons the exchanges in flight (their forward() calls resolve undefined). */
  close(): void;
}

export interface UpstreamForwarderOptions {
  /** `ip` or `ip:port`, tried in order. */
  readonly resolvers: readonly string[];
  readonly timeoutMs: number;
  readonly log: ServingLog;
}

export class UpstreamForwarder implements Forwarder {
  private readonly resolvers: readonly ResolverAddress[];
  private readonly closing = new AbortController();

  constructor(private readonly options: UpstreamForwarderOptions) {
    this.resolvers = options.resolvers.map(parseResolverAddress);
  }

  async forward(query: Buffer, transport: Transport): Promise<Buffer | undefined> {
    const question = firstQuestion(query);
    for (const resolver of this.resolvers) {
      if (this.closing.signal.aborted) return undefined;
      // Our own id upstream: clients' ids collide, and a fresh random one per query makes a
      // spoofed reply harder to slip in.
      const id = randomInt(0, 0x10000);
      const upstreamQuery = Buffer.from(query);
      upstreamQuery.writeUInt16BE(id, 0);
      try {
        const reply = await exchangeWithUpstream({
          query: upstreamQuery, resolver, transport, timeoutMs: this.options.timeoutMs, signal: this.closing.signal,
          isReply: (message) => isReplyTo(message, id, question),
        });
        const relayed = Buffer.from(reply);
        query.copy(relayed, 0, 0, 2);
        return relayed;
      } catch (err) {
        this.options.log.debug({ resolver: resolver.label, transport, err }, 'upstream resolver failed; trying the next');
      }
    }
    return undefined;
  }

  close(): void {
    this.closing.abort();
  }
}

/** The first question of a message, compared case-insensitively; undefined if none decodes. */
function firstQuestion(message: Buffer): string | undefined {
  try {
    const question = dnsPacket.decode(message).questions?.[0];
    return question ? `${question.name.toLowerCase()} ${question.type} ${question.class ?? 'IN'}` : undefined;
  } catch {
    return undefined;
  }
}

/** A response with our id to the same question (miekg/dns' Exchange checks the id only). */
function isReplyTo(message: Buffer, id: number, question: string | undefined): boolean {
  if (message.length < HEADER_BYTES || message.readUInt16BE(0) !== id || (message.readUInt16BE(2) & FLAG.QR) === 0) return false;
  return firstQuestion(message) === question;
}
