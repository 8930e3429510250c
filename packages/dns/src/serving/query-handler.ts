// From the bytes of a query to the bytes of its reply, whatever the transport: the answer cache,
// the pure answer function, the forwarder, SERVFAIL for anything that throws, and one event per
// reply for the observer. The socket code only moves bytes.
import type { DnsConfig } from '../config/dns-config';
import type { RecordLookup } from '../records/dns-record';
import { AnswerCache, cacheKeyOf } from './answer-cache';
import { answerMalformed, answerQuery, lookupName } from './answer-query';
import { RCODE, rcodeName } from './dns-codes';
import { readHeader, readQuery, type DnsQuery } from './dns-query';
import { encodeResponse, replyLimit, type Transport } from './encode-response';
import { fitForwardedReply, rcodeOfRelayed } from './forwarded-reply';
import type { Forwarder } from './forwarder';
import type { QueryEvent, QueryObserver } from './query-event';
import { errorReply, type ResponseDraft } from './response-draft';
import type { ServingLog } from './serving-log';

/** What to send back: now, later, or nothing (no header to answer to, or not a query). */
export type Reply = Buffer | Promise<Buffer | undefined> | undefined;

export interface QueryHandlerOptions {
  readonly config: DnsConfig;
  readonly records: RecordLookup;
  readonly forwarder: Forwarder;
  readonly log: ServingLog;
  readonly observer?: QueryObserver | undefined;
  /** Forwarded queries waiting for upstream at once; more get SERVFAIL at once. */
  readonly maxPendingForwards?: number | undefined;
  /** Keep encoded replies (default true); off, every query is answered from the records. */
  readonly cacheAnswers?: boolean | undefined;
}

export const DEFAULT_MAX_PENDING_FORWARDS = 1000;

const eventOf = (draft: ResponseDraft, transport: Transport): QueryEvent =>
  ({ type: draft.questionType, rcode: rcodeName(draft.rcode), transport, forwarded: false });

export class QueryHandler {
  private readonly caches: Readonly<Record<Transport, AnswerCache>> = { udp: new AnswerCache(), tcp: new AnswerCache() };
  private pendingForwards = 0;

  constructor(private readonly options: QueryHandlerOptions) {}

  handle(message: Buffer, transport: Transport): Reply {
    let cached: ReturnType<AnswerCache['take']>;
    let key: string | undefined;
    try {
      const cache = this.caches[transport];
      cache.follow(this.options.records);
      key = this.options.cacheAnswers === false ? undefined : cacheKeyOf(message);
      cached = key === undefined ? undefined : cache.take(key);
    } catch (err) {
      return this.serverFailure(message, undefined, transport, err);
    }
    if (!cached) return this.answerFresh(message, transport, key);
    const reply = Buffer.allocUnsafe(cached.reply.length);
    cached.reply.copy(reply);
    reply[0] = message[0];
    reply[1] = message[1];
    this.observe(cached.event);
    return reply;
  }

  private answerFresh(message: Buffer, transport: Transport, key: string | undefined): Reply {
    let query: DnsQuery | undefined;
    try {
      const reading = readQuery(message);
      if (reading.kind === 'unreadable' || reading.kind === 'response') return undefined;
      if (reading.kind === 'malformed') return this.send(answerMalformed(reading.header), replyLimit(transport, undefined), transport);
      query = reading.query;
      const decision = answerQuery(query, this.options.records, this.options.config);
      if (decision.kind === 'forward') return this.forward(message, query, decision.questionType, transport);
      const limit = replyLimit(transport, query.edns);
      const reply = this.send(decision.response, limit, transport);
      if (key !== undefined) this.remember(key, query, decision.response, reply, limit, transport);
      return reply;
    } catch (err) {
      return this.serverFailure(message, query, transport, err);
    }
  }

  private send(draft: ResponseDraft, limit: number, transport: Transport): Buffer {
    const reply = encodeResponse(draft, limit, this.options.config.setTruncateBit);
    this.observe(eventOf(draft, transport));
    return reply;
  }

  /** Caches a reply, and on the second miss of a rotating answer, its other orders too. */
  private remember(key: string, query: DnsQuery, draft: ResponseDraft, reply: Buffer, limit: number, transport: Transport): void {
    const { config, records } = this.options;
    const cache = this.caches[transport];
    const event = eventOf(draft, transport);
    const builtFrom = recordsAnswered(draft);
    for (let missing = cache.store(key, reply, draft.rotation, event, builtFrom); missing > 0; missing--) {
      // Each answer looks the records up again, and so takes the book's next order.
      const again = answerQuery(query, records, config);
      if (again.kind !== 'respond' || again.response.rotation !== draft.rotation) return;
      cache.store(key, encodeResponse(again.response, limit, config.setTruncateBit), draft.rotation, event, builtFrom, false);
    }
  }

  private async forward(message: Buffer, query: DnsQuery, questionType: string, transport: Transport): Promise<Buffer | undefined> {
    const limit = replyLimit(transport, query.edns);
    const maxPending = this.options.maxPendingForwards ?? DEFAULT_MAX_PENDING_FORWARDS;
    if (this.pendingForwards >= maxPending) {
      this.options.log.debug({ pending: this.pendingForwards }, 'too many forwarded queries waiting; answered SERVFAIL');
      return this.send(this.failure(query), limit, transport);
    }
    this.pendingForwards++;
    try {
      const relayed = await this.options.forwarder.forward(message, transport);
      // Mesos-DNS: every resolver failed → SERVFAIL.
      if (!relayed) return this.send(this.failure(query), limit, transport);
      const reply = fitForwardedReply(relayed, limit, this.options.config.setTruncateBit);
      this.observe({ type: questionType, rcode: rcodeName(rcodeOfRelayed(reply)), transport, forwarded: true });
      return reply;
    } catch (err) {
      return this.serverFailure(message, query, transport, err);
    } finally {
      this.pendingForwards--;
    }
  }

  /** Mesos-DNS' panicRecover: whatever went wrong answering, the client gets SERVFAIL. */
  private serverFailure(message: Buffer, query: DnsQuery | undefined, transport: Transport, err: unknown): Buffer | undefined {
    this.options.log.error({ err, transport }, 'failed to answer a query; answered SERVFAIL');
    const header = query ?? readHeader(message);
    if (!header) return undefined;
    try {
      return this.send(query ? this.failure(query) : errorReply({ header, rcode: RCODE.SERVFAIL }), replyLimit(transport, undefined), transport);
    } catch (again) {
      this.options.log.error({ err: again }, 'could not even encode SERVFAIL; dropped the query');
      return undefined;
    }
  }

  private failure(query: DnsQuery): ResponseDraft {
    const question = query.questions.length === 1 && query.questionFaithful ? query.questions[0] : undefined;
    return errorReply({ header: query, rcode: RCODE.SERVFAIL, question, edns: query.edns });
  }

  private observe(event: QueryEvent): void {
    const observer = this.options.observer;
    if (!observer) return;
    try {
      observer(event);
    } catch (err) {
      // Counting must never cost an answer.
      this.options.log.error({ err }, 'the query observer threw');
    }
  }
}

/**
 * The names whose records alone make a positive answer: the name asked (as looked up) and its SRV
 * targets (their addresses are the additional records). Undefined for every other reply: negative
 * ones carry the serial and depend on which names exist, SOA, NS and ANY on the serial too.
 */
function recordsAnswered(draft: ResponseDraft): readonly string[] | undefined {
  const question = draft.questions[0];
  if (draft.rcode !== RCODE.NOERROR || draft.answers.length === 0 || draft.authorities.length > 0 || !question) return undefined;
  const names = new Set([lookupName(question.name)]);
  for (const answer of draft.answers) if (answer.type === 'SRV') names.add(answer.data.target);
  return [...names];
}
