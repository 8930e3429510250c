import type { FrameworkInfo, FrameworkUpdate, MinAllocatable } from './allocator-types';

/** The key of a (framework, role) pair in filters and allocations; '\n' appears in neither id. */
export function frameworkRoleKey(frameworkId: string, role: string): string {
  return `${frameworkId}\n${role}`;
}

/** Inverse of `frameworkRoleKey`: [frameworkId, role]. */
export function splitFrameworkRoleKey(key: string): [string, string] {
  const at = key.indexOf('\n');
  return [key.slice(0, at), key.slice(at + 1)];
}

/** What the allocator knows about one framework. */
export class FrameworkState {
  roles: ReadonlySet<string>;
  suppressed: Set<string>;
  active: boolean;
  multiRole: boolean;
  revocable: boolean;
  private minAllocatable: ReadonlyMap<string, MinAllocatable>;
  /** role → agents where the framework holds resources allocated under that role. */
  private readonly holdings = new Map<string, Set<string>>();
  /** role → frameworkRoleKey, so hot paths reuse one string (and its cached hash). */
  private readonly keys = new Map<string, string>();

  constructor(
    readonly id: string,
    info: FrameworkInfo,
  ) {
    this.roles = new Set(info.roles);
    this.suppressed = new Set(info.suppressedRoles ?? []);
    this.active = info.active;
    this.multiRole = info.multiRole ?? false;
    this.revocable = info.revocable ?? false;
    this.minAllocatable = info.minAllocatable ?? new Map();
  }

  update(info: FrameworkUpdate): void {
    this.roles = new Set(info.roles);
    this.suppressed = new Set(info.suppressedRoles ?? []);
    this.multiRole = info.multiRole ?? false;
    this.revocable = info.revocable ?? false;
    this.minAllocatable = info.minAllocatable ?? new Map();
  }

  keyFor(role: string): string {
    let key = this.keys.get(role);
    if (key === undefined) this.keys.set(role, (key = frameworkRoleKey(this.id, role)));
    return key;
  }

  /** The framework takes part in the role's allocation: active, subscribed and not suppressed. */
  wantsOffers(role: string): boolean {
    return this.active && this.roles.has(role) && !this.suppressed.has(role);
  }

  minAllocatableFor(role: string, fallback: MinAllocatable): MinAllocatable {
    return this.minAllocatable.get(role) ?? fallback;
  }

  holdsIn(role: string): boolean {
    return (this.holdings.get(role)?.size ?? 0) > 0;
  }

  /** Roles it is subscribed to or still holds resources under. */
  trackedRoles(): Set<string> {
    const roles = new Set(this.roles);
    for (const role of this.holdings.keys()) roles.add(role);
    return roles;
  }

  agentsHolding(role: string): ReadonlySet<string> {
    return this.holdings.get(role) ?? new Set();
  }

  noteHolding(role: string, agentId: string): void {
    let agents = this.holdings.get(role);
    if (agents === undefined) this.holdings.set(role, (agents = new Set()));
    agents.add(agentId);
  }

  dropHolding(role: string, agentId: string): void {
    const agents = this.holdings.get(role);
    if (agents === undefined) return;
    agents.delete(agentId);
    if (agents.size === 0) this.holdings.delete(role);
  }
}
