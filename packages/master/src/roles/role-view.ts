// What /master/roles and GET_ROLES report for each role (Mesos' knownRoles() and
// RoleResourceBreakdown, src/master/master.cpp): pure functions of the frameworks' holdings, the
// agents' reservations and the current weights.
import { Resources, type Resource } from '@tepui/protocol';

/** Mesos' DEFAULT_WEIGHT (src/master/constants.hpp). */
export const DEFAULT_WEIGHT = 1;

/** Resource name → quantity: scalars summed, ranges and sets counted (ResourceQuantities::fromResources). */
export type Quantities = Record<string, number>;

export interface FrameworkHoldings {
  readonly id: string;
  /** Roles the framework subscribes with. */
  readonly roles: readonly string[];
  /** Resources its tasks and executors use (allocated form, carrying allocation_info.role). */
  readonly used: Resources;
  /** Resources in its outstanding offers (allocated form). */
  readonly offered: Resources;
}

export interface RoleViewInput {
  readonly weights: ReadonlyMap<string, number>;
  readonly frameworks: readonly FrameworkHoldings[];
  /** Each registered agent's total resources (for reservations). */
  readonly agentTotals: readonly Resources[];
}

export interface RoleView {
  readonly name: string;
  readonly weight: number;
  /** Frameworks subscribed to the role or holding resources in it. */
  readonly frameworks: readonly string[];
  readonly allocated: Quantities;
  readonly offered: Quantities;
  readonly reserved: Quantities;
  /** Quota consumption: allocated plus unallocated reservations of the subtree. */
  readonly consumed: Quantities;
}

/** `a/b/c` → `a/b`, `a`. */
export function roleAncestors(role: string): string[] {
  const out: string[] = [];
  for (let i = role.lastIndexOf('/'); i > 0; i = role.lastIndexOf('/', i - 1)) out.push(role.slice(0, i));
  return out;
}

function inSubtree(role: string | undefined, root: string): boolean {
  return role !== undefined && (role === root || role.startsWith(`${root}/`));
}

const roundMilli = (n: number): number => Math.round(n * 1000) / 1000;

export function quantities(resources: readonly Resource[]): Quantities {
  const sums = new Map<string, number>();
  for (const r of resources) {
    let amount = 0;
    if (r.type === 'SCALAR') amount = Number(r.scalar?.value ?? 0);
    else if (r.type === 'RANGES') amount = (r.ranges?.range ?? []).reduce((n, range) => n + range.end - range.begin + 1, 0);
    else if (r.type === 'SET') amount = r.set?.item.length ?? 0;
    sums.set(r.name, (sums.get(r.name) ?? 0) + amount);
  }
  return Object.fromEntries([...sums.keys()].sort().map((name) => [name, roundMilli(sums.get(name)!)]));
}

export function addQuantities(a: Quantities, b: Quantities): Quantities {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return Object.fromEntries(names.map((n) => [n, roundMilli((a[n] ?? 0) + (b[n] ?? 0))]));
}

function subtractQuantities(a: Quantities, b: Quantities): Quantities {
  return Object.fromEntries(Object.entries(a).map(([n, v]) => [n, Math.max(0, roundMilli(v - (b[n] ?? 0)))]).filter(([, v]) => v !== 0));
}

const allocatedTo = (resources: Resources, root: string): Resource[] =>
  resources.toArray().filter((r) => inSubtree(r.allocation_info?.role, root));

const reservedTo = (resources: Resources, root: string): Resource[] =>
  resources.toArray().filter((r) => Resources.reservationRole(r) !== '*' && inSubtree(Resources.reservationRole(r), root));

/** Roles with frameworks or holdings, reservation roles, roles with a weight, and all their ancestors; sorted. */
export function knownRoles(input: RoleViewInput): string[] {
  const roles = new Set<string>();
  for (const fw of input.frameworks) {
    for (const role of fw.roles) roles.add(role);
    for (const role of fw.used.plus(fw.offered).allocationRoles()) roles.add(role);
  }
  for (const total of input.agentTotals) {
    for (const r of total.toArray()) if (Resources.reservationRole(r) !== '*') roles.add(Resources.reservationRole(r));
  }
  for (const role of input.weights.keys()) roles.add(role);
  for (const role of [...roles]) for (const ancestor of roleAncestors(role)) roles.add(ancestor);
  return [...roles].sort();
}

export function roleViews(input: RoleViewInput): RoleView[] {
  return knownRoles(input).map((name) => {
    const frameworks = input.frameworks
      .filter((fw) => fw.roles.includes(name) || fw.used.plus(fw.offered).allocationRoles().includes(name))
      .map((fw) => fw.id)
      .sort();
    const used = input.frameworks.flatMap((fw) => allocatedTo(fw.used, name));
    const allocated = quantities(used);
    const offered = quantities(input.frameworks.flatMap((fw) => allocatedTo(fw.offered, name)));
    const reserved = quantities(input.agentTotals.flatMap((total) => reservedTo(total, name)));
    const usedReserved = quantities(used.filter((r) => inSubtree(Resources.reservationRole(r), name)));
    return {
      name,
      weight: input.weights.get(name) ?? DEFAULT_WEIGHT,
      frameworks,
      allocated,
      offered,
      reserved,
      consumed: addQuantities(allocated, subtractQuantities(reserved, usedReserved)),
    };
  });
}
