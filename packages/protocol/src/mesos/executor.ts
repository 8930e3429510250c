// mesos.v1.executor.Call / Event (include/mesos/v1/executor/executor.proto), JSON mapping.
import type {
  AgentInfo, ContainerID, ExecutorID, ExecutorInfo, FrameworkID, FrameworkInfo, KillPolicy, TaskGroupInfo,
  TaskID, TaskInfo, TaskStatus,
} from './messages';

export type ExecutorCallType = 'UNKNOWN' | 'SUBSCRIBE' | 'UPDATE' | 'MESSAGE' | 'HEARTBEAT';

export interface ExecutorCall {
  executor_id: ExecutorID;
  framework_id: FrameworkID;
  type: ExecutorCallType;
  subscribe?: { unacknowledged_tasks?: TaskInfo[]; unacknowledged_updates?: Array<{ status: TaskStatus }> };
  update?: { status: TaskStatus };
  message?: { data: string };
}

export type ExecutorEventType =
  | 'SUBSCRIBED' | 'LAUNCH' | 'LAUNCH_GROUP' | 'KILL' | 'ACKNOWLEDGED' | 'MESSAGE' | 'SHUTDOWN' | 'ERROR'
  | 'HEARTBEAT';

export interface ExecutorEvent {
  type: ExecutorEventType;
  subscribed?: { executor_info: ExecutorInfo; framework_info: FrameworkInfo; agent_info: AgentInfo; container_id?: ContainerID };
  launch?: { task: TaskInfo };
  launch_group?: { task_group: TaskGroupInfo };
  kill?: { task_id: TaskID; kill_policy?: KillPolicy };
  acknowledged?: { task_id: TaskID; uuid: string };
  message?: { data: string };
  error?: { message: string };
}
