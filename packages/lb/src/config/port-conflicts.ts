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
  // Holders by port: one lookup per service instead of a scan of every holder (this runs on every
  // sync, over every service).
  const holders = new Map<number, Array<{ address: string; holder: string }>>();
  const hold = (port: number, address: string, holder: string) => {
    const list = holders.get(port);
    if (list) list.push({ address, holder });
    else holders.set(port, [{ address, holder }]);
  };
  hold(settings.httpPort, settings.bindAddress, 'the HTTP vhost frontend');
  hold(settings.appIdPort, settings.bindAddress, 'the app-id frontend');
  if (settings.sslCerts.length > 0) hold(settings.httpsPort, settings.bindAddress, 'the HTTPS vhost frontend');
  if (settings.statsPort > 0) hold(settings.statsPort, settings.bindAddress, 'the stats page');
  const kept: Service[] = [];
  const excluded: ExcludedApp[] = [];
  const ordered = [...services].sort((a, b) => (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : a.portIndex - b.portIndex));
  for (const service of ordered) {
    const taken = holders.get(service.servicePort)?.find((h) => overlaps(h.address, service.bindAddress));
    if (taken !== undefined) {
      excluded.push({ appId: service.appId, portIndex: service.portIndex, reason: `port ${service.servicePort} is already bound by ${taken.holder}` });
      continue;
    }
    hold(service.servicePort, service.bindAddress, `${service.appId} (port index ${service.portIndex})`);
    kept.push(service);
  }
  return { services: kept, excluded };
}

const ANY_ADDRESS = new Set(['*', '0.0.0.0', '::', '']);

/** Two binds of one port collide unless both name different specific addresses. */
function overlaps(a: string, b: string): boolean {
  return a === b || ANY_ADDRESS.has(a) || ANY_ADDRESS.has(b);
}
