// Carving tasks out of offers and building TaskInfos. Pure: plain data in, plain data out.
import {
  Resources, type CommandInfo, type ContainerInfo, type HealthCheck, type KillPolicy, type Offer, type Range,
  type Resource, type TaskInfo,
} from '@tepui/protocol';
import { toId, type IdLike } from './calls';

/** What one task needs. Scalars in Mesos units (cpus, MB); `ports` is a count of host ports. */
export interface TaskNeeds {
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly gpus?: number;
  readonly ports?: number;
  /** Any other scalar resources by name. */
  readonly scalars?: Readonly<Record<string, number>>;
}

/** Resources claimed for one task, with the host ports among them in the order taken. */
export interface Claim {
  readonly resources: Resource[];
  readonly ports: number[];
}

export interface OfferResourcesOptions {
  /** Use revocable resources too (default false: a task should not be preempted by surprise). */
  readonly revocable?: boolean;
}

const toMilli = (v: number): number => Math.round(v * 1000);

/** Plain resources a task can use as is: no persistent volumes or mount/block disks, no shared resources. */
function usable(r: Resource, revocable: boolean): boolean {
  return r.disk === undefined && r.shared === undefined && (revocable || r.revocable === undefined);
}

function scalarNeeds(needs: TaskNeeds): Array<[string, number]> {
  const out = new Map<string, number>();
  for (const name of ['cpus', 'mem', 'disk', 'gpus'] as const) {
    const v = needs[name];
    if (v !== undefined && v > 0) out.set(name, toMilli(v));
  }
  for (const [name, v] of Object.entries(needs.scalars ?? {})) if (v > 0) out.set(name, (out.get(name) ?? 0) + toMilli(v));
  return [...out];
}

/** The lowest `count` values of `ranges`, as ranges, or undefined when there are fewer. */
function takeFromRanges(ranges: readonly Range[], count: number): { taken: Range[]; values: number[] } {
  const taken: Range[] = [];
  const values: number[] = [];
  for (const r of ranges) {
    if (values.length >= count) break;
    const end = Math.min(r.end, r.begin + (count - values.length) - 1);
    taken.push({ begin: r.begin, end });
    for (let p = r.begin; p <= end; p++) values.push(p);
  }
  return { taken, values };
}

/**
 * The unclaimed part of one offer. `take` claims what one task needs from it, keeping each
 * resource's role, reservations and allocation_info as the offer had them (the master
 * rejects tasks whose resources are not exactly part of the offer).
 */
export class OfferResources {
  private left: Resources;
  private readonly revocable: boolean;

  constructor(readonly offer: Offer, options: OfferResourcesOptions = {}) {
    this.left = Resources.of(offer.resources);
    this.revocable = options.revocable ?? false;
  }

  get remaining(): Resources {
    return this.left;
  }

  /** Claims one task's resources, or returns undefined (claiming nothing) when they don't fit. */
  take(needs: TaskNeeds): Claim | undefined {
    const available = this.left.toArray().filter((r) => usable(r, this.revocable));
    const taken: Resource[] = [];
    for (const [name, milli] of scalarNeeds(needs)) {
      let need = milli;
      for (const r of available) {
        if (need <= 0) break;
        if (r.name !== name || r.type !== 'SCALAR' || !r.scalar) continue;
        const amount = Math.min(need, toMilli(r.scalar.value));
        if (amount <= 0) continue;
        taken.push({ ...r, scalar: { value: amount / 1000 } });
        need -= amount;
      }
      if (need > 0) return undefined;
    }
    const ports: number[] = [];
    const wanted = Math.max(0, Math.floor(needs.ports ?? 0));
    for (const r of available) {
      if (ports.length >= wanted) break;
      if (r.name !== 'ports' || r.type !== 'RANGES' || !r.ranges) continue;
      const { taken: ranges, values } = takeFromRanges(r.ranges.range ?? [], wanted - ports.length);
      if (values.length === 0) continue;
      taken.push({ ...r, ranges: { range: ranges } });
      ports.push(...values);
    }
    if (ports.length < wanted) return undefined;
    this.left = this.left.minus(Resources.of(taken));
    return { resources: taken, ports };
  }

  /** Claims as many tasks as fit, up to `max`. */
  takeMany(needs: TaskNeeds, max: number): Claim[] {
    const claims: Claim[] = [];
    while (claims.length < max) {
      const claim = this.take(needs);
      if (!claim) break;
      claims.push(claim);
    }
    return claims;
  }
}

/** How the task runs: a shell command line (`/bin/sh -c`), an argv (exec'd directly), or a full CommandInfo. */
export type TaskCommand =
  | { readonly shell: string; readonly command?: undefined }
  | { readonly command: CommandInfo | readonly string[]; readonly shell?: undefined };

export interface TaskOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly healthCheck?: HealthCheck;
  readonly killPolicy?: KillPolicy;
  readonly container?: ContainerInfo;
  /** URIs the agent fetches into the sandbox before starting the command. */
  readonly uris?: readonly string[];
  /** Opaque bytes for the executor. */
  readonly data?: Buffer;
}

export type TaskSpec = TaskCommand & TaskOptions & {
  readonly name: string;
  readonly taskId: IdLike;
  readonly agentId: IdLike;
  readonly resources: readonly Resource[];
};

function isArgv(c: CommandInfo | readonly string[]): c is readonly string[] {
  return Array.isArray(c);
}

function commandInfo(spec: TaskCommand & TaskOptions): CommandInfo {
  let command: CommandInfo;
  if (spec.shell !== undefined) command = { shell: true, value: spec.shell };
  else if (isArgv(spec.command)) command = { shell: false, value: spec.command[0], arguments: [...spec.command] };
  else command = { ...spec.command };
  const env = Object.entries(spec.env ?? {});
  if (env.length > 0) {
    command.environment = { variables: [...(command.environment?.variables ?? []), ...env.map(([name, value]) => ({ name, value }))] };
  }
  if (spec.uris && spec.uris.length > 0) command.uris = [...(command.uris ?? []), ...spec.uris.map((value) => ({ value }))];
  return command;
}

/** A TaskInfo for the built-in command executor. */
export function buildTaskInfo(spec: TaskSpec): TaskInfo {
  const task: TaskInfo = {
    name: spec.name,
    task_id: toId(spec.taskId),
    agent_id: toId(spec.agentId),
    resources: [...spec.resources],
    command: commandInfo(spec),
  };
  if (spec.labels) task.labels = { labels: Object.entries(spec.labels).map(([key, value]) => ({ key, value })) };
  if (spec.healthCheck) task.health_check = spec.healthCheck;
  if (spec.killPolicy) task.kill_policy = spec.killPolicy;
  if (spec.container) task.container = spec.container;
  if (spec.data) task.data = spec.data.toString('base64');
  return task;
}

export type CommandTaskSpec = TaskCommand & TaskOptions & { readonly name: string; readonly taskId: IdLike };

/**
 * A TaskInfo for a claim on an offer, with the environment Marathon gives tasks:
 * HOST, PORTS and PORT0…PORTn for the ports taken (user `env` wins on conflicts).
 */
export function commandTask(offer: Offer, claim: Claim, spec: CommandTaskSpec): TaskInfo {
  const env: Record<string, string> = { HOST: offer.hostname };
  if (claim.ports.length > 0) env.PORTS = claim.ports.join(',');
  claim.ports.forEach((port, i) => (env[`PORT${i}`] = String(port)));
  if (claim.ports.length > 0) env.PORT = String(claim.ports[0]);
  return buildTaskInfo({ ...spec, env: { ...env, ...spec.env }, agentId: offer.agent_id, resources: claim.resources });
}

/** KillPolicy with a grace period between SIGTERM and SIGKILL. */
export function killPolicy(gracePeriodMs: number): KillPolicy {
  return { grace_period: { nanoseconds: Math.round(gracePeriodMs * 1e6) } };
}
