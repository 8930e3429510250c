// Small hand-built operator API objects for the record tests: an agent, a framework, a task and
// the events that change them, each with only what the test says differs from a plain default.
import type {
  DiscoveryInfo, GetAgentsAgent, GetFrameworksFramework, GetState, OperatorEvent, Task, TaskState, TaskStatus,
} from '@tepui/protocol';
import { DEFAULT_DNS_CONFIG, type DnsConfig } from '../config/dns-config';

export const MASTER_ID = '20150525-114015-1578016266-5050-26151';
export const FRAMEWORK_ID = `${MASTER_ID}-0000`;

export const agentIdOf = (n: number): string => `${MASTER_ID}-S${n}`;

export function config(overrides: Partial<DnsConfig> = {}): DnsConfig {
  return { ...DEFAULT_DNS_CONFIG, ...overrides };
}

export function agent(n: number, ip: string, overrides: Partial<GetAgentsAgent> = {}): GetAgentsAgent {
  return {
    agent_info: { id: { value: agentIdOf(n) }, hostname: `agent-${n}`, port: 5051 },
    active: true,
    version: '1.11.0',
    pid: `slave(1)@${ip}:5051`,
    ...overrides,
  };
}

export function framework(name = 'marathon', id = FRAMEWORK_ID, hostname = '10.0.0.2'): GetFrameworksFramework {
  return { framework_info: { id: { value: id }, name, user: 'root', hostname }, active: true, connected: true, recovered: false };
}

export interface TaskOptions {
  readonly id: string;
  readonly name?: string;
  readonly agent?: number;
  readonly frameworkId?: string;
  readonly state?: TaskState;
  readonly ports?: ReadonlyArray<readonly [number, number]>;
  readonly statuses?: TaskStatus[];
  readonly discovery?: DiscoveryInfo;
  readonly healthCheck?: boolean;
}

export function task(options: TaskOptions): Task {
  const state = options.state ?? 'TASK_RUNNING';
  const ports = options.ports ?? [];
  return {
    name: options.name ?? 'web.shop',
    task_id: { value: options.id },
    framework_id: { value: options.frameworkId ?? FRAMEWORK_ID },
    agent_id: { value: agentIdOf(options.agent ?? 3) },
    state,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
      ...(ports.length > 0 ? [{ name: 'ports', type: 'RANGES' as const, ranges: { range: ports.map(([begin, end]) => ({ begin, end })) } }] : []),
    ],
    statuses: options.statuses ?? [status(options.id, state, {})],
    ...(options.discovery ? { discovery: options.discovery } : {}),
    ...(options.healthCheck ? { health_check: { type: 'TCP' as const, tcp: { port: 8080 } } } : {}),
  };
}

export function status(taskId: string, state: TaskState, extra: Partial<TaskStatus>): TaskStatus {
  return { task_id: { value: taskId }, state, timestamp: 1_600_000_000, ...extra };
}

/** A status whose container reports `ips` (the `netinfo` IP source). */
export function networkStatus(taskId: string, ips: readonly string[], timestamp = 1_600_000_000): TaskStatus {
  return status(taskId, 'TASK_RUNNING', {
    timestamp,
    container_status: { network_infos: [{ ip_addresses: ips.map((ip_address) => ({ ip_address })) }] },
  });
}

export function state(parts: { agents?: GetAgentsAgent[]; frameworks?: GetFrameworksFramework[]; tasks?: Task[] }): GetState {
  return {
    get_tasks: { tasks: parts.tasks ?? [] },
    get_executors: {},
    get_frameworks: { frameworks: parts.frameworks ?? [framework()] },
    get_agents: { agents: parts.agents ?? [] },
  };
}

export function taskUpdated(taskId: string, state: TaskState, extra: Partial<TaskStatus> = {}, frameworkId = FRAMEWORK_ID): OperatorEvent {
  return { type: 'TASK_UPDATED', task_updated: { framework_id: { value: frameworkId }, state, status: status(taskId, state, extra) } };
}

export const taskAdded = (added: Task): OperatorEvent => ({ type: 'TASK_ADDED', task_added: { task: added } });
export const agentAdded = (added: GetAgentsAgent): OperatorEvent => ({ type: 'AGENT_ADDED', agent_added: { agent: added } });
export const agentRemoved = (n: number): OperatorEvent => ({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: agentIdOf(n) } } });
export const frameworkAdded = (added: GetFrameworksFramework): OperatorEvent => ({ type: 'FRAMEWORK_ADDED', framework_added: { framework: added } });
export const frameworkRemoved = (removed: GetFrameworksFramework): OperatorEvent => ({
  type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: removed.framework_info },
});
