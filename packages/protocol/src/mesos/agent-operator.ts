// mesos.v1.agent.Call / Response (include/mesos/v1/agent/agent.proto), JSON mapping: the calls
// Tepui's agent answers (LIST_FILES, READ_FILE, GET_CONTAINERS) and the names of every other one,
// so a refusal can name the call it does not serve. Also the usage statistics the agent reports
// there and at /monitor/statistics (mesos.proto ResourceStatistics).
import type { ContainerID, ContainerStatus, ExecutorID, FrameworkID, TimeInfo } from './messages';

export const AGENT_CALL_TYPES = [
  'UNKNOWN', 'GET_HEALTH', 'GET_FLAGS', 'GET_VERSION', 'GET_METRICS', 'GET_LOGGING_LEVEL', 'SET_LOGGING_LEVEL',
  'LIST_FILES', 'READ_FILE', 'GET_STATE', 'GET_CONTAINERS', 'GET_FRAMEWORKS', 'GET_EXECUTORS', 'GET_OPERATIONS',
  'GET_TASKS', 'GET_AGENT', 'GET_RESOURCE_PROVIDERS', 'LAUNCH_NESTED_CONTAINER', 'WAIT_NESTED_CONTAINER',
  'KILL_NESTED_CONTAINER', 'REMOVE_NESTED_CONTAINER', 'LAUNCH_NESTED_CONTAINER_SESSION', 'ATTACH_CONTAINER_INPUT',
  'ATTACH_CONTAINER_OUTPUT', 'LAUNCH_CONTAINER', 'WAIT_CONTAINER', 'KILL_CONTAINER', 'REMOVE_CONTAINER',
  'ADD_RESOURCE_PROVIDER_CONFIG', 'UPDATE_RESOURCE_PROVIDER_CONFIG', 'REMOVE_RESOURCE_PROVIDER_CONFIG',
  'MARK_RESOURCE_PROVIDER_GONE', 'PRUNE_IMAGES',
] as const;

export type AgentCallType = (typeof AGENT_CALL_TYPES)[number];

export interface AgentCall {
  type: AgentCallType;
  /** Call.ListFiles: a path as the files API names it (virtual or real). */
  list_files?: { path: string };
  /** Call.ReadFile: `length` is capped at 16 pages, as /files/read caps it. */
  read_file?: { path: string; offset: number; length?: number };
  /** Call.GetContainers: Tepui runs neither nested nor standalone containers, so both flags change nothing. */
  get_containers?: { show_nested?: boolean; show_standalone?: boolean };
  [member: string]: unknown;
}

/** mesos.v1.FileInfo (mesos.proto): `mode` is st_mode as a number here, unlike /files/browse's string. */
export interface FileInfo {
  path: string;
  nlink?: number;
  size?: number;
  mtime?: TimeInfo;
  mode?: number;
  uid?: string;
  gid?: string;
}

export interface AgentListFilesResponse {
  type: 'LIST_FILES';
  list_files: { file_infos: FileInfo[] };
}

/** `data` is the bytes read, base64 in JSON; `size` the file's whole size. */
export interface AgentReadFileResponse {
  type: 'READ_FILE';
  read_file: { size: number; data: string };
}

/** One entry of /files/browse (src/common/http.cpp `model(FileInfo)`): mtime in seconds, mode as `-rw-r--r--`. */
export interface BrowseEntry {
  path: string;
  nlink: number;
  size: number;
  mtime: number;
  mode: string;
  uid: string;
  gid: string;
}

/** /files/read's answer: `offset` is the one asked for, or the file's size for `offset=-1`. */
export interface FilesReadJson {
  data: string;
  offset: number;
}

/**
 * mesos.v1.ResourceStatistics, the fields Tepui samples: CPU times and resident memory of the
 * executor's processes (or its containers' in the Docker Engine), bytes under its sandbox, and the
 * limits its executor and tasks asked for. Times are seconds; `timestamp` is seconds since the epoch.
 */
export interface ResourceStatistics {
  timestamp: number;
  processes?: number;
  threads?: number;
  cpus_user_time_secs?: number;
  cpus_system_time_secs?: number;
  cpus_limit?: number;
  mem_rss_bytes?: number;
  mem_limit_bytes?: number;
  disk_used_bytes?: number;
  disk_limit_bytes?: number;
}

/** One entry of the agent's /monitor/statistics (src/slave/http.cpp `_statistics`): plain-string ids. */
export interface MonitorStatisticsEntry {
  executor_id: string;
  executor_name: string;
  framework_id: string;
  source: string;
  statistics: ResourceStatistics;
}

/** Response.GetContainers.Container: one per live executor. */
export interface AgentContainer {
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  executor_name: string;
  container_id: ContainerID;
  container_status?: ContainerStatus;
  resource_statistics?: ResourceStatistics;
}

/** `containers` is left out when there are none, as Mesos' JSON leaves out an empty repeated field. */
export interface AgentGetContainersResponse {
  type: 'GET_CONTAINERS';
  get_containers: { containers?: AgentContainer[] };
}
