// What the UI reads from Marathon's v2 API, decoded from `unknown` into the UI's own shapes. Field
// names follow the wire (Marathon's camelCase); only fields the pages show are kept.
import { arrayOf, isRecord, numberOf, optionalString, recordOf, stringOf, stringRecordOf } from './wire-read';

export type TaskHealth = 'healthy' | 'unhealthy' | 'unknown' | 'none';

export interface TaskSummary {
  readonly id: string;
  readonly host: string;
  readonly agentId: string;
  readonly state: string;
  readonly ports: readonly number[];
  readonly ipAddresses: readonly string[];
  readonly stagedAt?: string;
  readonly startedAt?: string;
  readonly version?: string;
  readonly health: TaskHealth;
}

export interface TaskFailure {
  readonly taskId: string;
  readonly state: string;
  readonly message: string;
  readonly host: string;
  readonly timestamp: string;
  readonly version: string;
}

export interface AppSummary {
  readonly id: string;
  readonly cmd?: string;
  readonly instances: number;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly healthCheckCount: number;
  readonly version: string;
  readonly tasksRunning: number;
  readonly tasksStaged: number;
  readonly tasksHealthy: number;
  readonly tasksUnhealthy: number;
  readonly deploymentIds: readonly string[];
  readonly lastTaskFailure?: TaskFailure;
  /** Present when the app was read on its own (GET /v2/apps/{id} embeds its tasks). */
  readonly tasks?: readonly TaskSummary[];
  /** The definition as Marathon returned it, for the configuration view and the JSON editor. */
  readonly definition: Readonly<Record<string, unknown>>;
}

export interface RejectReason {
  readonly reason: string;
  readonly declined: number;
  readonly processed: number;
}

export interface QueueSummary {
  readonly appId: string;
  readonly count: number;
  readonly since?: string;
  readonly delay: { readonly timeLeftSeconds: number; readonly overdue: boolean };
  readonly processedOffers: number;
  readonly unusedOffers: number;
  readonly lastUnusedOfferAt?: string;
  readonly rejectReasons: readonly RejectReason[];
}

/** Fields of the app JSON that are GET's additions, not part of the definition one PUTs back. */
const INFO_FIELDS = new Set(['tasks', 'tasksRunning', 'tasksStaged', 'tasksHealthy', 'tasksUnhealthy', 'deployments', 'lastTaskFailure', 'taskStats', 'readinessCheckResults', 'versionInfo', 'version']);

export function decodeTask(value: unknown, healthCheckCount: number): TaskSummary | undefined {
  if (!isRecord(value) || typeof value.id !== 'string') return undefined;
  const results = arrayOf(value.healthCheckResults).filter(isRecord);
  let health: TaskHealth = healthCheckCount > 0 || results.length > 0 ? 'unknown' : 'none';
  if (results.some((r) => r.alive === false)) health = 'unhealthy';
  else if (results.length > 0 && results.every((r) => r.alive === true)) health = 'healthy';
  const stagedAt = optionalString(value.stagedAt);
  const startedAt = optionalString(value.startedAt);
  const version = optionalString(value.version);
  return {
    id: value.id,
    host: stringOf(value.host),
    agentId: stringOf(value.slaveId),
    state: stringOf(value.state, 'TASK_UNKNOWN'),
    ports: arrayOf(value.ports).filter((p): p is number => typeof p === 'number'),
    ipAddresses: arrayOf(value.ipAddresses).map((a) => stringOf(recordOf(a).ipAddress)).filter(Boolean),
    ...(stagedAt ? { stagedAt } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(version ? { version } : {}),
    health,
  };
}

function decodeFailure(value: unknown): TaskFailure | undefined {
  if (!isRecord(value)) return undefined;
  return {
    taskId: stringOf(value.taskId), state: stringOf(value.state), message: stringOf(value.message),
    host: stringOf(value.host), timestamp: stringOf(value.timestamp), version: stringOf(value.version),
  };
}

export function decodeApp(value: unknown): AppSummary | undefined {
  if (!isRecord(value) || typeof value.id !== 'string') return undefined;
  const healthCheckCount = arrayOf(value.healthChecks).length;
  const definition: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (!INFO_FIELDS.has(key)) definition[key] = v;
  const failure = decodeFailure(value.lastTaskFailure);
  const cmd = optionalString(value.cmd);
  return {
    id: value.id,
    ...(cmd !== undefined ? { cmd } : {}),
    instances: numberOf(value.instances),
    cpus: numberOf(value.cpus),
    mem: numberOf(value.mem),
    disk: numberOf(value.disk),
    labels: stringRecordOf(value.labels),
    healthCheckCount,
    version: stringOf(value.version),
    tasksRunning: numberOf(value.tasksRunning),
    tasksStaged: numberOf(value.tasksStaged),
    tasksHealthy: numberOf(value.tasksHealthy),
    tasksUnhealthy: numberOf(value.tasksUnhealthy),
    deploymentIds: arrayOf(value.deployments).map((d) => stringOf(recordOf(d).id)).filter(Boolean),
    ...(failure ? { lastTaskFailure: failure } : {}),
    ...(Array.isArray(value.tasks) ? { tasks: value.tasks.map((t) => decodeTask(t, healthCheckCount)).filter((t): t is TaskSummary => t !== undefined) } : {}),
    definition,
  };
}

/** GET /v2/apps → `{ apps: [...] }`. */
export function decodeAppList(body: unknown): AppSummary[] {
  return arrayOf(recordOf(body).apps).map(decodeApp).filter((a): a is AppSummary => a !== undefined);
}

/** GET /v2/apps/{id} → `{ app: {...} }`. */
export function decodeSingleApp(body: unknown): AppSummary | undefined {
  return decodeApp(recordOf(body).app);
}

/** GET /v2/queue → `{ queue: [...] }`, one entry per app waiting for offers or delayed. */
export function decodeQueue(body: unknown): QueueSummary[] {
  const out: QueueSummary[] = [];
  for (const item of arrayOf(recordOf(body).queue)) {
    const entry = recordOf(item);
    const appId = stringOf(recordOf(entry.app).id);
    if (!appId) continue;
    const delay = recordOf(entry.delay);
    const offers = recordOf(entry.processedOffersSummary);
    const since = optionalString(entry.since);
    const lastUnusedOfferAt = optionalString(offers.lastUnusedOfferAt);
    out.push({
      appId,
      count: numberOf(entry.count),
      ...(since ? { since } : {}),
      delay: { timeLeftSeconds: numberOf(delay.timeLeftSeconds), overdue: delay.overdue === true },
      processedOffers: numberOf(offers.processedOffersCount),
      unusedOffers: numberOf(offers.unusedOffersCount),
      ...(lastUnusedOfferAt ? { lastUnusedOfferAt } : {}),
      rejectReasons: arrayOf(offers.rejectSummaryLastOffers).map((r) => {
        const reason = recordOf(r);
        return { reason: stringOf(reason.reason), declined: numberOf(reason.declined), processed: numberOf(reason.processed) };
      }),
    });
  }
  return out;
}

/** GET /v2/groups?embed=group.groups → the id of every group in the tree below the root, parents first. */
export function decodeGroupIds(body: unknown): string[] {
  const ids: string[] = [];
  const visit = (group: unknown): void => {
    for (const child of arrayOf(recordOf(group).groups)) {
      const id = stringOf(recordOf(child).id);
      if (id === '' || id === '/') continue;
      ids.push(id);
      visit(child);
    }
  };
  visit(body);
  return ids;
}
