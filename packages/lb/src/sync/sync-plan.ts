// Decides how HAProxy gets from the applied layouts to the desired services. Pure.
//
// Each endpoint keeps its slot for as long as it lives, so a task joining, leaving, failing its
// health check or draining is one Runtime API change on one server, with no reload. A backend that
// outgrows its slots gets more through the Runtime API too where HAProxy can add servers to it
// (`growsAtRuntime`); elsewhere that, and any change of frontends or backends, needs a reload,
// whose text then carries every endpoint. Slot counts grow with headroom so the next scale-up fits.
import type { BackendLayout } from '../model/layout';
import type { Endpoint, Service } from '../model/service';

export type RuntimeChange =
  /** Give a free slot an endpoint's address and let it take traffic (or drain, if KILLING). */
  | { readonly kind: 'fill'; readonly backend: string; readonly slot: number; readonly endpoint: Endpoint; readonly checked: boolean }
  /** The endpoint is KILLING: finish its sessions, send it no new ones. */
  | { readonly kind: 'drain'; readonly backend: string; readonly slot: number }
  /** The endpoint is gone (or unhealthy): the slot takes no traffic and is free again. */
  | { readonly kind: 'free'; readonly backend: string; readonly slot: number }
  /** A new free slot in a running backend (before any fill of it). */
  | { readonly kind: 'add'; readonly backend: string; readonly slot: number; readonly service: Service };

export interface SyncPlan {
  /** The layouts once the plan is applied, sorted by backend name. */
  readonly layouts: readonly BackendLayout[];
  /** Why a reload is needed; empty when the runtime changes are enough. */
  readonly reloadReasons: readonly string[];
  /**
   * The reload only gives backends more slots: every frontend and backend stays as HAProxy already
   * runs them, so the text differs from a checked one by server-template ranges alone.
   */
  readonly slotGrowthOnly: boolean;
  /** Runtime API changes; empty when reloading (the new text carries everything). */
  readonly changes: readonly RuntimeChange[];
}

export interface SlotPolicy {
  /** Slots every backend starts with. */
  readonly minSlots: number;
  /** A new backend gets its endpoints × headroom slots, rounded up to a power of two. */
  readonly headroom: number;
  /**
   * A backend that outgrows its slots is scaling up: it gets needed × growth, so the rest of the
   * scale-up fits without another reload.
   */
  readonly growth: number;
}

export const DEFAULT_SLOT_POLICY: SlotPolicy = { minSlots: 8, headroom: 1.5, growth: 4 };

/**
 * `shapeKey` says what a reload must follow: anything about a backend other than which endpoint
 * fills which slot (config/config-shape.ts gives it).
 */
export function planSync(
  applied: ReadonlyMap<string, BackendLayout>,
  desired: readonly Service[],
  shapeKey: (layout: BackendLayout) => string,
  policy: SlotPolicy = DEFAULT_SLOT_POLICY,
  growsAtRuntime: (service: Service) => boolean = () => false,
): SyncPlan {
  const reasons: string[] = [];
  let reshaped = false;
  const changes: RuntimeChange[] = [];
  const layouts: BackendLayout[] = [];
  const wanted = new Set(desired.map((s) => s.backend));
  for (const backend of applied.keys()) if (!wanted.has(backend)) reasons.push(`backend ${backend} removed`);
  reshaped = reasons.length > 0;

  for (const service of [...desired].sort((a, b) => compare(a.backend, b.backend))) {
    const previous = applied.get(service.backend);
    // The very Service object planned last time: its app has not changed since (the controller
    // recomputes only the apps that did), so neither has its layout.
    if (previous?.service === service) {
      layouts.push(previous);
      continue;
    }
    if (!previous) {
      reasons.push(`backend ${service.backend} added`);
      reshaped = true;
      layouts.push({ service, slots: freshSlots(service.endpoints, slotCount(service.endpoints.length, service.plannedEndpoints ?? 0, 0, policy)) });
      continue;
    }
    const kept = keepSlots(previous, service);
    const sameShape = shapeKey({ service, slots: previous.slots }) === shapeKey(previous);
    if (!sameShape) {
      reasons.push(`backend ${service.backend} changed`);
      reshaped = true;
    }
    const needed = countFilled(kept.slots) + kept.overflow.length;
    const planned = service.plannedEndpoints ?? 0;
    if (kept.overflow.length > 0 || planned > previous.slots.length) {
      const grown = [...kept.slots];
      const size = slotCount(needed, planned, previous.slots.length, policy);
      while (grown.length < size) grown.push(undefined);
      layouts.push({ service, slots: grown });
      if (sameShape && growsAtRuntime(service)) {
        changes.push(...kept.changes, ...growAtRuntime(service, previous.slots.length, grown, kept.overflow));
        continue;
      }
      reasons.push(`backend ${service.backend} needs ${Math.max(needed, planned)} slots, has ${previous.slots.length}`);
      placeInFreeSlots(grown, kept.overflow);
      continue;
    }
    layouts.push({ service, slots: kept.slots });
    changes.push(...kept.changes);
  }
  return reasons.length > 0
    ? { layouts, reloadReasons: reasons, slotGrowthOnly: !reshaped, changes: [] }
    : { layouts, reloadReasons: [], slotGrowthOnly: false, changes };
}

interface KeptSlots {
  readonly slots: Array<Endpoint | undefined>;
  readonly changes: RuntimeChange[];
  /** New endpoints that found no free slot. */
  readonly overflow: Endpoint[];
}

function keepSlots(previous: BackendLayout, service: Service): KeptSlots {
  const backend = service.backend;
  const checked = service.healthCheck !== undefined;
  const byTask = new Map(service.endpoints.map((e) => [e.taskId, e]));
  const slots: Array<Endpoint | undefined> = [...previous.slots];
  const changes: RuntimeChange[] = [];
  const placed = new Set<string>();
  slots.forEach((old, slot) => {
    if (!old) return;
    const now = byTask.get(old.taskId);
    if (!now || now.ip !== old.ip || now.port !== old.port) {
      slots[slot] = undefined;
      changes.push({ kind: 'free', backend, slot });
      return;
    }
    placed.add(now.taskId);
    slots[slot] = now;
    if (now.draining && !old.draining) changes.push({ kind: 'drain', backend, slot });
    // A draining task never becomes ready again in Marathon; should one, it is refilled.
    if (!now.draining && old.draining) changes.push({ kind: 'fill', backend, slot, endpoint: now, checked });
  });
  const overflow: Endpoint[] = [];
  for (const endpoint of service.endpoints) {
    if (placed.has(endpoint.taskId)) continue;
    const slot = slots.indexOf(undefined);
    if (slot < 0) {
      overflow.push(endpoint);
      continue;
    }
    slots[slot] = endpoint;
    changes.push({ kind: 'fill', backend, slot, endpoint, checked });
  }
  return { slots, changes, overflow };
}

/** Adds the slots from `from` on, then fills them with the endpoints that found no free slot. */
function growAtRuntime(service: Service, from: number, grown: Array<Endpoint | undefined>, overflow: readonly Endpoint[]): RuntimeChange[] {
  const backend = service.backend;
  const changes: RuntimeChange[] = [];
  for (let slot = from; slot < grown.length; slot++) changes.push({ kind: 'add', backend, slot, service });
  const checked = service.healthCheck !== undefined;
  for (const endpoint of overflow) {
    const slot = grown.indexOf(undefined);
    grown[slot] = endpoint;
    changes.push({ kind: 'fill', backend, slot, endpoint, checked });
  }
  return changes;
}

function freshSlots(endpoints: readonly Endpoint[], size: number): Array<Endpoint | undefined> {
  const slots: Array<Endpoint | undefined> = new Array<Endpoint | undefined>(size).fill(undefined);
  endpoints.forEach((e, i) => (slots[i] = e));
  return slots;
}

function placeInFreeSlots(slots: Array<Endpoint | undefined>, endpoints: readonly Endpoint[]): void {
  for (const endpoint of endpoints) slots[slots.indexOf(undefined)] = endpoint;
}

/**
 * Slots for `needed` endpoints now and `planned` ones soon: never fewer than now, a power of two
 * with headroom — or with growth, when the endpoints outgrew the slots before the plan said so.
 */
export function slotCount(needed: number, planned: number, current: number, policy: SlotPolicy): number {
  const surprise = current > 0 && needed > current && needed > planned;
  const target = Math.max(policy.minSlots, Math.ceil(planned * policy.headroom), Math.ceil(needed * (surprise ? policy.growth : policy.headroom)));
  let size = policy.minSlots;
  while (size < target) size *= 2;
  return Math.max(size, current);
}

function countFilled(slots: ReadonlyArray<Endpoint | undefined>): number {
  return slots.reduce((n, s) => (s ? n + 1 : n), 0);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
