// Marathon's event bus payloads (core/event/Events.scala as /v2/events serialises them).
// Every event has `eventType` and `timestamp`; the rest depends on the type.

export interface MarathonEventBase {
  eventType: string;
  /** ISO-8601 with milliseconds, e.g. 2024-05-01T10:00:04.201Z */
  timestamp: string;
}

export interface DeploymentStepJson {
  actions: Array<{ action: string; app: string }>;
}

export interface DeploymentPlanJson {
  id: string;
  steps: DeploymentStepJson[];
  version: string;
}

export type MarathonEvent = MarathonEventBase &
  (
    | { eventType: 'api_post_event'; clientIp: string; uri: string; appDefinition: unknown }
    | {
        eventType: 'status_update_event';
        slaveId: string;
        taskId: string;
        taskStatus: string;
        message: string;
        appId: string;
        host: string;
        ipAddresses: Array<{ ipAddress: string; protocol: 'IPv4' | 'IPv6' }>;
        ports: number[];
        version: string;
      }
    | { eventType: 'instance_changed_event'; instanceId: string; condition: string; runSpecId: string; agentId: string; host: string; runSpecVersion: string }
    | { eventType: 'instance_health_changed_event'; instanceId: string; runSpecId: string; runSpecVersion: string; healthy: boolean | null }
    | { eventType: 'add_health_check_event'; appId: string; version: string; healthCheck: unknown }
    | { eventType: 'remove_health_check_event'; appId: string }
    | { eventType: 'failed_health_check_event'; appId: string; taskId: string; healthCheck: unknown }
    | { eventType: 'health_status_changed_event'; appId: string; instanceId: string; version: string; alive: boolean }
    | { eventType: 'unhealthy_instance_kill_event'; appId: string; taskId: string; instanceId: string; version: string; reason: string; host: string; slaveId: string }
    | { eventType: 'group_change_success'; groupId: string; version: string }
    | { eventType: 'group_change_failed'; groupId: string; version: string; reason: string }
    | { eventType: 'deployment_info' | 'deployment_step_success' | 'deployment_step_failure'; plan: DeploymentPlanJson; currentStep: DeploymentStepJson }
    | { eventType: 'deployment_success'; id: string; plan: DeploymentPlanJson }
    | { eventType: 'deployment_failed'; id: string; plan: DeploymentPlanJson; reason?: string }
    | { eventType: 'app_terminated_event'; appId: string }
    | { eventType: 'framework_message_event'; slaveId: string; executorId: string; message: string }
    | { eventType: 'scheduler_registered_event'; frameworkId: string; master: string }
    | { eventType: 'scheduler_reregistered_event'; master: string }
    | { eventType: 'scheduler_disconnected_event' }
    | { eventType: 'event_stream_attached' | 'event_stream_detached'; remoteAddress: string }
  );

/** Marathon's error envelope (api/MarathonExceptionMapper.scala). */
export interface MarathonErrorBody {
  message: string;
  details?: string | Array<{ path: string; errors: string[] }>;
  deployments?: Array<{ id: string }>;
}
