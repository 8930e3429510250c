// Carving tasks out of offers and building TaskInfos. Pure.
import {
  Resources, type AgentID, type CommandInfo, type HealthCheck, type KillPolicy, type Offer, type Range, type Resource,
  type TaskInfo,
} from '@tepui/protocol';

export interface TaskNeeds {
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly gpus?: number;
  /** How many host ports from the offer's `ports` ranges. */
  readonly ports?: number;
}

/** The still-unclaimed part of one offer; `take` claims what one task needs. */
export class OfferResources {
  private left: Resources;

  constructor(readonly offer: Offer) {
    this.left = Resources.of(offer.resources);
  }

  get remaining(): Resources {
    return this.left;
  }

  /** The resources for one task (keeping the offer's roles and allocation info), or undefined if they don't fit. */
  take(needs: TaskNeeds): { resources: Resource[]; ports: number[] } | undefined {
    const taken: Resource[] = [];
    const available = this.left.toArray();
    for (const name of ['cpus', 'mem', 'disk', 'gpus'] as const) {
      let need = Math.round((needs[name] ?? 0) * 1000);
      for (const r of available) {
        if (need <= 0) break;
        if (r.name !== name || r.type !== 'SCALAR') continue;
        const amount = Math.min(need, Math.round(r.scalar!.value * 1000));
        if (amount <= 0) continue;
        taken.push({ ...r, scalar: { value: amount / 1000 } });
        need -= amount;
      }
      if (need > 0) return undefined;
    }
    const ports: number[] = [];
    for (const r of available) {
      if ((needs.ports ?? 0) <= ports.length) break;
      if (r.name !== 'ports' || r.type !== 'RANGES') continue;
      const picked: Range[] = [];
      for (const range of r.ranges!.range) {
        for (let p = range.begin; p <= range.end && ports.length < (needs.ports ?? 0); p++) {
          ports.push(p);
          picked.push({ begin: p, end: p });
        }
      }
      if (picked.length > 0) taken.push({ ...r, ranges: { range: picked } });
    }
    if (ports.length < (needs.ports ?? 0)) return undefined;
    this.left = this.left.minus(Resources.of(taken));
    return { resources: taken, ports };
  }
}

export interface TaskSpec {
  readonly name: string;
  readonly taskId: string;
  readonly agentId: AgentID;
  readonly resources: Resource[];
  /** A shell command (`/bin/sh -c`), or a full CommandInfo. */
  readonly command: string | CommandInfo;
  readonly env?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly healthCheck?: HealthCheck;
  readonly killPolicy?: KillPolicy;
}

export function buildTaskInfo(spec: TaskSpec): TaskInfo {
  const command: CommandInfo = typeof spec.command === 'string' ? { shell: true, value: spec.command } : { ...spec.command };
  if (spec.env && Object.keys(spec.env).length > 0) {
    const variables = Object.entries(spec.env).map(([name, value]) => ({ name, value }));
    command.environment = { variables: [...(command.environment?.variables ?? []), ...variables] };
  }
  const task: TaskInfo = { name: spec.name, task_id: { value: spec.taskId }, agent_id: spec.agentId, resources: spec.resources, command };
  if (spec.labels) task.labels = { labels: Object.entries(spec.labels).map(([key, value]) => ({ key, value })) };
  if (spec.healthCheck) task.health_check = spec.healthCheck;
  if (spec.killPolicy) task.kill_policy = spec.killPolicy;
  return task;
}
