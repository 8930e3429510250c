// Core Mesos v1 messages in their JSON mapping (include/mesos/v1/mesos.proto).
// Only fields Tepui reads or writes are typed; unknown fields pass through untouched.
import type { Attribute, Labels, Resource, Volume } from './values';

export interface IdValue { value: string }
export type FrameworkID = IdValue;
export type AgentID = IdValue;
export type TaskID = IdValue;
export type ExecutorID = IdValue;
export type OfferID = IdValue;
export type OperationID = IdValue;
export interface ContainerID { value: string; parent?: ContainerID }

export interface DurationInfo { nanoseconds: number }
export interface TimeInfo { nanoseconds: number }

export interface Address { hostname?: string; ip?: string; port: number }
export interface URL {
  scheme: string;
  address: Address;
  path?: string;
  query?: Array<{ key: string; value?: string }>;
  fragment?: string;
}

export interface DomainInfo { fault_domain?: { region: { name: string }; zone: { name: string } } }

export type FrameworkCapabilityType =
  | 'UNKNOWN' | 'REVOCABLE_RESOURCES' | 'TASK_KILLING_STATE' | 'GPU_RESOURCES' | 'SHARED_RESOURCES'
  | 'PARTITION_AWARE' | 'MULTI_ROLE' | 'RESERVATION_REFINEMENT' | 'REGION_AWARE';

export interface FrameworkInfo {
  user: string;
  name: string;
  id?: FrameworkID;
  failover_timeout?: number;
  checkpoint?: boolean;
  role?: string;
  roles?: string[];
  hostname?: string;
  principal?: string;
  webui_url?: string;
  capabilities?: Array<{ type?: FrameworkCapabilityType }>;
  labels?: Labels;
  offer_filters?: Record<string, OfferFilters>;
}

export interface OfferFilters {
  min_allocatable_resources?: { quantities: Array<{ quantities: Record<string, { value: number }> }> };
}

export interface Environment {
  variables?: Array<{ name: string; type?: 'UNKNOWN' | 'VALUE' | 'SECRET'; value?: string; secret?: unknown }>;
}

export interface CommandURI { value: string; executable?: boolean; extract?: boolean; cache?: boolean; output_file?: string }

export interface CommandInfo {
  uris?: CommandURI[];
  environment?: Environment;
  shell?: boolean;
  value?: string;
  arguments?: string[];
  user?: string;
}

export interface PortMapping { host_port: number; container_port: number; protocol?: string }

export interface NetworkInfo {
  ip_addresses?: Array<{ protocol?: 'IPv4' | 'IPv6'; ip_address?: string }>;
  name?: string;
  groups?: string[];
  labels?: Labels;
  port_mappings?: PortMapping[];
}

export interface DockerInfo {
  image: string;
  network?: 'HOST' | 'BRIDGE' | 'NONE' | 'USER';
  port_mappings?: PortMapping[];
  privileged?: boolean;
  parameters?: Array<{ key: string; value: string }>;
  force_pull_image?: boolean;
}

export interface ContainerInfo {
  type: 'DOCKER' | 'MESOS';
  volumes?: Volume[];
  hostname?: string;
  docker?: DockerInfo;
  mesos?: { image?: unknown };
  network_infos?: NetworkInfo[];
  linux_info?: unknown;
  rlimit_info?: unknown;
  tty_info?: unknown;
}

export interface HealthCheck {
  type?: 'UNKNOWN' | 'COMMAND' | 'HTTP' | 'TCP';
  command?: CommandInfo;
  http?: { scheme?: string; port: number; path?: string; protocol?: string; statuses?: number[] };
  tcp?: { port: number; protocol?: string };
  delay_seconds?: number;
  interval_seconds?: number;
  timeout_seconds?: number;
  consecutive_failures?: number;
  grace_period_seconds?: number;
}

export interface KillPolicy { grace_period?: DurationInfo }

export interface DiscoveryInfo {
  visibility: 'FRAMEWORK' | 'CLUSTER' | 'EXTERNAL';
  name?: string;
  environment?: string;
  location?: string;
  version?: string;
  ports?: { ports: Array<{ number: number; name?: string; protocol?: string; visibility?: string; labels?: Labels }> };
  labels?: Labels;
}

export interface ExecutorInfo {
  type?: 'UNKNOWN' | 'DEFAULT' | 'CUSTOM';
  executor_id: ExecutorID;
  framework_id?: FrameworkID;
  command?: CommandInfo;
  container?: ContainerInfo;
  resources?: Resource[];
  name?: string;
  source?: string;
  data?: string;
  discovery?: DiscoveryInfo;
  shutdown_grace_period?: DurationInfo;
  labels?: Labels;
}

export interface TaskInfo {
  name: string;
  task_id: TaskID;
  agent_id: AgentID;
  resources?: Resource[];
  executor?: ExecutorInfo;
  command?: CommandInfo;
  container?: ContainerInfo;
  health_check?: HealthCheck;
  check?: unknown;
  kill_policy?: KillPolicy;
  data?: string;
  labels?: Labels;
  discovery?: DiscoveryInfo;
  max_completion_time?: DurationInfo;
  limits?: Record<string, { value: number }>;
}

export interface TaskGroupInfo { tasks: TaskInfo[] }

export type TaskState =
  | 'TASK_STAGING' | 'TASK_STARTING' | 'TASK_RUNNING' | 'TASK_KILLING' | 'TASK_FINISHED' | 'TASK_FAILED'
  | 'TASK_KILLED' | 'TASK_ERROR' | 'TASK_LOST' | 'TASK_DROPPED' | 'TASK_UNREACHABLE' | 'TASK_GONE'
  | 'TASK_GONE_BY_OPERATOR' | 'TASK_UNKNOWN';

export const TASK_STATES: readonly TaskState[] = [
  'TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED',
  'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_UNREACHABLE', 'TASK_GONE',
  'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN',
];

const TERMINAL: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/** Terminal as the master accounts for it (TASK_LOST included; it may come back on re-registration). */
export function isTerminalState(state: TaskState): boolean {
  return TERMINAL.has(state);
}

export type TaskStatusSource = 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';

export type TaskStatusReason =
  | 'REASON_COMMAND_EXECUTOR_FAILED' | 'REASON_CONTAINER_LAUNCH_FAILED' | 'REASON_CONTAINER_LIMITATION'
  | 'REASON_CONTAINER_LIMITATION_DISK' | 'REASON_CONTAINER_LIMITATION_MEMORY' | 'REASON_CONTAINER_PREEMPTED'
  | 'REASON_CONTAINER_UPDATE_FAILED' | 'REASON_MAX_COMPLETION_TIME_REACHED' | 'REASON_EXECUTOR_REGISTRATION_TIMEOUT'
  | 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT' | 'REASON_EXECUTOR_TERMINATED' | 'REASON_FRAMEWORK_REMOVED'
  | 'REASON_GC_ERROR' | 'REASON_INVALID_FRAMEWORKID' | 'REASON_INVALID_OFFERS' | 'REASON_IO_SWITCHBOARD_EXITED'
  | 'REASON_MASTER_DISCONNECTED' | 'REASON_RECONCILIATION' | 'REASON_RESOURCES_UNKNOWN'
  | 'REASON_AGENT_DISCONNECTED' | 'REASON_AGENT_DRAINING' | 'REASON_AGENT_REMOVED'
  | 'REASON_AGENT_REMOVED_BY_OPERATOR' | 'REASON_AGENT_REREGISTERED' | 'REASON_AGENT_RESTARTED'
  | 'REASON_AGENT_UNKNOWN' | 'REASON_TASK_KILLED_DURING_LAUNCH' | 'REASON_TASK_CHECK_STATUS_UPDATED'
  | 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' | 'REASON_TASK_GROUP_INVALID' | 'REASON_TASK_GROUP_UNAUTHORIZED'
  | 'REASON_TASK_INVALID' | 'REASON_TASK_UNAUTHORIZED' | 'REASON_TASK_UNKNOWN' | 'REASON_EXECUTOR_UNREGISTERED';

export interface ContainerStatus {
  container_id?: ContainerID;
  network_infos?: NetworkInfo[];
  cgroup_info?: unknown;
  executor_pid?: number;
}

export interface TaskStatus {
  task_id: TaskID;
  state: TaskState;
  message?: string;
  source?: TaskStatusSource;
  reason?: TaskStatusReason;
  data?: string;
  agent_id?: AgentID;
  executor_id?: ExecutorID;
  timestamp?: number;
  /** Base64 of 16 raw UUID bytes; only on updates that must be acknowledged. */
  uuid?: string;
  healthy?: boolean;
  check_status?: unknown;
  labels?: Labels;
  container_status?: ContainerStatus;
  unreachable_time?: TimeInfo;
  limitation?: unknown;
}

export interface Filters { refuse_seconds?: number }

export type OperationType =
  | 'UNKNOWN' | 'LAUNCH' | 'LAUNCH_GROUP' | 'RESERVE' | 'UNRESERVE' | 'CREATE' | 'DESTROY'
  | 'GROW_VOLUME' | 'SHRINK_VOLUME' | 'CREATE_DISK' | 'DESTROY_DISK';

export const OPERATION_TYPES: readonly OperationType[] = [
  'UNKNOWN', 'LAUNCH', 'LAUNCH_GROUP', 'RESERVE', 'UNRESERVE', 'CREATE', 'DESTROY', 'GROW_VOLUME', 'SHRINK_VOLUME',
  'CREATE_DISK', 'DESTROY_DISK',
];

export type OperationState =
  | 'OPERATION_UNSUPPORTED' | 'OPERATION_PENDING' | 'OPERATION_FINISHED' | 'OPERATION_FAILED' | 'OPERATION_ERROR'
  | 'OPERATION_DROPPED' | 'OPERATION_UNREACHABLE' | 'OPERATION_GONE_BY_OPERATOR' | 'OPERATION_RECOVERING'
  | 'OPERATION_UNKNOWN';

/** mesos.v1.OperationStatus; statuses the master generates carry no uuid (nothing to acknowledge). */
export interface OperationStatus {
  operation_id?: OperationID;
  state: OperationState;
  message?: string;
  converted_resources?: Resource[];
  uuid?: { value: string };
  agent_id?: AgentID;
  resource_provider_id?: { value: string };
}

export interface OfferOperation {
  /** Unset when the name was not one Mesos knows (proto2 drops unknown enum names). */
  type?: OperationType;
  id?: OperationID;
  launch?: { task_infos: TaskInfo[] };
  launch_group?: { executor: ExecutorInfo; task_group: TaskGroupInfo };
  reserve?: { resources?: Resource[]; source?: Resource[] };
  unreserve?: { resources: Resource[] };
  create?: { volumes: Resource[] };
  destroy?: { volumes: Resource[] };
}

export interface Offer {
  id: OfferID;
  framework_id: FrameworkID;
  agent_id: AgentID;
  hostname: string;
  url?: URL;
  domain?: DomainInfo;
  resources: Resource[];
  attributes?: Attribute[];
  executor_ids?: ExecutorID[];
  unavailability?: unknown;
  allocation_info?: { role?: string };
}

export interface MasterInfo {
  id: string;
  ip: number;
  port: number;
  pid?: string;
  hostname?: string;
  version?: string;
  address?: Address;
  domain?: DomainInfo;
  capabilities?: Array<{ type: 'UNKNOWN' | 'AGENT_UPDATE' | 'AGENT_DRAINING' | 'QUOTA_V2' }>;
}

export type AgentCapabilityType =
  | 'UNKNOWN' | 'MULTI_ROLE' | 'HIERARCHICAL_ROLE' | 'RESERVATION_REFINEMENT' | 'RESOURCE_PROVIDER'
  | 'RESIZE_VOLUME' | 'AGENT_OPERATION_FEEDBACK' | 'AGENT_DRAINING' | 'TASK_RESOURCE_LIMITS';

export interface AgentInfo {
  hostname: string;
  port?: number;
  resources?: Resource[];
  attributes?: Attribute[];
  id?: AgentID;
  domain?: DomainInfo;
}

/** Task as the operator API reports it (mesos.proto `Task`). */
export interface Task {
  name: string;
  task_id: TaskID;
  framework_id: FrameworkID;
  executor_id?: ExecutorID;
  agent_id: AgentID;
  state: TaskState;
  resources: Resource[];
  statuses?: TaskStatus[];
  status_update_state?: TaskState;
  status_update_uuid?: string;
  labels?: Labels;
  discovery?: DiscoveryInfo;
  container?: ContainerInfo;
  health_check?: HealthCheck;
  kill_policy?: KillPolicy;
  user?: string;
  limits?: Record<string, { value: number }>;
}
