// Marathon placement constraints (mesos/Constraints.scala, docs/constraints.md, 1.4–1.10 semantics):
// `[field, OPERATOR, value?]` evaluated against an offer and the app's current instances.
// Pure: a rejected offer is a returned reason, never an exception.
import type { AppDefinition, Attribute, Constraint, Offer } from '@tepui/protocol';

/** Where an instance of the app already sits (or is being launched): what constraints compare against. */
export interface PlacedInstance {
  readonly agentId: string;
  readonly hostname: string;
  readonly attributes: readonly Attribute[];
  /** Fault domain of the agent (Marathon 1.6+ `@region` / `@zone`). */
  readonly region?: string;
  readonly zone?: string;
}

export type ConstraintResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly constraint: Constraint };

const OK: ConstraintResult = { ok: true };

/** The agent an offer is from, in the shape constraints compare (also how a just-planned instance is recorded). */
export function placementOf(offer: Offer): PlacedInstance {
  const fault = offer.domain?.fault_domain;
  return {
    agentId: offer.agent_id.value,
    hostname: offer.hostname,
    attributes: offer.attributes ?? [],
    ...(fault ? { region: fault.region.name, zone: fault.zone.name } : {}),
  };
}

/** Marathon's text for a scalar: at most three decimals, no trailing zeros (`2.50` → `2.5`, `3.0` → `3`). */
export function formatScalar(value: number): string {
  return String(Number(value.toFixed(3)));
}

/** An attribute's value as constraints compare it: scalars formatted, ranges `[b-e,b-e]`, sets `{a,b}` sorted. */
export function constraintValueOf(attr: Attribute): string {
  switch (attr.type) {
    case 'SCALAR':
      return formatScalar(attr.scalar?.value ?? 0);
    case 'RANGES':
      return `[${(attr.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(',')}]`;
    case 'SET':
      return `{${[...(attr.set?.item ?? [])].sort().join(',')}}`;
    case 'TEXT':
      return attr.text?.value ?? '';
  }
}

/** The value of a constraint field on an agent; undefined when the agent lacks it. */
export function fieldValue(field: string, at: PlacedInstance): string | undefined {
  if (field === 'hostname' || field === '@hostname') return at.hostname;
  if (field === '@region') return at.region;
  if (field === '@zone') return at.zone;
  const attr = at.attributes.find((a) => a.name === field);
  return attr === undefined ? undefined : constraintValueOf(attr);
}

/** Java's `String.matches`: the whole value must match. An invalid pattern matches nothing. */
function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** Instances per field value; instances lacking the field count under `undefined`, as Marathon's groupBy does. */
function countByValue(field: string, placed: readonly PlacedInstance[]): Map<string | undefined, number> {
  const counts = new Map<string | undefined, number>();
  for (const p of placed) {
    const v = fieldValue(field, p);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

function describe(c: Constraint): string {
  return c.length === 3 ? `${c[1]} ${c[0]}:${c[2]}` : `${c[1]} ${c[0]}`;
}

function reject(c: Constraint, why: string): ConstraintResult {
  return { ok: false, constraint: c, reason: `${describe(c)}: ${why}` };
}

/** One constraint against an offer (or any agent placement) and the app's current instances. */
export function constraintMet(c: Constraint, at: PlacedInstance, placed: readonly PlacedInstance[]): ConstraintResult {
  const [field, operator, value] = c;
  const offered = fieldValue(field, at);
  if (operator === 'UNLIKE') {
    if (offered === undefined || value === undefined) return OK;
    return fullMatch(value, offered) ? reject(c, `${at.hostname} has ${field}=${offered}`) : OK;
  }
  // Marathon: an offer without the field fails every operator except UNLIKE.
  if (offered === undefined) return reject(c, `${at.hostname} has no ${field}`);
  switch (operator) {
    case 'UNIQUE': {
      const clash = placed.find((p) => fieldValue(field, p) === offered);
      if (!clash) return OK;
      const isHost = field === 'hostname' || field === '@hostname';
      return reject(c, `an instance already runs on ${clash.hostname}${isHost ? '' : ` with ${field}=${offered}`}`);
    }
    case 'CLUSTER': {
      if (value !== undefined && value !== '') {
        return offered === value ? OK : reject(c, `${at.hostname} has ${field}=${offered}`);
      }
      const first = placed.map((p) => fieldValue(field, p)).find((v) => v !== undefined);
      return first === undefined || first === offered ? OK : reject(c, `instances run on ${field}=${first}, offer has ${offered}`);
    }
    case 'GROUP_BY': {
      const minimumGroups = parseCount(value) ?? 0;
      const counts = countByValue(field, placed);
      const mine = counts.get(offered);
      if (mine === undefined) return OK;
      const smallest = Math.min(...counts.values());
      if (counts.size < minimumGroups) return reject(c, `only ${counts.size} of ${minimumGroups} groups used; ${field}=${offered} already has ${mine}`);
      return mine === smallest ? OK : reject(c, `${field}=${offered} has ${mine} instances, the smallest group has ${smallest}`);
    }
    case 'MAX_PER': {
      const max = parseCount(value);
      if (max === undefined) return reject(c, `invalid maximum '${value ?? ''}'`);
      const here = countByValue(field, placed).get(offered) ?? 0;
      return here < max ? OK : reject(c, `${here} instances already run with ${field}=${offered}`);
    }
    case 'LIKE':
      if (value === undefined) return reject(c, 'no pattern');
      return fullMatch(value, offered) ? OK : reject(c, `${at.hostname} has ${field}=${offered}`);
    case 'IS':
      if (value === undefined) return reject(c, 'no value');
      return offered === normaliseIsValue(field, at, value) ? OK : reject(c, `${at.hostname} has ${field}=${offered}`);
    default:
      return reject(c, `unknown operator ${operator}`);
  }
}

/** IS compares scalar attributes as numbers in Marathon's scalar text (`IS 2.50` matches a scalar 2.5). */
function normaliseIsValue(field: string, at: PlacedInstance, value: string): string {
  const attr = at.attributes.find((a) => a.name === field);
  if (attr?.type !== 'SCALAR' || field === 'hostname' || field.startsWith('@')) return value;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? formatScalar(n) : value;
}

/** Every constraint of the app, first failure wins (constraints are a set in Marathon; order is the app's). */
export function constraintsMet(
  app: Pick<AppDefinition, 'constraints'>,
  offer: Offer | PlacedInstance,
  placedInstances: readonly PlacedInstance[],
): ConstraintResult {
  const at = 'agent_id' in offer ? placementOf(offer) : offer;
  for (const c of app.constraints) {
    const r = constraintMet(c, at, placedInstances);
    if (!r.ok) return r;
  }
  return OK;
}

/** Every failing constraint, for "why not placed" reports. */
export function unmetConstraints(
  app: Pick<AppDefinition, 'constraints'>,
  at: PlacedInstance,
  placedInstances: readonly PlacedInstance[],
): Array<Extract<ConstraintResult, { ok: false }>> {
  const out: Array<Extract<ConstraintResult, { ok: false }>> = [];
  for (const c of app.constraints) {
    const r = constraintMet(c, at, placedInstances);
    if (!r.ok) out.push(r);
  }
  return out;
}
