// @tepui/dns: Mesos-DNS for Tepui. The process is `tepui-dns` (main.ts); these exports serve tests,
// benchmarks and embedding.
export * from './config/dns-config';
export * from './config/load-config';
export * from './records/dns-record';
export { RecordBook, type RecordBookOptions, type LoadSummary } from './records/record-book';
export { syntheticState, type SyntheticStateOptions } from './records/synthetic-state';
export { MasterFollower, type FollowerStatus, type MasterStateSink } from './state/master-follower';
export { startDnsService, type RunningDnsService } from './dns-service';
export { DnsServer, type DnsServerOptions } from './serving/dns-server';
export type { AxfrRecords, Enumeration } from './records/enumeration';
