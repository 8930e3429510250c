// Encoded replies kept per query, so the hot path of a repeated question is a map lookup and a
// copy instead of decode → answer → encode → compress.
//
// The key is the query's bytes after the id: flags (RD, CD, opcode), counts, the question as the
// client spelled it and its OPT record. Equal keys get equal replies from the same records, so
// nothing needs decoding to find one; one map per transport, as their size limits differ.
//
// Validity. Every change to the records moves the book's generation. A positive answer depends
// only on the records of the names it was built from (the name asked, and the targets of its SRV
// records, whose addresses go in the additional section): it is dropped when the book says one of
// them changed. Every other answer (negative ones carry the SOA serial; NXDOMAIN and NODATA hang on
// which names exist) is dropped on any change, and everything when the book cannot say what changed
// (a full load, or a cache too far behind).
//
// Rotation. The book rotates each record set on every lookup, so an entry collects one reply per
// order (`rotation`) before serving them in turn: the first miss keeps one, the second has the
// rest built at once (a name asked once may never be asked again; one asked twice will be).
import type { RecordLookup } from '../records/dns-record';
import type { QueryEvent } from './query-event';

/** Replies for record sets with more orders than this are built every time. */
export const MAX_ROTATION = 32;
/** Queries longer than this are not cached (their keys would be as long). */
export const MAX_CACHED_QUERY_BYTES = 512;

export interface AnswerCacheLimits {
  /** Bytes of keys and replies together; the oldest entries go first beyond it. */
  readonly maxBytes: number;
}

export const DEFAULT_ANSWER_CACHE_LIMITS: AnswerCacheLimits = { maxBytes: 64 * 1024 * 1024 };

interface Entry {
  readonly replies: Buffer[];
  readonly rotation: number;
  readonly event: QueryEvent;
  /** The names whose records the answer was built from; undefined: it depends on more than records. */
  readonly builtFrom: readonly string[] | undefined;
  next: number;
  bytes: number;
}

/** The book's state the cache was filled from, and what changed in it since. */
export type RecordsVersion = Pick<RecordLookup, 'generation' | 'changedNames'>;

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  /** Keys of the entries built from each name's records. */
  private readonly keysByName = new Map<string, Set<string>>();
  /** Keys of the entries dropped on any change. */
  private readonly anyChange = new Set<string>();
  private bytes = 0;
  private generation = Number.NaN;

  constructor(private readonly limits: AnswerCacheLimits = DEFAULT_ANSWER_CACHE_LIMITS) {}

  /** Drops what the records changed since the cache was last asked. */
  follow(version: RecordsVersion): void {
    if (version.generation === this.generation) return;
    const changed = Number.isNaN(this.generation) ? undefined : version.changedNames(this.generation);
    this.generation = version.generation;
    if (changed === undefined) {
      this.entries.clear();
      this.keysByName.clear();
      this.anyChange.clear();
      this.bytes = 0;
      return;
    }
    for (const key of this.anyChange) this.drop(key);
    for (const name of changed) {
      const keys = this.keysByName.get(name);
      if (keys) for (const key of keys) this.drop(key);
    }
  }

  /** A reply to serve (not to be modified: copy it), or undefined when it has to be built. */
  take(key: string): { readonly reply: Buffer; readonly event: QueryEvent } | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.replies.length < entry.rotation) return undefined;
    const reply = entry.replies[entry.next];
    entry.next = (entry.next + 1) % entry.rotation;
    return { reply, event: entry.event };
  }

  /**
   * Keeps a freshly built reply under `key` (built from the generation last followed), unless it
   * rotates through too many orders. Returns how many orders the entry still lacks
   * when it already held one before (0 on a first reply, when complete, or when not kept): the
   * caller may build them at once, as a query asked twice will be asked again. `served` replies
   * went to a client: the turn continues after them.
   */
  store(key: string, reply: Buffer, rotation: number, event: QueryEvent, builtFrom: readonly string[] | undefined, served = true): number {
    if (rotation > MAX_ROTATION) return 0;
    const entry = this.entries.get(key);
    let missing = 0;
    if (entry) {
      if (entry.replies.length >= entry.rotation) return 0;
      entry.replies.push(reply);
      if (served) entry.next = entry.replies.length % entry.rotation;
      entry.bytes += reply.length;
      this.bytes += reply.length;
      missing = entry.rotation - entry.replies.length;
    } else {
      const bytes = key.length + reply.length;
      this.entries.set(key, { replies: [reply], rotation, event, builtFrom, next: 1 % rotation, bytes });
      this.bytes += bytes;
      if (builtFrom === undefined) {
        this.anyChange.add(key);
      } else {
        for (const name of builtFrom) {
          const keys = this.keysByName.get(name);
          if (keys) keys.add(key);
          else this.keysByName.set(name, new Set([key]));
        }
      }
    }
    this.evictBeyondLimit();
    return missing;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    if (entry.builtFrom === undefined) {
      this.anyChange.delete(key);
      return;
    }
    for (const name of entry.builtFrom) {
      const keys = this.keysByName.get(name);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByName.delete(name);
    }
  }

  private evictBeyondLimit(): void {
    for (const key of this.entries.keys()) {
      if (this.bytes <= this.limits.maxBytes) return;
      this.drop(key);
    }
  }
}

/** The cache key of a query: every byte after the id (latin1 keeps one character per byte). */
export function cacheKeyOf(message: Buffer): string | undefined {
  return message.length <= MAX_CACHED_QUERY_BYTES ? message.toString('latin1', 2) : undefined;
}
