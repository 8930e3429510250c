// When is an app "changed", and is the change only a scale? Marathon compares app definitions
// field by field; we compare a canonical JSON form (keys sorted, undefined dropped), so two equal
// definitions that were built in a different key order (parsed vs. stored) are still equal.
// Every scale-versus-restart question in Marathon is answered from here.
import type { AppDefinition } from '@tepui/protocol';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries: Array<[string, unknown]> = Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (v !== undefined) out[key] = canonical(v);
  return out;
}

const canonicalJson = (value: unknown): string => JSON.stringify(canonical(value));

/** Equal in every field, versions included. */
export function sameDefinition(a: AppDefinition, b: AppDefinition): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}

/**
 * Equal in what the user defines, that is everything but `instances` and the version fields. The
 * group manager asks this of a requested change: if so, it is a scale and keeps lastConfigChangeAt.
 */
export function sameRunSpec(a: AppDefinition, b: AppDefinition): boolean {
  if (a === b) return true;
  const strip = (x: AppDefinition): string => canonicalJson({ ...x, instances: undefined, version: undefined, versionInfo: undefined });
  return strip(a) === strip(b);
}

/**
 * Equal in everything but `instances`, `version` and `versionInfo.lastScalingAt`: the deployment
 * plan's scale-or-restart question about two versioned definitions. A new `lastConfigChangeAt` is a
 * config change even when nothing else differs: that is how POST /v2/apps/{id}/restart asks for
 * every instance to be replaced.
 */
export function sameConfig(a: AppDefinition, b: AppDefinition): boolean {
  return a === b || (sameRunSpec(a, b) && a.versionInfo?.lastConfigChangeAt === b.versionInfo?.lastConfigChangeAt);
}
