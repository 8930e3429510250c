// Service ports (reference §1.1): `port: 0` (host networking) or `servicePort: 0` (port mappings)
// becomes the lowest free port in --local_port_min..max, unique across the cluster's apps.
import type { AppDefinition } from '@tepui/protocol';
import { ValidationFailed } from '../errors';

export function assignServicePorts(app: AppDefinition, taken: ReadonlySet<number>, range = { min: 10000, max: 20000 }): AppDefinition {
  const used = new Set(taken);
  for (const p of app.portDefinitions) used.add(p.port);
  for (const m of app.container?.portMappings ?? []) used.add(m.servicePort ?? 0);
  let next = range.min;
  const pick = (): number => {
    while (used.has(next) && next <= range.max) next += 1;
    if (next > range.max) throw new ValidationFailed('Object is not valid', [{ path: '/', errors: [`All service ports in ${range.min}-${range.max} are taken`] }]);
    used.add(next);
    return next;
  };
  if (app.networks.every((n) => n.mode === 'host')) {
    if (!app.portDefinitions.some((p) => p.port === 0)) return app;
    return { ...app, portDefinitions: app.portDefinitions.map((p) => (p.port === 0 ? { ...p, port: pick() } : p)) };
  }
  const mappings = app.container?.portMappings;
  if (!mappings?.some((m) => (m.servicePort ?? 0) === 0)) return app;
  return { ...app, container: { ...app.container, portMappings: mappings.map((m) => ((m.servicePort ?? 0) === 0 ? { ...m, servicePort: pick() } : m)) } };
}
