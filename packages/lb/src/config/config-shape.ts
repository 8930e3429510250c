// What of a backend needs a reload to change. The Runtime API can put any endpoint into any slot
// (address, port, weight, enable/disable), so which endpoints fill which slots is left out; every
// other field of the service, and the number of slots, shapes haproxy.cfg.
import type { BackendLayout } from '../model/layout';

/** Equal keys ⇒ the layouts differ at most in slot contents (a Runtime API change, no reload). */
export function configShapeKey(layout: BackendLayout): string {
  // Every field but the endpoints and how many are planned (they size the slots, which are counted),
  // so a field added to Service later is covered without a change here.
  const { endpoints: _endpoints, plannedEndpoints: _planned, ...shape } = layout.service;
  return stableJson({ ...shape, slotCount: layout.slots.length });
}

/** JSON with object keys sorted, so the key does not depend on how the service was built. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
