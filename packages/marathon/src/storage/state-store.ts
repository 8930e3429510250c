// Where Marathon keeps everything that must survive a restart: apps and their versions,
// deployments, instances, the framework id. A flat key space of `/`-separated paths holding JSON
// documents, so the same interface maps onto files (the embedded default) and ZooKeeper znodes.

export class StateStoreError extends Error {
  constructor(message: string, readonly key?: string) {
    super(message);
    this.name = 'StateStoreError';
  }
}

/** One write of a batch. */
export type StoreOp = { put: string; value: unknown } | { delete: string };

export interface StateStore {
  get<T>(key: string): Promise<T | undefined>;
  /** Writes atomically: a reader sees the old document or the new one, never a mix. */
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** The direct children of `prefix` (names, not full keys), sorted. */
  children(prefix: string): Promise<string[]>;
  /** Applies writes and deletes together: after a crash either all or none are visible. */
  batch(ops: readonly StoreOp[]): Promise<void>;
  close(): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9._:@-]+$/;

/** Keys are `/a/b/c` with safe segments; ids containing `/` (app paths) must be encoded first. */
export function checkKey(key: string): string[] {
  if (!key.startsWith('/')) throw new StateStoreError(`State key '${key}' must start with '/'`, key);
  const parts = key.split('/').slice(1);
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..' || !SEGMENT.test(part)) throw new StateStoreError(`State key '${key}' has an invalid segment '${part}'`, key);
  }
  return parts;
}

/** `/prod/web` → `prod.web`-safe segment: app ids are paths, store segments are not. */
export function encodeSegment(id: string): string {
  return encodeURIComponent(id).replace(/%/g, '@');
}

export function decodeSegment(segment: string): string {
  return decodeURIComponent(segment.replace(/@/g, '%'));
}

/**
 * A copy of the stored state a standby keeps current, so that once elected it loads from memory.
 * Only stores shared by several Marathons have one (ZooKeeper); reads never depend on it.
 */
export interface StandbyStateCache {
  /** Starts following the stored state (a standby). */
  follow(): void;
  /** Stops following and drops the copy (this Marathon leads and has loaded); what it served. */
  release(): { readonly nodes: number; readonly hits: number; readonly misses: number };
}
