// The cluster page as data, from the leading master's /master/state and /master/roles (read
// through Marathon's proxy). Dominant shares are computed as the master's DRF sorter computes
// them (packages/master/src/allocator/cluster-totals.ts, Mesos' DRFSorter::calculateShare): for
// each scalar resource, the amount held over the cluster's total of it, the largest of those,
// skipping totals ≤ 0 and the names in --fair_sharing_excluded_resource_names. A role's share
// uses the `allocated` /master/roles reports for it; its weighted share (share / weight) is what
// the sorter orders roles by. A framework's share uses its `used_resources`.
import { arrayOf, isRecord, numberOf, recordOf, stringOf, type JsonRecord } from './wire-read';

/** Resource name → amount: scalars as they are, ports counted. */
export type Amounts = Readonly<Record<string, number>>;

export interface AgentRow {
  readonly id: string;
  readonly hostname: string;
  readonly active: boolean;
  readonly used: Amounts;
  readonly total: Amounts;
}

export interface FrameworkRow {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly active: boolean;
  readonly used: Amounts;
  readonly dominantShare: number;
  readonly tasks: number;
  readonly offers: number;
}

export interface RoleRow {
  readonly name: string;
  readonly weight: number;
  readonly allocated: Amounts;
  readonly dominantShare: number;
  /** The share divided by the weight: the key DRF orders roles by. */
  readonly weightedShare: number;
  readonly frameworks: readonly string[];
}

export interface ClusterView {
  readonly agents: readonly AgentRow[];
  readonly frameworks: readonly FrameworkRow[];
  readonly roles: readonly RoleRow[];
  /** The agents' totals and used amounts summed. */
  readonly total: Amounts;
  readonly used: Amounts;
  readonly outstandingOffers: number;
  readonly excludedFromSharing: readonly string[];
}

/** The resources the tables show, in this order. */
export const SHOWN_RESOURCES = ['cpus', 'mem', 'disk', 'ports'] as const;

/** `[31000-31002, 31005-31005]` → 4. */
export function countRanges(text: string): number {
  let count = 0;
  for (const m of text.matchAll(/(\d+)\s*-\s*(\d+)/g)) count += Math.max(0, Number(m[2]) - Number(m[1]) + 1);
  return count;
}

/** A state-JSON resources object (`{cpus: 4, mem: 4096, ports: "[…]"}`) as amounts. */
export function amountsOf(value: unknown): Amounts {
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(recordOf(value))) {
    if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
    else if (typeof v === 'string' && name === 'ports') out[name] = countRanges(v);
  }
  return out;
}

function sum(list: readonly Amounts[]): Amounts {
  const out: Record<string, number> = {};
  for (const amounts of list) for (const [name, v] of Object.entries(amounts)) out[name] = (out[name] ?? 0) + v;
  return out;
}

/** The agents' scalar totals by name: the denominator of every dominant share. */
export function shareTotals(agents: readonly unknown[], excluded: readonly string[]): Amounts {
  const out: Record<string, number> = {};
  for (const agent of agents) {
    for (const [name, v] of Object.entries(recordOf(recordOf(agent).resources))) {
      // Only scalars count (ports are ranges), as in the master's ClusterTotals.
      if (typeof v === 'number' && !excluded.includes(name)) out[name] = (out[name] ?? 0) + v;
    }
  }
  return out;
}

export function dominantShare(held: Amounts, totals: Amounts): number {
  let share = 0;
  for (const [name, amount] of Object.entries(held)) {
    const total = totals[name];
    if (total === undefined || total <= 0) continue;
    share = Math.max(share, amount / total);
  }
  return share;
}

function excludedNames(state: JsonRecord): string[] {
  return stringOf(recordOf(state.flags).fair_sharing_excluded_resource_names).split(',').map((s) => s.trim()).filter(Boolean);
}

function frameworkRow(value: unknown, totals: Amounts): FrameworkRow | undefined {
  if (!isRecord(value) || typeof value.id !== 'string') return undefined;
  const used = amountsOf(value.used_resources);
  const roles = Array.isArray(value.roles) ? value.roles.map((r) => stringOf(r)).filter(Boolean) : [stringOf(value.role, '*')];
  return {
    id: value.id, name: stringOf(value.name), roles, active: value.active === true, used,
    dominantShare: dominantShare(used, totals), tasks: arrayOf(value.tasks).length, offers: arrayOf(value.offers).length,
  };
}

function roleRow(value: unknown, totals: Amounts): RoleRow | undefined {
  if (!isRecord(value) || typeof value.name !== 'string') return undefined;
  const allocated = amountsOf(value.allocated);
  const weight = numberOf(value.weight, 1);
  const share = dominantShare(allocated, totals);
  return {
    name: value.name, weight, allocated, dominantShare: share, weightedShare: weight > 0 ? share / weight : 0,
    frameworks: arrayOf(value.frameworks).map((f) => stringOf(f)).filter(Boolean),
  };
}

/** `state`: GET /master/state; `roles`: GET /master/roles (both parsed, not trusted). */
export function buildClusterView(state: unknown, roles: unknown): ClusterView {
  const s = recordOf(state);
  const slaves = arrayOf(s.slaves);
  const excluded = excludedNames(s);
  const totals = shareTotals(slaves, excluded);
  const agents = slaves.filter(isRecord).map((a) => ({
    id: stringOf(a.id), hostname: stringOf(a.hostname), active: a.active !== false, used: amountsOf(a.used_resources), total: amountsOf(a.resources),
  })).sort((a, b) => (a.hostname === b.hostname ? (a.id < b.id ? -1 : 1) : a.hostname < b.hostname ? -1 : 1));
  const frameworks = arrayOf(s.frameworks).map((f) => frameworkRow(f, totals)).filter((f): f is FrameworkRow => f !== undefined);
  return {
    agents,
    frameworks,
    roles: arrayOf(recordOf(roles).roles).map((r) => roleRow(r, totals)).filter((r): r is RoleRow => r !== undefined),
    total: sum(agents.map((a) => a.total)),
    used: sum(agents.map((a) => a.used)),
    outstandingOffers: frameworks.reduce((n, f) => n + f.offers, 0),
    excludedFromSharing: excluded,
  };
}

/** 0.1234 → "12.3%". */
export function formatShare(share: number): string {
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}
