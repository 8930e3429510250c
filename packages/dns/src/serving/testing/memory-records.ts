// A RecordLookup for tests and benchmarks of the serving code: records added by hand, rotated on
// each lookup like the record book's index, with a serial and size that change as records do.
import type { DnsRecord, RecordLookup, RecordType } from '../../records/dns-record';

export class MemoryRecords implements RecordLookup {
  private readonly sets = new Map<string, DnsRecord[]>();
  private readonly turns = new Map<string, number>();
  private count = 0;
  private serialSeconds: number;
  /** The names each change touched, by generation - 1 (a new serial touches none). */
  private readonly changes: string[][] = [];
  /** Generations before this one have unknown changes. */
  private forgotten = 0;

  constructor(serial = 1_700_000_000) {
    this.serialSeconds = serial;
  }

  /** Set by tests; `add` and `remove` leave it alone so tests decide what time a change has. */
  get serial(): number {
    return this.serialSeconds;
  }

  set serial(seconds: number) {
    this.serialSeconds = seconds;
    this.changes.push([]);
  }

  get generation(): number {
    return this.changes.length;
  }

  changedNames(since: number): Iterable<string> | undefined {
    return since >= this.forgotten && since <= this.changes.length ? this.changes.slice(since).flat() : undefined;
  }

  /** From now on, what changed before is unknown (as after a rebuild of the book). */
  forgetChanges(): this {
    this.forgotten = this.changes.length + 1;
    return this;
  }

  get size(): number {
    return this.count;
  }

  a(name: string, ...addresses: string[]): this {
    for (const address of addresses) this.add({ name, type: address.includes(':') ? 'AAAA' : 'A', address });
    return this;
  }

  srv(name: string, target: string, port: number, weight = 1): this {
    return this.add({ name, type: 'SRV', srv: { priority: 0, weight, port, target } });
  }

  ptr(name: string, target: string): this {
    return this.add({ name, type: 'PTR', target });
  }

  add(record: DnsRecord): this {
    const key = `${record.type} ${record.name}`;
    const set = this.sets.get(key) ?? [];
    set.push(record);
    this.sets.set(key, set);
    this.count++;
    this.changes.push([record.name]);
    return this;
  }

  /** Drops every record of `type` owned by `name`. */
  remove(name: string, type: RecordType): this {
    const key = `${type} ${name}`;
    this.count -= this.sets.get(key)?.length ?? 0;
    this.sets.delete(key);
    this.changes.push([name]);
    return this;
  }

  lookup(name: string, type: RecordType): readonly DnsRecord[] {
    const key = `${type} ${name}`;
    const set = this.sets.get(key);
    if (!set) return [];
    const start = (this.turns.get(key) ?? 0) % set.length;
    this.turns.set(key, start + 1);
    return start === 0 ? set.slice() : set.slice(start).concat(set.slice(0, start));
  }

  exists(name: string): boolean {
    return (['A', 'AAAA', 'SRV', 'PTR'] as const).some((type) => this.sets.has(`${type} ${name}`));
  }
}
