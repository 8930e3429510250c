// Two frontends on one port pass `haproxy -c`, and HAProxy binds both (SO_REUSEPORT): the kernel
// then splits one port's connections between two apps. Marathon keeps service ports unique, but
// HAPROXY_{n}_PORT and the LB's own ports can still collide, so collisions are found here, across
// apps, before rendering.
import type { ExcludedApp, LbSettings, Service } from '../model/service';

export interface PortClaims {
  readonly services: Service[];
  readonly excluded: ExcludedApp[];
}

/**
 * Keeps, for each port, the service that sorts first by (appId, portIndex), so the outcome does
 * not depend on arrival order; the others are excluded naming who holds the port. The LB's own
 * ports (vhost, app-id, stats) are never given away.
 */
export function excludePortConflicts(services: readonly Service[], settings: LbSettings): PortClaims {
  const own: Array<[string, number]> = [['the HTTP vhost frontend', settings.httpPort], ['the app-id frontend', settings.appIdPort]];
  if (settings.sslCerts.length > 0) own.push(['the HTTPS vhost frontend', settings.httpsPort]);
  if (settings.statsPort > 0) own.push(['the stats page', settings.statsPort]);
  const holders = own.map(([holder, port]) => ({ address: settings.bindAddress, port, holder }));
  const kept: Service[] = [];
  const excluded: ExcludedApp[] = [];
  const ordered = [...services].sort((a, b) => (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : a.portIndex - b.portIndex));
  for (const service of ordered) {
    const taken = holders.find((h) => h.port === service.servicePort && overlaps(h.address, service.bindAddress));
    if (taken !== undefined) {
      excluded.push({ appId: service.appId, portIndex: service.portIndex, reason: `port ${service.servicePort} is already bound by ${taken.holder}` });
      continue;
    }
    holders.push({ address: service.bindAddress, port: service.servicePort, holder: `${service.appId} (port index ${service.portIndex})` });
    kept.push(service);
  }
  return { services: kept, excluded };
}

const ANY_ADDRESS = new Set(['*', '0.0.0.0', '::', '']);

/** Two binds of one port collide unless both name different specific addresses. */
function overlaps(a: string, b: string): boolean {
  return a === b || ANY_ADDRESS.has(a) || ANY_ADDRESS.has(b);
}
