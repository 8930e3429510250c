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

/** The agents' scalar totals by name (ports are ranges, not scalars): the denominator of every dominant share. */
export function shareTotals(agents: readonly AgentRow[], excluded: readonly string[]): Amounts {
  const out: Record<string, number> = {};
  for (const agent of agents) {
    for (const [name, v] of Object.entries(agent.total)) if (name !== 'ports' && !excluded.includes(name)) out[name] = (out[name] ?? 0) + v;
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

/** A framework as the page keeps it between reads; its share is derived from `used`. */
export type FrameworkHolding = Omit<FrameworkRow, 'dominantShare'>;

/** What a task holds, so a terminal update can give it back without reading the state again. */
export interface TaskHolding {
  readonly agentId: string;
  readonly frameworkId: string;
  readonly amounts: Amounts;
  /** Not yet terminal: its resources count as used. */
  readonly live: boolean;
}

/** The page's copy of the master's state: read from /master/state, then patched by events. */
export interface ClusterState {
  readonly agents: readonly AgentRow[];
  readonly frameworks: readonly FrameworkHolding[];
  /** By `<framework id>/<task id>`. */
  readonly tasks: ReadonlyMap<string, TaskHolding>;
  readonly outstandingOffers: number;
  readonly excludedFromSharing: readonly string[];
}

const TERMINAL_STATES = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR']);

/** Mesos' isTerminalState (include/mesos/type_utils.hpp). */
export function isTerminalTaskState(state: string): boolean {
  return TERMINAL_STATES.has(state);
}

export const taskKey = (frameworkId: string, taskId: string): string => `${frameworkId}/${taskId}`;

export function sortAgents(agents: readonly AgentRow[]): AgentRow[] {
  return [...agents].sort((a, b) => (a.hostname === b.hostname ? (a.id < b.id ? -1 : 1) : a.hostname < b.hostname ? -1 : 1));
}

function excludedNames(state: JsonRecord): string[] {
  return stringOf(recordOf(state.flags).fair_sharing_excluded_resource_names).split(',').map((s) => s.trim()).filter(Boolean);
}

function frameworkHolding(value: unknown): FrameworkHolding | undefined {
  if (!isRecord(value) || typeof value.id !== 'string') return undefined;
  const roles = Array.isArray(value.roles) ? value.roles.map((r) => stringOf(r)).filter(Boolean) : [stringOf(value.role, '*')];
  const live = arrayOf(value.tasks).filter((t) => !isTerminalTaskState(stringOf(recordOf(t).state)));
  return {
    id: value.id, name: stringOf(value.name), roles, active: value.active === true, used: amountsOf(value.used_resources),
    tasks: live.length, offers: arrayOf(value.offers).length,
  };
}

/** GET /master/state (parsed, not trusted) as the page keeps it. */
export function decodeClusterState(state: unknown): ClusterState {
  const s = recordOf(state);
  const agents = sortAgents(arrayOf(s.slaves).filter(isRecord).map((a) => ({
    id: stringOf(a.id), hostname: stringOf(a.hostname), active: a.active !== false, used: amountsOf(a.used_resources), total: amountsOf(a.resources),
  })));
  const frameworks = arrayOf(s.frameworks).map(frameworkHolding).filter((f): f is FrameworkHolding => f !== undefined);
  const tasks = new Map<string, TaskHolding>();
  for (const framework of arrayOf(s.frameworks).filter(isRecord)) {
    for (const task of arrayOf(framework.tasks).filter(isRecord)) {
      const frameworkId = stringOf(task.framework_id, stringOf(framework.id));
      tasks.set(taskKey(frameworkId, stringOf(task.id)), {
        agentId: stringOf(task.slave_id), frameworkId, amounts: amountsOf(task.resources), live: !isTerminalTaskState(stringOf(task.state)),
      });
    }
  }
  return { agents, frameworks, tasks, outstandingOffers: frameworks.reduce((n, f) => n + f.offers, 0), excludedFromSharing: excludedNames(s) };
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

/** The page's view: the kept state with shares derived, and `roles` (GET /master/roles, parsed, not trusted). */
export function clusterView(state: ClusterState, roles: unknown): ClusterView {
  const totals = shareTotals(state.agents, state.excludedFromSharing);
  return {
    agents: state.agents,
    frameworks: state.frameworks.map((f) => ({ ...f, dominantShare: dominantShare(f.used, totals) })),
    roles: arrayOf(recordOf(roles).roles).map((r) => roleRow(r, totals)).filter((r): r is RoleRow => r !== undefined),
    total: sum(state.agents.map((a) => a.total)),
    used: sum(state.agents.map((a) => a.used)),
    outstandingOffers: state.outstandingOffers,
    excludedFromSharing: state.excludedFromSharing,
  };
}

/** `state`: GET /master/state; `roles`: GET /master/roles (both parsed, not trusted). */
export function buildClusterView(state: unknown, roles: unknown): ClusterView {
  return clusterView(decodeClusterState(state), roles);
}

/** 0.1234 → "12.3%". */
export function formatShare(share: number): string {
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}
