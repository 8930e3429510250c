// What record builders need from the configuration, resolved once: the domain, the label function
// (RFC 1123 or RFC 952), and Tepui's switches that add names to what Mesos-DNS publishes.
import type { DnsConfig, IpSource } from '../config/dns-config';
import { labelFunction, type LabelFunction } from './labels';

export interface RecordNaming {
  /** Lower case, no trailing dot (`mesos`). */
  readonly domain: string;
  readonly label: LabelFunction;
  /** `_port<i>.` SRV names beside Mesos-DNS' per-task ones. */
  readonly perPortSrv: boolean;
  /** PTR records for addresses a task has to itself. */
  readonly ptrOn: boolean;
}

/** Which tasks get records, beyond Mesos-DNS' "running on a known agent". */
export interface PublicationPolicy {
  readonly ipSources: readonly IpSource[];
  readonly healthAware: boolean;
  readonly requireHealthy: boolean;
}

export function recordNaming(config: DnsConfig): RecordNaming {
  return { domain: config.domain, label: labelFunction(config.enforceRFC952), perPortSrv: config.perPortSrv, ptrOn: config.ptrOn };
}

export function publicationPolicy(config: DnsConfig): PublicationPolicy {
  return { ipSources: config.ipSources, healthAware: config.healthAware, requireHealthy: config.requireHealthy };
}
