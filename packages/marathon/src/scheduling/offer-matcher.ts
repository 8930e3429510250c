// Matches one Mesos offer against one app (Marathon's ResourceMatcher + Constraints, reference §10):
// as many instances as the offer holds, up to `needed`, each taking cpus/mem/disk/gpus and host ports
// only from resources whose role the app accepts, and each re-checking the constraints against the
// instances planned before it. Pure: randomness (dynamic ports) comes from the injected `random`.
import {
  Resources,
  rangesDifference,
  rangesSize,
  normalizeRanges,
  type AppDefinition,
  type Constraint,
  type ContainerPortMapping,
  type Offer,
  type Range,
  type Resource,
} from '@tepui/protocol';
import { placementOf, unmetConstraints, type PlacedInstance } from './constraints';

/** Why an offer did not (or no longer) fit an instance, named as Marathon's NoOfferMatchReason. */
export type RejectionReason =
  | { readonly reason: 'UnfulfilledRole'; readonly message: string; readonly acceptedRoles: readonly string[] }
  | { readonly reason: 'UnfulfilledConstraint'; readonly message: string; readonly constraint: Constraint }
  | {
      readonly reason: 'InsufficientCpus' | 'InsufficientMemory' | 'InsufficientDisk' | 'InsufficientGpus';
      readonly message: string;
      readonly requested: number;
      readonly available: number;
    }
  | { readonly reason: 'InsufficientPorts'; readonly message: string; readonly missing: readonly number[]; readonly dynamicShort: number };

export type RejectionKind = RejectionReason['reason'];

export interface PlannedInstance {
  readonly offerId: string;
  readonly agentId: string;
  readonly hostname: string;
  /** The allocation role the resources were offered to (Offer.allocation_info.role). */
  readonly allocationRole?: string;
  /** Exactly what to put in TaskInfo.resources; a sub-bag of the offer. */
  readonly resources: readonly Resource[];
  /**
   * One entry per port definition (host networking) or container port mapping (other networks):
   * the host port taken, or undefined for a mapping without a host port.
   */
  readonly hostPorts: ReadonlyArray<number | undefined>;
  /** The instance as constraints see it from now on. */
  readonly placement: PlacedInstance;
}

export interface MatchInput {
  readonly app: AppDefinition;
  readonly offer: Offer;
  /** The app's current instances, including ones being launched. */
  readonly placed: readonly PlacedInstance[];
  /** Instances still to launch. */
  readonly needed: number;
  /** The role the app runs under (app.role or `--mesos_role`); accepted by default next to `*`. */
  readonly role?: string;
  readonly random: () => number;
  /** Marathon's `--max_instances_per_offer` (5); unlimited when omitted. */
  readonly maxInstancesPerOffer?: number;
}

export interface MatchResult {
  readonly launches: PlannedInstance[];
  /** Why the next instance did not fit; empty when `needed` (or the per-offer cap) was reached. */
  readonly rejections: RejectionReason[];
}

/** Host port asked of the offer, per port definition / mapping: 0 = any, n = exactly n, undefined = none. */
export function hostPortRequests(app: AppDefinition): Array<number | undefined> {
  if (isHostNetworking(app)) {
    return app.portDefinitions.map((d) => (app.requirePorts ? d.port : 0));
  }
  const bridge = app.networks.some((n) => n.mode === 'container/bridge');
  // Reference §1: in bridge mode a missing hostPort means 0 (dynamic).
  return portMappingsOf(app).map((m) => m.hostPort ?? (bridge ? 0 : undefined));
}

export function isHostNetworking(app: Pick<AppDefinition, 'networks'>): boolean {
  return app.networks.every((n) => n.mode === 'host');
}

/** `container.portMappings` (1.5+), or the deprecated `container.docker.portMappings`. */
export function portMappingsOf(app: Pick<AppDefinition, 'container'>): ContainerPortMapping[] {
  return app.container?.portMappings ?? app.container?.docker?.portMappings ?? [];
}

/** acceptedResourceRoles, or (unset) unreserved resources plus those reserved for the app's role. */
export function acceptedRolesOf(app: Pick<AppDefinition, 'acceptedResourceRoles'>, role?: string): string[] {
  if (app.acceptedResourceRoles && app.acceptedResourceRoles.length > 0) return [...app.acceptedResourceRoles];
  return role && role !== '*' ? ['*', role] : ['*'];
}

export function matchOffer(input: MatchInput): MatchResult {
  const { app, offer } = input;
  const accepted = new Set(acceptedRolesOf(app, input.role));
  const usable = (r: Resource): boolean =>
    accepted.has(Resources.reservationRole(r)) && r.revocable === undefined && r.disk?.persistence === undefined && r.disk?.source === undefined;
  const limit = Math.min(input.needed, input.maxInstancesPerOffer ?? Number.POSITIVE_INFINITY);
  const launches: PlannedInstance[] = [];
  let remaining = Resources.of(offer.resources);
  const at = placementOf(offer);

  while (launches.length < limit) {
    const candidates = remaining.toArray().filter(usable);
    const reasons: RejectionReason[] = [];
    if (candidates.length === 0 && remaining.toArray().length > 0 && launches.length === 0) {
      reasons.push({ reason: 'UnfulfilledRole', acceptedRoles: [...accepted], message: `offer has no resources for roles ${[...accepted].join(', ')}` });
    }
    const placedNow = [...input.placed, ...launches.map((l) => l.placement)];
    for (const failed of unmetConstraints(app, at, placedNow)) {
      reasons.push({ reason: 'UnfulfilledConstraint', constraint: failed.constraint, message: failed.reason });
    }
    const fit = fitResources(app, candidates, input.random);
    if ('reasons' in fit) reasons.push(...fit.reasons);
    if (reasons.length > 0 || 'reasons' in fit) return { launches, rejections: reasons };
    launches.push({
      offerId: offer.id.value,
      agentId: offer.agent_id.value,
      hostname: offer.hostname,
      ...(offer.allocation_info?.role !== undefined ? { allocationRole: offer.allocation_info.role } : {}),
      resources: fit.resources,
      hostPorts: fit.hostPorts,
      placement: at,
    });
    remaining = remaining.minus(Resources.of(fit.resources));
  }
  return { launches, rejections: [] };
}

type Fit = { resources: Resource[]; hostPorts: Array<number | undefined> } | { reasons: RejectionReason[] };

const SCALARS = [
  { name: 'cpus', field: 'cpus', reason: 'InsufficientCpus' },
  { name: 'mem', field: 'mem', reason: 'InsufficientMemory' },
  { name: 'disk', field: 'disk', reason: 'InsufficientDisk' },
  { name: 'gpus', field: 'gpus', reason: 'InsufficientGpus' },
] as const;

/** Resources for one instance out of `candidates` (already role-filtered), or every shortfall. */
function fitResources(app: AppDefinition, candidates: readonly Resource[], random: () => number): Fit {
  const taken: Resource[] = [];
  const reasons: RejectionReason[] = [];
  for (const s of SCALARS) {
    const got = takeScalar(candidates, s.name, app[s.field]);
    if ('available' in got) {
      reasons.push({
        reason: s.reason, requested: app[s.field], available: got.available,
        message: `${s.name}: requested ${app[s.field]}, offer has ${got.available} in accepted roles`,
      });
    } else taken.push(...got.taken);
  }
  const ports = takePorts(candidates, hostPortRequests(app), random);
  if ('reason' in ports) reasons.push(ports);
  else taken.push(...ports.taken);
  if (reasons.length > 0 || 'reason' in ports) return { reasons };
  return { resources: taken, hostPorts: ports.hostPorts };
}

/** Reserved resources go first, so unreserved capacity stays for others (stable within each group). */
function preferReserved(list: readonly Resource[]): Resource[] {
  const reserved = list.filter((r) => Resources.reservationRole(r) !== '*');
  return [...reserved, ...list.filter((r) => Resources.reservationRole(r) === '*')];
}

function takeScalar(candidates: readonly Resource[], name: string, amount: number): { taken: Resource[] } | { available: number } {
  let need = Math.round(amount * 1000);
  if (need <= 0) return { taken: [] };
  const pool = preferReserved(candidates.filter((r) => r.name === name && r.type === 'SCALAR'));
  const availableMilli = pool.reduce((n, r) => n + Math.round((r.scalar?.value ?? 0) * 1000), 0);
  if (availableMilli < need) return { available: availableMilli / 1000 };
  const taken: Resource[] = [];
  for (const r of pool) {
    if (need === 0) break;
    const take = Math.min(need, Math.round((r.scalar?.value ?? 0) * 1000));
    if (take <= 0) continue;
    taken.push({ ...r, scalar: { value: take / 1000 } });
    need -= take;
  }
  return { taken };
}

type PortTake = { taken: Resource[]; hostPorts: Array<number | undefined> } | Extract<RejectionReason, { reason: 'InsufficientPorts' }>;

function takePorts(candidates: readonly Resource[], requests: ReadonlyArray<number | undefined>, random: () => number): PortTake {
  if (requests.every((p) => p === undefined)) return { taken: [], hostPorts: [...requests] };
  const pool = preferReserved(candidates.filter((r) => r.name === 'ports' && r.type === 'RANGES'));
  const ownerOf = (port: number): number => pool.findIndex((r) => (r.ranges?.range ?? []).some((x) => x.begin <= port && port <= x.end));
  const literal = requests.filter((p): p is number => p !== undefined && p > 0);
  const seen = new Set<number>();
  const missing = literal.filter((p) => {
    const clash = seen.has(p);
    seen.add(p);
    return clash || ownerOf(p) < 0;
  });
  let free = rangesDifference(
    normalizeRanges(pool.flatMap((r) => r.ranges?.range ?? [])),
    normalizeRanges(literal.map((p) => ({ begin: p, end: p }))),
  );
  const dynamic = requests.filter((p) => p === 0).length;
  const dynamicShort = Math.max(0, dynamic - rangesSize(free));
  if (missing.length > 0 || dynamicShort > 0) {
    const parts = [missing.length > 0 ? `ports ${missing.join(', ')} not offered` : '', dynamicShort > 0 ? `${dynamic} dynamic ports requested, ${dynamic - dynamicShort} free` : ''];
    return { reason: 'InsufficientPorts', missing, dynamicShort, message: parts.filter(Boolean).join('; ') };
  }
  const hostPorts = requests.map((p) => {
    if (p !== 0) return p;
    const port = pickPort(free, random);
    free = rangesDifference(free, [{ begin: port, end: port }]);
    return port;
  });
  const byOwner = new Map<number, Range[]>();
  for (const port of hostPorts) {
    if (port === undefined) continue;
    const owner = ownerOf(port);
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), { begin: port, end: port }]);
  }
  const taken = [...byOwner].sort(([a], [b]) => a - b).map(([owner, ranges]) => ({ ...pool[owner]!, ranges: { range: normalizeRanges(ranges) } }));
  return { taken, hostPorts };
}

/** A uniformly random port out of non-empty normalised `ranges`. */
function pickPort(ranges: readonly Range[], random: () => number): number {
  const total = rangesSize(ranges);
  let k = Math.min(total - 1, Math.max(0, Math.floor(random() * total)));
  for (const r of ranges) {
    const n = r.end - r.begin + 1;
    if (k < n) return r.begin + k;
    k -= n;
  }
  return ranges[ranges.length - 1]!.end;
}
