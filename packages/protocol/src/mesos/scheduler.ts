// mesos.v1.scheduler.Call / Event (include/mesos/v1/scheduler/scheduler.proto), JSON mapping.
import type {
  AgentID, ExecutorID, Filters, FrameworkID, FrameworkInfo, KillPolicy, MasterInfo, Offer, OfferID,
  OfferOperation, OperationID, OperationStatus, TaskID, TaskStatus,
} from './messages';
import type { Resource } from './values';

export type SchedulerCallType =
  | 'UNKNOWN' | 'SUBSCRIBE' | 'TEARDOWN' | 'ACCEPT' | 'DECLINE' | 'ACCEPT_INVERSE_OFFERS'
  | 'DECLINE_INVERSE_OFFERS' | 'REVIVE' | 'KILL' | 'SHUTDOWN' | 'ACKNOWLEDGE' | 'ACKNOWLEDGE_OPERATION_STATUS'
  | 'RECONCILE' | 'RECONCILE_OPERATIONS' | 'MESSAGE' | 'REQUEST' | 'SUPPRESS' | 'UPDATE_FRAMEWORK';

export const SCHEDULER_CALL_TYPES: readonly SchedulerCallType[] = [
  'UNKNOWN', 'SUBSCRIBE', 'TEARDOWN', 'ACCEPT', 'DECLINE', 'ACCEPT_INVERSE_OFFERS', 'DECLINE_INVERSE_OFFERS',
  'REVIVE', 'KILL', 'SHUTDOWN', 'ACKNOWLEDGE', 'ACKNOWLEDGE_OPERATION_STATUS', 'RECONCILE',
  'RECONCILE_OPERATIONS', 'MESSAGE', 'REQUEST', 'SUPPRESS', 'UPDATE_FRAMEWORK',
];

export interface SchedulerCall {
  framework_id?: FrameworkID;
  type: SchedulerCallType;
  subscribe?: { framework_info: FrameworkInfo; suppressed_roles?: string[]; offer_constraints?: unknown };
  accept?: { offer_ids?: OfferID[]; operations?: OfferOperation[]; filters?: Filters };
  decline?: { offer_ids?: OfferID[]; filters?: Filters };
  accept_inverse_offers?: { inverse_offer_ids?: OfferID[]; filters?: Filters };
  decline_inverse_offers?: { inverse_offer_ids?: OfferID[]; filters?: Filters };
  revive?: { role?: string; roles?: string[] };
  suppress?: { roles?: string[] };
  kill?: { task_id: TaskID; agent_id?: AgentID; kill_policy?: KillPolicy };
  shutdown?: { executor_id: ExecutorID; agent_id: AgentID };
  acknowledge?: { agent_id: AgentID; task_id: TaskID; uuid: string };
  acknowledge_operation_status?: { agent_id?: AgentID; resource_provider_id?: { value: string }; uuid: string; operation_id: OperationID };
  reconcile?: { tasks?: Array<{ task_id: TaskID; agent_id?: AgentID }> };
  reconcile_operations?: { operations?: Array<{ operation_id: OperationID; agent_id?: AgentID; resource_provider_id?: { value: string } }> };
  message?: { agent_id: AgentID; executor_id: ExecutorID; data: string };
  request?: { requests?: Array<{ agent_id?: AgentID; resources?: Resource[] }> };
  update_framework?: { framework_info: FrameworkInfo; suppressed_roles?: string[]; offer_constraints?: unknown };
}

export type SchedulerEventType =
  | 'SUBSCRIBED' | 'OFFERS' | 'INVERSE_OFFERS' | 'RESCIND' | 'RESCIND_INVERSE_OFFER' | 'UPDATE'
  | 'UPDATE_OPERATION_STATUS' | 'MESSAGE' | 'FAILURE' | 'ERROR' | 'HEARTBEAT';

export interface SchedulerEvent {
  type: SchedulerEventType;
  subscribed?: { framework_id: FrameworkID; heartbeat_interval_seconds?: number; master_info?: MasterInfo };
  offers?: { offers?: Offer[]; inverse_offers?: unknown[] };
  inverse_offers?: { inverse_offers: unknown[] };
  rescind?: { offer_id: OfferID };
  rescind_inverse_offer?: { inverse_offer_id: OfferID };
  update?: { status: TaskStatus };
  update_operation_status?: { status: OperationStatus };
  message?: { agent_id: AgentID; executor_id: ExecutorID; data: string };
  failure?: { agent_id?: AgentID; executor_id?: ExecutorID; status?: number };
  error?: { message: string };
}
