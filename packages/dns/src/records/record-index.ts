// The records being served, counted: a record that several contributors make (two tasks behind one
// address, every agent's `_slave._tcp` SRV) is added by each and stays until the last one takes it
// back. Adding or removing is O(1) per record, so an event costs only the records it changes.
// Lookups build record objects on demand (reusing them for large sets) and rotate their order on
// every call, so clients that take the first answer spread over all of them.
import type { DnsRecord, RecordLookup, RecordSink, RecordType } from './dns-record';
import { ValueSet } from './value-set';

export interface RecordIndexOptions {
  /** Epoch milliseconds; the serial is the Unix second of the last change. */
  readonly now: () => number;
  /** SRV weight (`srvRecordDefaultWeight`); SRV priority is always 0, as in Mesos-DNS. */
  readonly srvWeight: number;
  /** Serial to start from (a rebuilt index never goes back in time). */
  readonly serial?: number;
  /** Generation to start from (a rebuilt index goes on from its predecessor's). */
  readonly generation?: number;
}

/** From this many values lookups reuse the records they built instead of building them per call. */
const CACHED_FROM = 8;
const NO_RECORDS: readonly DnsRecord[] = Object.freeze([]);
/** Generations of changed names kept; a cache further behind starts over. */
const MAX_LOGGED_CHANGES = 1024;
/** Changed names kept, over those generations (a change can touch thousands: an agent going). */
const MAX_LOGGED_NAMES = 100_000;

/**
 * An address or PTR name with one value counted once (every instance's canonical name: most names)
 * is stored as that value alone, without a set; it becomes a set on a second value or reference.
 */
type Stored = ValueSet | string;

const addressType = (ip: string): RecordType => (ip.includes(':') ? 'AAAA' : 'A');
const RECORD_TYPES: readonly RecordType[] = ['A', 'AAAA', 'SRV', 'PTR'];

/** The same records, however stored (a lone value is a set of one). */
function sameStored(a: Stored, b: Stored): boolean {
  if (typeof a === 'string' || typeof b === 'string') {
    const lone = typeof a === 'string' ? a : b;
    const other = typeof a === 'string' ? b : a;
    return typeof other === 'string' ? other === lone : other.count === 1 && other.valueAt(0) === lone && other.portAt(0) === 0;
  }
  return a.sameValues(b);
}

export class RecordIndex implements RecordLookup {
  /** Adds one reference to each record put in. */
  readonly adding: RecordSink;
  /** Takes back one reference to each record put in. */
  readonly removing: RecordSink;
  /** One map per type rather than one entry per name holding four: most names own one type only. */
  private readonly byType: Readonly<Record<RecordType, Map<string, Stored>>> = {
    A: new Map(), AAAA: new Map(), SRV: new Map(), PTR: new Map(),
  };
  /**
   * For each name, how many of its direct children exist (own records, or children of their own):
   * a name with none of its own but some below it is an empty non-terminal (`_tcp.marathon.mesos`),
   * which exists (NODATA, not NXDOMAIN: RFC 8020 resolvers take NXDOMAIN to mean nothing below).
   * Kept per level, so a new name usually costs one increment: its parent exists already.
   */
  private readonly childCounts = new Map<string, number>();
  private records = 0;
  private serialSeconds: number;
  private changes: number;
  private unstamped = false;
  private missingRemovals = 0;
  /**
   * The names whose records changed at each generation, oldest first and bounded, so caches of
   * answers drop only what a change touched. An index's first stamp starts the log rather than
   * entering every name in it; a load carries the replaced index's log on (`stampLoad`).
   */
  private readonly changeLog: Array<ReadonlySet<string>> = [];
  private loggedNames = 0;
  private logging = false;
  private touched = new Set<string>();

  constructor(private readonly options: RecordIndexOptions) {
    this.serialSeconds = options.serial ?? 0;
    this.changes = options.generation ?? 0;
    this.adding = {
      address: (name, ip) => this.add(name, addressType(ip), ip, 0),
      srv: (name, target, port) => this.add(name, 'SRV', target, port),
      ptr: (name, target) => this.add(name, 'PTR', target, 0),
    };
    this.removing = {
      address: (name, ip) => this.remove(name, addressType(ip), ip, 0),
      srv: (name, target, port) => this.remove(name, 'SRV', target, port),
      ptr: (name, target) => this.remove(name, 'PTR', target, 0),
    };
  }

  /** Unix seconds of the last change, as of the last `stamp()`. */
  get serial(): number {
    return this.serialSeconds;
  }

  /**
   * Dates the changes made since the last stamp (if any) with the clock's current second. Called
   * once per batch of changes (a load, an event) rather than per record: a load makes millions.
   */
  stamp(): void {
    if (!this.unstamped) return;
    this.unstamped = false;
    this.changes++;
    this.serialSeconds = Math.max(this.serialSeconds, Math.floor(this.options.now() / 1000));
    if (this.logging) this.logChange();
    this.logging = true;
  }

  /**
   * Stamps a full load built aside (a generation on from `previous`, even if nothing differs) and
   * carries on `previous`'s log with the names whose records differ between the two: a periodic
   * resync that changes little then costs caches little. Past the log's bound, caches start over.
   */
  stampLoad(previous: RecordIndex): void {
    this.logging = false;
    this.unstamped = true;
    this.stamp();
    if (!previous.logging || this.changes !== previous.changes + 1) return;
    const differing = this.namesDifferingFrom(previous, MAX_LOGGED_NAMES);
    if (differing === undefined) return;
    this.changeLog.push(...previous.changeLog);
    this.loggedNames = previous.loggedNames;
    this.touched = differing;
    this.logChange();
  }

  /** Names owning different records here and in `other` (any type); undefined past `limit` of them. */
  private namesDifferingFrom(other: RecordIndex, limit: number): Set<string> | undefined {
    const differing = new Set<string>();
    for (const type of RECORD_TYPES) {
      const mine = this.byType[type];
      const theirs = other.byType[type];
      for (const [name, stored] of mine) {
        const before = theirs.get(name);
        if (before !== undefined && sameStored(stored, before)) continue;
        differing.add(name);
        if (differing.size > limit) return undefined;
      }
      for (const name of theirs.keys()) {
        if (mine.has(name)) continue;
        differing.add(name);
        if (differing.size > limit) return undefined;
      }
    }
    return differing;
  }

  private logChange(): void {
    this.changeLog.push(this.touched);
    this.loggedNames += this.touched.size;
    this.touched = new Set();
    while (this.changeLog.length > MAX_LOGGED_CHANGES || (this.loggedNames > MAX_LOGGED_NAMES && this.changeLog.length > 1)) {
      this.loggedNames -= this.changeLog.shift()!.size;
    }
  }

  /**
   * The names whose records changed after generation `since`, or undefined when this index cannot
   * tell (it was built after `since`, or that is further back than it remembers).
   */
  changedNames(since: number): Iterable<string> | undefined {
    const first = this.changes - this.changeLog.length;
    if (!this.logging || since < first || since > this.changes) return undefined;
    const names = new Set<string>();
    for (let i = since - first; i < this.changeLog.length; i++) for (const name of this.changeLog[i]) names.add(name);
    return names;
  }

  get generation(): number {
    return this.changes;
  }

  /** Distinct records, however many contributors each has. */
  get size(): number {
    return this.records;
  }

  /** Removals of records that were not there: 0 unless a contributor lost track of what it added. */
  get unmatchedRemovals(): number {
    return this.missingRemovals;
  }

  /** Whether `name` owns records or has names below it that do. */
  exists(name: string): boolean {
    return this.ownsRecords(name) || this.childCounts.has(name);
  }

  private ownsRecords(name: string): boolean {
    const { A, AAAA, SRV, PTR } = this.byType;
    return A.has(name) || AAAA.has(name) || SRV.has(name) || PTR.has(name);
  }

  /** `name` came into existence: each ancestor that did not exist before does now. */
  private appeared(name: string): void {
    for (let child = name, dot = child.indexOf('.'); dot >= 0; dot = child.indexOf('.')) {
      const parent = child.slice(dot + 1);
      const before = this.childCounts.get(parent) ?? 0;
      this.childCounts.set(parent, before + 1);
      if (before > 0 || this.ownsRecords(parent)) return;
      child = parent;
    }
  }

  /** `name` no longer exists: each ancestor left with nothing goes too. */
  private vanished(name: string): void {
    for (let child = name, dot = child.indexOf('.'); dot >= 0; dot = child.indexOf('.')) {
      const parent = child.slice(dot + 1);
      const after = (this.childCounts.get(parent) ?? 1) - 1;
      if (after > 0) this.childCounts.set(parent, after);
      else this.childCounts.delete(parent);
      if (after > 0 || this.ownsRecords(parent)) return;
      child = parent;
    }
  }

  lookup(name: string, type: RecordType): readonly DnsRecord[] {
    const stored = this.byType[type].get(name);
    if (stored === undefined) return NO_RECORDS;
    if (typeof stored === 'string') return [this.record(name, type, stored, 0)];
    const count = stored.count;
    const cached = stored.cached;
    const records = cached ?? this.build(name, type, stored);
    if (count >= CACHED_FROM) stored.cached = records;
    if (count === 1) return cached ? records.slice() : records;
    const start = stored.turn % count;
    stored.turn = (start + 1) % count;
    if (start === 0) return count >= CACHED_FROM ? records.slice() : records;
    return records.slice(start).concat(records.slice(0, start));
  }

  /** Every name owning records of `type`, with its values: addresses, PTR targets, SRV `target:port`. */
  *entries(type: RecordType): IterableIterator<[string, string[]]> {
    for (const [name, stored] of this.byType[type]) {
      if (typeof stored === 'string') {
        yield [name, [stored]];
        continue;
      }
      const values: string[] = [];
      for (let i = 0; i < stored.count; i++) {
        values.push(type === 'SRV' ? `${stored.valueAt(i)}:${stored.portAt(i)}` : stored.valueAt(i));
      }
      yield [name, values];
    }
  }

  private add(name: string, type: RecordType, value: string, port: number): void {
    const map = this.byType[type];
    const stored = map.get(name);
    if (stored === undefined) {
      const existed = this.exists(name);
      map.set(name, type === 'SRV' ? new ValueSet(value, port) : value);
      if (!existed) this.appeared(name);
    } else if (typeof stored === 'string') {
      // A second reference, to the same value or another: the lone value becomes a set.
      const set = new ValueSet(stored, 0);
      map.set(name, set);
      if (!set.add(value, port)) return;
    } else if (!stored.add(value, port)) {
      return;
    }
    this.records++;
    this.changed(name);
  }

  private changed(name: string): void {
    this.unstamped = true;
    if (this.logging) this.touched.add(name);
  }

  private remove(name: string, type: RecordType, value: string, port: number): void {
    const map = this.byType[type];
    const stored = map.get(name);
    let outcome: 'kept' | 'gone' | 'missing' = 'missing';
    if (typeof stored === 'string') outcome = stored === value ? 'gone' : 'missing';
    else if (stored !== undefined) outcome = stored.remove(value, port);
    if (outcome === 'missing') this.missingRemovals++;
    if (outcome !== 'gone') return;
    this.records--;
    if (typeof stored === 'string' || stored?.count === 0) {
      map.delete(name);
      if (!this.exists(name)) this.vanished(name);
    }
    this.changed(name);
  }

  private build(name: string, type: RecordType, set: ValueSet): DnsRecord[] {
    const records: DnsRecord[] = [];
    for (let i = 0; i < set.count; i++) records.push(this.record(name, type, set.valueAt(i), set.portAt(i)));
    return records;
  }

  private record(name: string, type: RecordType, value: string, port: number): DnsRecord {
    switch (type) {
      case 'A':
      case 'AAAA':
        return { name, type, address: value };
      case 'PTR':
        return { name, type, target: value };
      case 'SRV':
        return { name, type, srv: { priority: 0, weight: this.options.srvWeight, port, target: value } };
    }
  }
}
