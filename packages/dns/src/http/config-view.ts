// /v1/config: the configuration under Mesos-DNS' Go field names, with secrets redacted (Mesos-DNS
// prints its master credentials in clear; Tepui-DNS does not).
import type { DnsConfig } from '../config/dns-config';

/** `zk://user:secret@h:2181/mesos` → `zk://user:********@h:2181/mesos`. */
export function redactZk(url: string): string {
  return url.replace(/^(zk:\/\/[^:@/]+:)[^@/]*@/, '$1********@');
}

export function configView(c: DnsConfig): Record<string, unknown> {
  return {
    RefreshSeconds: c.refreshSeconds,
    StateTimeoutSeconds: c.stateTimeoutSeconds,
    ZkDetectionTimeout: c.zkDetectionTimeout,
    TTL: c.ttl,
    SRVRecordDefaultWeight: c.srvRecordDefaultWeight,
    Port: c.port,
    Domain: c.domain,
    Resolvers: c.resolvers,
    Timeout: c.timeout,
    Listener: c.listener,
    HTTPListener: c.httpListener,
    Masters: c.masters,
    Zk: redactZk(c.zk),
    HTTPPort: c.httpPort,
    DNSOn: c.dnsOn,
    HTTPOn: c.httpOn,
    ExternalOn: c.externalOn,
    RecurseOn: c.recurseOn,
    EnforceRFC952: c.enforceRFC952,
    SetTruncateBit: c.setTruncateBit,
    EnumerationOn: c.enumerationOn,
    IPSources: c.ipSources,
    SOAMname: `${c.soaMname}.`,
    SOARname: `${c.soaRname}.`,
    SOARefresh: c.soaRefresh,
    SOARetry: c.soaRetry,
    SOAExpire: c.soaExpire,
    SOAMinttl: c.soaMinttl,
    MesosHTTPSOn: false,
    MesosAuthentication: '',
    HealthAware: c.healthAware,
    RequireHealthy: c.requireHealthy,
    PerPortSRV: c.perPortSrv,
    PTROn: c.ptrOn,
  };
}
