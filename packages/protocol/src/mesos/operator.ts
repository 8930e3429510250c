// mesos.v1.master.Call / Response / Event (include/mesos/v1/master/master.proto), JSON mapping.
import type {
  AgentCapabilityType, AgentID, AgentInfo, ExecutorInfo, FrameworkID, FrameworkInfo, MasterInfo, Offer, Task,
  TaskState, TaskStatus, TimeInfo,
} from './messages';
import type { Resource } from './values';

export type OperatorCallType =
  | 'UNKNOWN' | 'GET_HEALTH' | 'GET_FLAGS' | 'GET_VERSION' | 'GET_METRICS' | 'GET_LOGGING_LEVEL'
  | 'SET_LOGGING_LEVEL' | 'LIST_FILES' | 'READ_FILE' | 'GET_STATE' | 'GET_AGENTS' | 'GET_FRAMEWORKS'
  | 'GET_EXECUTORS' | 'GET_OPERATIONS' | 'GET_TASKS' | 'GET_ROLES' | 'GET_WEIGHTS' | 'UPDATE_WEIGHTS'
  | 'GET_MASTER' | 'SUBSCRIBE' | 'RESERVE_RESOURCES' | 'UNRESERVE_RESOURCES' | 'CREATE_VOLUMES'
  | 'DESTROY_VOLUMES' | 'GROW_VOLUME' | 'SHRINK_VOLUME' | 'GET_MAINTENANCE_STATUS' | 'GET_MAINTENANCE_SCHEDULE'
  | 'UPDATE_MAINTENANCE_SCHEDULE' | 'START_MAINTENANCE' | 'STOP_MAINTENANCE' | 'DRAIN_AGENT'
  | 'DEACTIVATE_AGENT' | 'REACTIVATE_AGENT' | 'GET_QUOTA' | 'UPDATE_QUOTA' | 'SET_QUOTA' | 'REMOVE_QUOTA'
  | 'TEARDOWN' | 'MARK_AGENT_GONE';

export const OPERATOR_CALL_TYPES: readonly OperatorCallType[] = [
  'UNKNOWN', 'GET_HEALTH', 'GET_FLAGS', 'GET_VERSION', 'GET_METRICS', 'GET_LOGGING_LEVEL', 'SET_LOGGING_LEVEL',
  'LIST_FILES', 'READ_FILE', 'GET_STATE', 'GET_AGENTS', 'GET_FRAMEWORKS', 'GET_EXECUTORS', 'GET_OPERATIONS',
  'GET_TASKS', 'GET_ROLES', 'GET_WEIGHTS', 'UPDATE_WEIGHTS', 'GET_MASTER', 'SUBSCRIBE', 'RESERVE_RESOURCES',
  'UNRESERVE_RESOURCES', 'CREATE_VOLUMES', 'DESTROY_VOLUMES', 'GROW_VOLUME', 'SHRINK_VOLUME',
  'GET_MAINTENANCE_STATUS', 'GET_MAINTENANCE_SCHEDULE', 'UPDATE_MAINTENANCE_SCHEDULE', 'START_MAINTENANCE',
  'STOP_MAINTENANCE', 'DRAIN_AGENT', 'DEACTIVATE_AGENT', 'REACTIVATE_AGENT', 'GET_QUOTA', 'UPDATE_QUOTA',
  'SET_QUOTA', 'REMOVE_QUOTA', 'TEARDOWN', 'MARK_AGENT_GONE',
];

export interface OperatorCall {
  type: OperatorCallType;
  get_metrics?: { timeout?: { nanoseconds: number } };
  set_logging_level?: { level: number; duration: { nanoseconds: number } };
  update_weights?: { weight_infos?: WeightInfo[] };
  teardown?: { framework_id: FrameworkID };
  mark_agent_gone?: { agent_id: AgentID };
  deactivate_agent?: { agent_id: AgentID };
  reactivate_agent?: { agent_id: AgentID };
  [member: string]: unknown;
}

export interface GetAgentsAgent {
  agent_info: AgentInfo;
  active: boolean;
  deactivated?: boolean;
  version: string;
  pid?: string;
  registered_time?: TimeInfo;
  reregistered_time?: TimeInfo;
  total_resources?: Resource[];
  allocated_resources?: Resource[];
  offered_resources?: Resource[];
  capabilities?: Array<{ type: AgentCapabilityType }>;
}

export interface GetAgents { agents?: GetAgentsAgent[]; recovered_agents?: AgentInfo[] }

export interface GetFrameworksFramework {
  framework_info: FrameworkInfo;
  active: boolean;
  connected: boolean;
  recovered: boolean;
  registered_time?: TimeInfo;
  reregistered_time?: TimeInfo;
  unregistered_time?: TimeInfo;
  offers?: Offer[];
  allocated_resources?: Resource[];
  offered_resources?: Resource[];
}

export interface GetFrameworks { frameworks?: GetFrameworksFramework[]; completed_frameworks?: GetFrameworksFramework[] }

export interface GetTasks { tasks?: Task[]; unreachable_tasks?: Task[]; completed_tasks?: Task[] }

/** `directory` (the executor's sandbox on its agent) is Tepui's addition to master.proto's GetExecutors.Executor. */
export interface GetExecutors { executors?: Array<{ executor_info: ExecutorInfo; agent_id: AgentID; directory?: string }> }

export interface GetState {
  get_tasks: GetTasks;
  get_executors: GetExecutors;
  get_frameworks: GetFrameworks;
  get_agents: GetAgents;
}

/** mesos.v1.WeightInfo: `role` is optional in the proto (an empty role is refused). */
export interface WeightInfo { weight: number; role?: string }

export interface RoleInfo { name: string; weight: number; frameworks?: FrameworkID[]; resources?: Resource[] }

export interface OperatorResponse {
  type: OperatorCallType;
  get_health?: { healthy: boolean };
  get_flags?: { flags: Array<{ name: string; value?: string }> };
  get_version?: { version_info: VersionInfo };
  get_metrics?: { metrics?: Array<{ name: string; value?: number }> };
  get_state?: GetState;
  get_agents?: GetAgents;
  get_frameworks?: GetFrameworks;
  get_executors?: GetExecutors;
  get_tasks?: GetTasks;
  get_roles?: { roles?: RoleInfo[] };
  get_weights?: { weight_infos?: Array<{ weight: number; role: string }> };
  get_master?: { master_info: MasterInfo; start_time?: number; elected_time?: number };
  get_logging_level?: { level: number };
  get_operations?: { operations?: unknown[] };
  get_quota?: { status: { infos?: unknown[]; configs?: unknown[] } };
  get_maintenance_status?: { status: { draining_machines?: unknown[]; down_machines?: unknown[] } };
  get_maintenance_schedule?: { schedule: { windows?: unknown[] } };
}

export interface VersionInfo { version: string; build_date?: string; build_time?: number; build_user?: string; git_sha?: string }

export type OperatorEventType =
  | 'UNKNOWN' | 'SUBSCRIBED' | 'TASK_ADDED' | 'TASK_UPDATED' | 'AGENT_ADDED' | 'AGENT_REMOVED'
  | 'FRAMEWORK_ADDED' | 'FRAMEWORK_UPDATED' | 'FRAMEWORK_REMOVED' | 'HEARTBEAT';

export interface OperatorEvent {
  type: OperatorEventType;
  subscribed?: { get_state: GetState; heartbeat_interval_seconds?: number };
  task_added?: { task: Task };
  task_updated?: { framework_id: FrameworkID; status: TaskStatus; state: TaskState };
  agent_added?: { agent: GetAgentsAgent };
  agent_removed?: { agent_id: AgentID };
  framework_added?: { framework: GetFrameworksFramework };
  framework_updated?: { framework: GetFrameworksFramework };
  framework_removed?: { framework_info: FrameworkInfo };
}
