// One Tepui-DNS process: the record book fed by the master follower, the DNS server and the HTTP API
// reading it, and the metrics. Wiring only; every decision lives in the parts.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { masterDetector, parseMasterLocation, type LeaderDetector } from '@tepui/coordination';
import type { MasterInfo } from '@tepui/protocol';
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { DnsConfig } from './config/dns-config';
import { HostResolver, interfaceAddresses, systemResolvers } from './host-network';
import { createDnsHttpApi } from './http/dns-http-api';
import { DnsMetrics } from './http/dns-metrics';
import { RecordChangeNotifier } from './http/record-watch';
import { RecordBook } from './records/record-book';
import { DnsServer } from './serving';
import { MasterFollower } from './state/master-follower';

export interface RunningDnsService {
  readonly dnsPort?: number;
  readonly httpPort?: number;
  stop(): Promise<void>;
}

/** Mesos-DNS fills an empty resolver list from /etc/resolv.conf when forwarding is on. */
export function effectiveConfig(config: DnsConfig): DnsConfig {
  if (!config.externalOn || config.resolvers.length > 0) return config;
  return { ...config, resolvers: systemResolvers() };
}

export async function startDnsService(given: DnsConfig, log: Logger, onFatal: (reason: string) => void): Promise<RunningDnsService> {
  const config = effectiveConfig(given);
  if (config.externalOn && config.resolvers.length === 0) log.warn('forwarding is on but no resolvers are configured or in /etc/resolv.conf: names outside the domain get REFUSED');
  const changes = new RecordChangeNotifier();
  const hosts = new HostResolver(() => {
    book.refreshAddresses();
    changes.changed();
  });
  const book = new RecordBook({ config, resolveHost: hosts.resolve, interfaceAddresses: interfaceAddresses(), now: Date.now });
  const detector: LeaderDetector<MasterInfo> | undefined = config.zk === ''
    ? undefined
    : masterDetector(parseMasterLocation(config.zk), { sessionTimeoutMs: 10_000, log: log.child({ component: 'zookeeper' }) });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = new DnsMetrics(registry, () => book, () => follower.status());
  const dns = config.dnsOn ? new DnsServer({ config, records: book, observer: (q) => metrics.observe(q), log: log.child({ component: 'dns-server' }) }) : undefined;
  let dnsListening = !dns;
  // As Mesos-DNS: no DNS until the first state is loaded, so that nobody caches an empty domain's NXDOMAIN.
  let firstLoad!: () => void;
  const loaded = new Promise<void>((resolve) => (firstLoad = resolve));
  const follower = new MasterFollower({
    load: (state, leader) => {
      const started = performance.now();
      const summary = book.load(state, leader);
      log.info({ ...summary, ms: Math.round(performance.now() - started) }, 'state loaded from the master');
      firstLoad();
      changes.changed();
    },
    apply: (event) => {
      book.apply(event);
      changes.changed();
    },
  }, {
    masters: config.masters, detector, refreshSeconds: config.refreshSeconds, stateTimeoutSeconds: config.stateTimeoutSeconds,
    zkDetectionTimeoutSeconds: config.zkDetectionTimeout, onNoLeader: onFatal, log: log.child({ component: 'master-follower' }),
  });
  follower.start();

  let http: Server | undefined;
  try {
    if (config.httpOn) {
      http = createDnsHttpApi({
        config, lookup: () => book, status: () => follower.status(), registry, enumerate: () => book.enumerate(), axfrRecords: () => book.axfr(),
        ready: () => dnsListening && follower.status().lastSyncMs !== undefined, changes: changes.subscribe,
      });
      await new Promise<void>((resolve, reject) => {
        http!.once('error', reject);
        http!.listen(config.httpPort, config.httpListener, resolve);
      });
    }
    if (dns) {
      await loaded;
      await dns.start();
      dnsListening = true;
    }
  } catch (err) {
    follower.stop();
    await dns?.stop();
    await detector?.close();
    throw err;
  }
  log.info({ dns: dns ? `${config.listener}:${dns.port}` : null, http: http ? `${config.httpListener}:${(http.address() as AddressInfo).port}` : null, domain: config.domain }, 'Tepui-DNS serving');
  return {
    ...(dns ? { dnsPort: dns.port } : {}),
    ...(http ? { httpPort: (http.address() as AddressInfo).port } : {}),
    async stop() {
      follower.stop();
      await dns?.stop();
      if (http) {
        http.closeAllConnections();
        await new Promise((resolve) => http!.close(resolve));
      }
      await detector?.close();
    },
  };
}
