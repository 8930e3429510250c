// What the rest of Tepui-DNS (main.ts, the metrics) uses of the serving code.
export { DnsServer, DEFAULT_MAX_TCP_CONNECTIONS, DEFAULT_TCP_IDLE_TIMEOUT_MS, type DnsServerOptions } from './dns-server';
export type { QueryEvent, QueryObserver } from './query-event';
export type { Transport } from './encode-response';
export type { ServingLog } from './serving-log';
export { UpstreamForwarder, type Forwarder, type UpstreamForwarderOptions } from './forwarder';
export { parseResolverAddress, type ResolverAddress } from '../config/resolver-address';
export { answerQuery, answerMalformed, lookupName, type AnswerConfig, type QueryDecision } from './answer-query';
export { readQuery, type DnsQuery, type QueryReading } from './dns-query';
export { encodeResponse, replyLimit } from './encode-response';
export type { ResponseDraft } from './response-draft';
