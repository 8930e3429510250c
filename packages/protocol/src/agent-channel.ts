// The master↔agent channel. Mesos uses libprocess messages (internal/messages.proto); Tepui uses
// one WebSocket per agent at ws://<master>/api/tepui/v1/agent carrying JSON frames. Each frame is
// an array of messages so either side can batch a burst into one write.
// The shapes reuse the v1 JSON types; field names stay snake_case like the rest of the wire.
import type {
  AgentCapabilityType, AgentID, AgentInfo, ContainerID, ExecutorID, ExecutorInfo, FrameworkID, FrameworkInfo, KillPolicy,
  MasterInfo, Task, TaskGroupInfo, TaskID, TaskInfo, TaskState, TaskStatus,
} from './mesos/messages';

export const AGENT_CHANNEL_PATH = '/api/tepui/v1/agent';

/** A status update travelling agent → master, as Mesos' StatusUpdate (with the stream's latest state). */
export interface StatusUpdate {
  framework_id: FrameworkID;
  executor_id?: ExecutorID;
  agent_id: AgentID;
  status: TaskStatus;
  /** The latest state the agent knows for the task, which may be ahead of `status`. */
  latest_state?: TaskState;
}

export interface ExecutorRecord {
  framework_id: FrameworkID;
  executor_info: ExecutorInfo;
  /** Its sandbox on the agent (the `directory` of the agent's /state), which the master's state reports too. */
  directory?: string;
}

// ---- agent → master ----

export interface RegisterAgentMessage {
  type: 'REGISTER_AGENT';
  agent_info: AgentInfo;
  capabilities: AgentCapabilityType[];
  version: string;
  /** `slave(1)@ip:port`, what /master/state shows as the agent pid. */
  pid: string;
}

export interface ReregisterAgentMessage {
  type: 'REREGISTER_AGENT';
  agent_info: AgentInfo & { id: AgentID };
  capabilities: AgentCapabilityType[];
  version: string;
  pid: string;
  /** Every non-terminal or not-yet-acknowledged task the agent runs. */
  tasks: Task[];
  executors: ExecutorRecord[];
  frameworks: FrameworkInfo[];
}

export interface StatusUpdateMessage {
  type: 'STATUS_UPDATE';
  update: StatusUpdate;
}

export interface ExecutorToFrameworkMessage {
  type: 'EXECUTOR_TO_FRAMEWORK';
  agent_id: AgentID;
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  data: string;
}

export interface ExitedExecutorMessage {
  type: 'EXITED_EXECUTOR';
  agent_id: AgentID;
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  /** Wait status of the executor process. */
  status?: number;
}

/**
 * Tepui's own: an executor the master tracks (not a command or Docker executor, which Mesos' master
 * never learns of) is up, in this container and sandbox. Mesos' master does not know sandboxes;
 * Tepui's reports them in its state so a client can find a task's files without asking the agent.
 */
export interface ExecutorLaunchedMessage {
  type: 'EXECUTOR_LAUNCHED';
  agent_id: AgentID;
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  container_id: ContainerID;
  directory: string;
}

export interface PongMessage {
  type: 'PONG';
}

export interface UnregisterAgentMessage {
  type: 'UNREGISTER_AGENT';
  agent_id: AgentID;
}

export type AgentToMasterMessage =
  | RegisterAgentMessage | ReregisterAgentMessage | StatusUpdateMessage | ExecutorToFrameworkMessage
  | ExitedExecutorMessage | ExecutorLaunchedMessage | PongMessage | UnregisterAgentMessage;

// ---- master → agent ----

export interface AgentRegisteredMessage {
  type: 'AGENT_REGISTERED';
  agent_id: AgentID;
  master_info: MasterInfo;
  /** How often the master pings; the agent treats a silence of ping_timeout × max_ping_timeouts as master loss. */
  ping_interval_seconds: number;
}

export interface AgentReregisteredMessage {
  type: 'AGENT_REREGISTERED';
  agent_id: AgentID;
  master_info: MasterInfo;
  ping_interval_seconds: number;
}

export interface RunTaskMessage {
  type: 'RUN_TASK';
  framework_info: FrameworkInfo & { id: FrameworkID };
  task: TaskInfo;
}

export interface RunTaskGroupMessage {
  type: 'RUN_TASK_GROUP';
  framework_info: FrameworkInfo & { id: FrameworkID };
  executor_info: ExecutorInfo;
  task_group: TaskGroupInfo;
}

export interface KillTaskMessage {
  type: 'KILL_TASK';
  framework_id: FrameworkID;
  task_id: TaskID;
  kill_policy?: KillPolicy;
}

export interface StatusUpdateAcknowledgementMessage {
  type: 'STATUS_UPDATE_ACK';
  framework_id: FrameworkID;
  task_id: TaskID;
  /** Base64 of the 16-byte uuid being acknowledged. */
  uuid: string;
}

export interface FrameworkToExecutorMessage {
  type: 'FRAMEWORK_TO_EXECUTOR';
  framework_id: FrameworkID;
  executor_id: ExecutorID;
  data: string;
}

export interface ShutdownFrameworkMessage {
  type: 'SHUTDOWN_FRAMEWORK';
  framework_id: FrameworkID;
}

export interface ShutdownExecutorMessage {
  type: 'SHUTDOWN_EXECUTOR';
  framework_id: FrameworkID;
  executor_id: ExecutorID;
}

export interface UpdateFrameworkMessage {
  type: 'UPDATE_FRAMEWORK';
  framework_info: FrameworkInfo & { id: FrameworkID };
}

/**
 * Sent after re-registration with the tasks the master believes are on the agent; the agent
 * answers TASK_DROPPED/TASK_LOST updates for any it does not know (a launch lost in flight).
 */
export interface ReconcileTasksMessage {
  type: 'RECONCILE_TASKS';
  framework_id: FrameworkID;
  tasks: Array<{ task_id: TaskID; state: TaskState }>;
}

export interface PingMessage {
  type: 'PING';
  /** False when the master considers the agent disconnected. */
  connected: boolean;
}

/** The master refuses or removes the agent; the agent must stop and not re-register with its id. */
export interface ShutdownAgentMessage {
  type: 'SHUTDOWN_AGENT';
  message: string;
}

export type MasterToAgentMessage =
  | AgentRegisteredMessage | AgentReregisteredMessage | RunTaskMessage | RunTaskGroupMessage | KillTaskMessage
  | StatusUpdateAcknowledgementMessage | FrameworkToExecutorMessage | ShutdownFrameworkMessage
  | ShutdownExecutorMessage | UpdateFrameworkMessage | ReconcileTasksMessage | PingMessage | ShutdownAgentMessage;

export type AgentChannelFrame<M> = M[];
