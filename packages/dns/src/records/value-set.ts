// The values one name owns for one record type, each with a reference count. Kept in one flat
// array per set (value, port, count, value, port, count, …) rather than an object per value: a
// large cluster has millions of values. Sets past a few dozen values add a hash index, so adding
// and removing stay O(1) for `slave.mesos` or an app with thousands of instances.
import type { DnsRecord } from './dns-record';

const SLOT_SIZE = 3;
/** From this many values a set keeps a hash index instead of scanning. */
const INDEXED_FROM = 32;

const positionKey = (value: string, port: number): string => (port === 0 ? value : `${port} ${value}`);

export class ValueSet {
  /** What lookups built from this set while it had not changed (kept for large sets only). */
  cached: readonly DnsRecord[] | undefined;
  /** Where the next lookup starts (round robin). */
  turn = 0;
  private readonly slots: Array<string | number>;
  private positions: Map<string, number> | undefined;

  /** A set is created with its first value (and its count, when taken over from a lone value). */
  constructor(value: string, port: number, refs = 1) {
    this.slots = [value, port, refs];
  }

  get count(): number {
    return this.slots.length / SLOT_SIZE;
  }

  /** The address or target of the i-th value. */
  valueAt(i: number): string {
    return this.slots[i * SLOT_SIZE] as string;
  }

  /** The SRV port of the i-th value (0 for other types). */
  portAt(i: number): number {
    return this.slots[i * SLOT_SIZE + 1] as number;
  }

  /** Adds one reference; true when the value is new. */
  add(value: string, port: number): boolean {
    const at = this.find(value, port);
    if (at >= 0) {
      this.slots[at + 2] = (this.slots[at + 2] as number) + 1;
      return false;
    }
    const offset = this.slots.length;
    this.slots.push(value, port, 1);
    if (this.positions) this.positions.set(positionKey(value, port), offset);
    else if (this.count >= INDEXED_FROM) this.indexPositions();
    this.cached = undefined;
    return true;
  }

  /** Drops one reference: 'gone' when it was the last, 'missing' when there was none. */
  remove(value: string, port: number): 'kept' | 'gone' | 'missing' {
    const at = this.find(value, port);
    if (at < 0) return 'missing';
    const refs = (this.slots[at + 2] as number) - 1;
    if (refs > 0) {
      this.slots[at + 2] = refs;
      return 'kept';
    }
    // The last value moves into the hole: O(1), and order does not matter (lookups rotate anyway).
    const last = this.slots.length - SLOT_SIZE;
    this.positions?.delete(positionKey(value, port));
    if (at !== last) {
      for (let i = 0; i < SLOT_SIZE; i++) this.slots[at + i] = this.slots[last + i]!;
      this.positions?.set(positionKey(this.slots[at] as string, this.slots[at + 1] as number), at);
    }
    this.slots.length = last;
    this.cached = undefined;
    return 'gone';
  }

  /** Whether both hold the same values (reference counts and order aside). */
  sameValues(other: ValueSet): boolean {
    if (other.count !== this.count) return false;
    for (let at = 0; at < this.slots.length; at += SLOT_SIZE) {
      if (other.find(this.slots[at] as string, this.slots[at + 1] as number) < 0) return false;
    }
    return true;
  }

  private find(value: string, port: number): number {
    if (this.positions) return this.positions.get(positionKey(value, port)) ?? -1;
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += SLOT_SIZE) {
      if (slots[at + 1] === port && slots[at] === value) return at;
    }
    return -1;
  }

  private indexPositions(): void {
    this.positions = new Map();
    for (let at = 0; at < this.slots.length; at += SLOT_SIZE) {
      this.positions.set(positionKey(this.slots[at] as string, this.slots[at + 1] as number), at);
    }
  }
}
