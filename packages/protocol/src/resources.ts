// Mesos resource arithmetic (src/common/resources.cpp semantics): immutable bags of resources
// where "the same resource" (name, type, role/reservations, allocation role, disk, revocable,
// shared, provider) merges, scalars are fixed-point with three decimals, ranges and sets are sets.
import type { Range, Resource } from './mesos/values';
import { formatRanges, normalizeRanges, parseRanges, rangesContain, rangesDifference, rangesUnion } from './ranges';

export class InvalidResourceError extends Error {
  constructor(message: string, readonly resource?: unknown) {
    super(message);
    this.name = 'InvalidResourceError';
  }
}

interface Entry {
  /** Identity without the allocation role, so re-allocating an entry is a string join. */
  readonly idKey: string;
  readonly key: string;
  /** The identity fields of the resource, without its value or allocation role (shared, never mutated). */
  readonly base: Resource;
  readonly role: string | undefined;
  /** Scalar value in thousandths (Mesos' fixed point). */
  readonly milli: number;
  readonly ranges: readonly Range[];
  readonly set: readonly string[];
}

const toMilli = (v: number): number => Math.round(v * 1000);

function identity(r: Resource): Resource {
  const base: Resource = { name: r.name, type: r.type };
  if (r.role !== undefined) base.role = r.role;
  if (r.reservation !== undefined) base.reservation = r.reservation;
  if (r.reservations !== undefined && r.reservations.length > 0) base.reservations = r.reservations;
  if (r.disk !== undefined) base.disk = r.disk;
  if (r.revocable !== undefined) base.revocable = {};
  if (r.shared !== undefined) base.shared = {};
  if (r.provider_id !== undefined) base.provider_id = r.provider_id;
  return base;
}

function idKeyOf(r: Resource): string {
  const role = r.role === undefined || (r.role === '*' && !r.reservations?.length) ? '*' : r.role;
  const simple = r.reservation === undefined && !r.reservations?.length && r.disk === undefined && r.provider_id === undefined;
  if (simple) return `${r.name}\u0001${r.type}\u0001${role}\u0001${r.revocable !== undefined ? 1 : 0}${r.shared !== undefined ? 1 : 0}`;
  return JSON.stringify([
    r.name, r.type, role, r.reservation ?? null, r.reservations?.length ? r.reservations : null, r.disk ?? null,
    r.revocable !== undefined, r.shared !== undefined, r.provider_id?.value ?? null,
  ]);
}

function keyWithRole(idKey: string, allocationRole: string | undefined): string {
  return allocationRole === undefined ? idKey : `${idKey}\u0002${allocationRole}`;
}

/** A human message for the first problem in `list`, or undefined when every resource is well-formed. */
function problem(r: Resource): string | undefined {
  if (typeof r.name !== 'string' || r.name === '') return 'Resource name must not be empty';
  switch (r.type) {
    case 'SCALAR': {
      const v = r.scalar?.value;
      if (typeof v !== 'number' || Number.isNaN(v)) return `Scalar resource '${r.name}' has no numeric value`;
      if (v < 0) return `Scalar resource '${r.name}' has a negative value ${v}`;
      if (!Number.isFinite(v)) return `Scalar resource '${r.name}' has an infinite value`;
      return r.ranges || r.set ? `Scalar resource '${r.name}' must not have ranges or a set` : undefined;
    }
    case 'RANGES': {
      if (!r.ranges) return `Ranges resource '${r.name}' has no ranges`;
      for (const range of r.ranges.range ?? []) {
        if (!Number.isInteger(range.begin) || !Number.isInteger(range.end) || range.begin < 0) return `Ranges resource '${r.name}' has an invalid range`;
        if (range.begin > range.end) return `Ranges resource '${r.name}' has a range with begin ${range.begin} > end ${range.end}`;
      }
      return r.scalar || r.set ? `Ranges resource '${r.name}' must not have a scalar or a set` : undefined;
    }
    case 'SET': {
      if (!r.set) return `Set resource '${r.name}' has no set`;
      if (new Set(r.set.item ?? []).size !== (r.set.item ?? []).length) return `Set resource '${r.name}' has duplicate items`;
      return r.scalar || r.ranges ? `Set resource '${r.name}' must not have a scalar or ranges` : undefined;
    }
    default:
      return `Resource '${r.name}' has unknown type '${String(r.type)}'`;
  }
}

function entryOf(r: Resource): Entry {
  const idKey = idKeyOf(r);
  return {
    idKey,
    key: keyWithRole(idKey, r.allocation_info?.role),
    base: identity(r),
    role: r.allocation_info?.role,
    milli: r.type === 'SCALAR' ? toMilli(r.scalar!.value) : 0,
    ranges: r.type === 'RANGES' ? normalizeRanges(r.ranges!.range ?? []) : [],
    set: r.type === 'SET' ? [...new Set(r.set!.item ?? [])].sort() : [],
  };
}

function isEmptyEntry(e: Entry): boolean {
  switch (e.base.type) {
    case 'SCALAR':
      return e.milli <= 0;
    case 'RANGES':
      return e.ranges.length === 0;
    case 'SET':
      return e.set.length === 0;
  }
}

/** A copy of `a` with a new value; a literal of fixed shape, cheaper than spreading on hot paths. */
function withValue(a: Entry, milli: number, ranges: readonly Range[], set: readonly string[]): Entry {
  return { idKey: a.idKey, key: a.key, base: a.base, role: a.role, milli, ranges, set };
}

function combine(a: Entry, b: Entry, sign: 1 | -1): Entry {
  switch (a.base.type) {
    case 'SCALAR':
      return withValue(a, Math.max(0, a.milli + sign * b.milli), a.ranges, a.set);
    case 'RANGES':
      return withValue(a, a.milli, sign > 0 ? rangesUnion(a.ranges, b.ranges) : rangesDifference(a.ranges, b.ranges), a.set);
    case 'SET': {
      const other = new Set(b.set);
      return withValue(a, a.milli, a.ranges, sign > 0 ? [...new Set([...a.set, ...b.set])].sort() : a.set.filter((i) => !other.has(i)));
    }
  }
}

function entryContains(outer: Entry, inner: Entry): boolean {
  switch (outer.base.type) {
    case 'SCALAR':
      return outer.milli >= inner.milli;
    case 'RANGES':
      return rangesContain(outer.ranges, inner.ranges);
    case 'SET': {
      const have = new Set(outer.set);
      return inner.set.every((i) => have.has(i));
    }
  }
}

function toWire(e: Entry): Resource {
  const b = e.base;
  const r: Resource = { name: b.name, type: b.type };
  if (b.type === 'SCALAR') r.scalar = { value: e.milli / 1000 };
  else if (b.type === 'RANGES') r.ranges = { range: e.ranges.map((x) => ({ begin: x.begin, end: x.end })) };
  else r.set = { item: [...e.set] };
  if (b.role !== undefined) r.role = b.role;
  if (e.role !== undefined) r.allocation_info = { role: e.role };
  if (b.reservation !== undefined) r.reservation = b.reservation;
  if (b.reservations !== undefined) r.reservations = b.reservations;
  if (b.disk !== undefined) r.disk = b.disk;
  if (b.revocable !== undefined) r.revocable = {};
  if (b.shared !== undefined) r.shared = {};
  if (b.provider_id !== undefined) r.provider_id = b.provider_id;
  return r;
}

function compareEntries(a: Entry, b: Entry): number {
  if (a.base.name !== b.base.name) return a.base.name < b.base.name ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function reservationRoleOf(r: Resource): string {
  if (r.reservations && r.reservations.length > 0) return r.reservations[r.reservations.length - 1]!.role ?? '*';
  return r.role === undefined ? '*' : r.role;
}

export class Resources {
  static readonly EMPTY = new Resources(new Map());
  private cachedScalars?: ReadonlyMap<string, number>;

  private constructor(private readonly entries: ReadonlyMap<string, Entry>) {}

  static of(list: readonly Resource[]): Resources {
    const entries = new Map<string, Entry>();
    for (const r of list) {
      const why = problem(r);
      if (why) throw new InvalidResourceError(why, r);
      const e = entryOf(r);
      if (isEmptyEntry(e)) continue;
      const existing = entries.get(e.key);
      entries.set(e.key, existing ? combine(existing, e, 1) : e);
    }
    return entries.size === 0 ? Resources.EMPTY : new Resources(entries);
  }

  /** A message for the first malformed resource in `list`, or undefined. */
  static validate(list: readonly Resource[]): string | undefined {
    for (const r of list) {
      const why = problem(r);
      if (why) return why;
    }
    return undefined;
  }

  static reservationRole(r: Resource): string {
    return reservationRoleOf(r);
  }

  /** Mesos `--resources` syntax (`cpus:4;mem:4096;ports:[31000-32000];bugs(debug):{a,b}`) or a JSON array. */
  static parse(text: string, defaultRole = '*'): Resources {
    const trimmed = text.trim();
    if (trimmed.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed);
      } catch (err) {
        throw new InvalidResourceError(`Failed to parse resources JSON: ${(err as Error).message}`);
      }
      if (!Array.isArray(parsed)) throw new InvalidResourceError('Resources JSON must be an array of Resource objects');
      return Resources.of(parsed as Resource[]);
    }
    const list: Resource[] = [];
    for (const token of trimmed.split(';').map((t) => t.trim()).filter(Boolean)) {
      const m = /^([^():]+)(?:\(([^()]*)\))?:(.+)$/.exec(token);
      if (!m) throw new InvalidResourceError(`Bad resource '${token}': expected name[(role)]:value`);
      const name = m[1]!.trim();
      const role = m[2]?.trim() || defaultRole;
      const value = m[3]!.trim();
      let r: Resource;
      if (value.startsWith('[')) {
        const ranges = parseRanges(value);
        if (!ranges) throw new InvalidResourceError(`Bad ranges '${value}' for resource '${name}'`);
        r = { name, type: 'RANGES', ranges: { range: ranges } };
      } else if (value.startsWith('{')) {
        if (!value.endsWith('}')) throw new InvalidResourceError(`Bad set '${value}' for resource '${name}'`);
        const items = value.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean);
        r = { name, type: 'SET', set: { item: items } };
      } else {
        const n = Number(value);
        if (value === '' || !Number.isFinite(n) || n < 0) throw new InvalidResourceError(`Bad scalar '${value}' for resource '${name}'`);
        r = { name, type: 'SCALAR', scalar: { value: n } };
      }
      r.role = role;
      list.push(r);
    }
    return Resources.of(list);
  }

  get size(): number {
    return this.entries.size;
  }

  isEmpty(): boolean {
    return this.entries.size === 0;
  }

  toArray(): Resource[] {
    return [...this.entries.values()]
      .sort(compareEntries)
      .map(toWire);
  }

  plus(other: Resources): Resources {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const entries = new Map(this.entries);
    for (const e of other.entries.values()) {
      const existing = entries.get(e.key);
      entries.set(e.key, existing ? combine(existing, e, 1) : e);
    }
    return new Resources(entries);
  }

  minus(other: Resources): Resources {
    if (other.isEmpty() || this.isEmpty()) return this;
    const entries = new Map(this.entries);
    for (const e of other.entries.values()) {
      const existing = entries.get(e.key);
      if (!existing) continue;
      const left = combine(existing, e, -1);
      if (isEmptyEntry(left)) entries.delete(e.key);
      else entries.set(e.key, left);
    }
    return entries.size === 0 ? Resources.EMPTY : new Resources(entries);
  }

  contains(other: Resources): boolean {
    for (const e of other.entries.values()) {
      const mine = this.entries.get(e.key);
      if (!mine || !entryContains(mine, e)) return false;
    }
    return true;
  }

  equals(other: Resources): boolean {
    return this.entries.size === other.entries.size && this.contains(other) && other.contains(this);
  }

  scalar(name: string): number {
    return this.scalars().get(name) ?? 0;
  }

  scalars(): ReadonlyMap<string, number> {
    if (!this.cachedScalars) {
      const milli = new Map<string, number>();
      for (const e of this.entries.values()) {
        if (e.base.type === 'SCALAR') milli.set(e.base.name, (milli.get(e.base.name) ?? 0) + e.milli);
      }
      this.cachedScalars = new Map([...milli].map(([k, v]) => [k, v / 1000]));
    }
    return this.cachedScalars;
  }

  ranges(name: string): Range[] {
    let out: Range[] = [];
    for (const e of this.entries.values()) if (e.base.name === name && e.base.type === 'RANGES') out = rangesUnion(out, e.ranges);
    return out;
  }

  set(name: string): string[] {
    const out = new Set<string>();
    for (const e of this.entries.values()) if (e.base.name === name && e.base.type === 'SET') e.set.forEach((i) => out.add(i));
    return [...out].sort();
  }

  names(): string[] {
    return [...new Set([...this.entries.values()].map((e) => e.base.name))].sort();
  }

  filter(pred: (r: Resource) => boolean): Resources {
    const entries = new Map<string, Entry>();
    for (const e of this.entries.values()) if (pred(toWire(e))) entries.set(e.key, e);
    return entries.size === this.entries.size ? this : entries.size === 0 ? Resources.EMPTY : new Resources(entries);
  }

  /** The same resources with every entry's allocation role replaced (undefined removes it). */
  private withAllocationRole(role: string | undefined): Resources {
    const entries = new Map<string, Entry>();
    for (const e of this.entries.values()) {
      const moved: Entry = { idKey: e.idKey, key: keyWithRole(e.idKey, role), base: e.base, role, milli: e.milli, ranges: e.ranges, set: e.set };
      const existing = entries.get(moved.key);
      entries.set(moved.key, existing ? combine(existing, moved, 1) : moved);
    }
    return entries.size === 0 ? Resources.EMPTY : new Resources(entries);
  }

  allocate(role: string): Resources {
    return this.withAllocationRole(role);
  }

  unallocate(): Resources {
    return this.withAllocationRole(undefined);
  }

  allocationRoles(): string[] {
    return [...new Set([...this.entries.values()].flatMap((e) => (e.role === undefined ? [] : [e.role])))].sort();
  }

  unreserved(): Resources {
    return this.filter((r) => reservationRoleOf(r) === '*');
  }

  reserved(role?: string): Resources {
    return this.filter((r) => {
      const reservedTo = reservationRoleOf(r);
      return reservedTo !== '*' && (role === undefined || reservedTo === role);
    });
  }

  revocable(): Resources {
    return this.filter((r) => r.revocable !== undefined);
  }

  nonRevocable(): Resources {
    return this.filter((r) => r.revocable === undefined);
  }

  toString(): string {
    return this.toArray()
      .map((r) => {
        const role = reservationRoleOf(r);
        const name = role === '*' ? r.name : `${r.name}(${role})`;
        if (r.type === 'SCALAR') return `${name}:${r.scalar!.value}`;
        if (r.type === 'RANGES') return `${name}:${formatRanges(r.ranges!.range, ',')}`;
        return `${name}:{${r.set!.item.join(',')}}`;
      })
      .join(';');
  }

  /** The flat object /master/state shows: cpus/gpus/mem/disk always, ranges and sets as strings. */
  toStateJson(): Record<string, number | string> {
    const scalars = new Map<string, number>([['cpus', 0], ['gpus', 0], ['mem', 0], ['disk', 0]]);
    const ranges = new Map<string, Range[]>();
    const sets = new Map<string, Set<string>>();
    for (const e of this.entries.values()) {
      const name = e.base.revocable !== undefined ? `${e.base.name}_revocable` : e.base.name;
      if (e.base.type === 'SCALAR') scalars.set(name, (scalars.get(name) ?? 0) + e.milli);
      else if (e.base.type === 'RANGES') ranges.set(name, rangesUnion(ranges.get(name) ?? [], e.ranges));
      else {
        const s = sets.get(name) ?? new Set<string>();
        e.set.forEach((i) => s.add(i));
        sets.set(name, s);
      }
    }
    const out: Record<string, number | string> = {};
    for (const [name, milli] of scalars) out[name] = milli / 1000;
    for (const [name, r] of ranges) out[name] = formatRanges(r);
    for (const [name, s] of sets) out[name] = `{${[...s].sort().join(', ')}}`;
    return out;
  }
}
