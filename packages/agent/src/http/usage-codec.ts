// The monitor's samples in the two shapes Mesos' agent serves them: /monitor/statistics
// (src/slave/http.cpp `_statistics`: plain-string ids, the ExecutorInfo's name and source) and the
// v1 operator call GET_CONTAINERS (agent.proto Response.GetContainers, ids as {value}).
import type { AgentContainer, AgentGetContainersResponse, MonitorStatisticsEntry } from '@tepui/protocol';
import type { ExecutorUsage } from '../usage/resource-monitor';

export function monitorStatisticsJson(usages: readonly ExecutorUsage[]): MonitorStatisticsEntry[] {
  return usages.map(({ run, statistics }) => ({
    executor_id: run.id,
    executor_name: run.info.name ?? '',
    framework_id: run.frameworkId,
    source: run.info.source ?? '',
    statistics,
  }));
}

export function getContainersResponse(usages: readonly ExecutorUsage[]): AgentGetContainersResponse {
  const containers = usages.map(({ run, statistics }): AgentContainer => ({
    framework_id: { value: run.frameworkId },
    executor_id: { value: run.id },
    executor_name: run.info.name ?? '',
    container_id: { value: run.containerId },
    container_status: { container_id: { value: run.containerId }, ...(run.pid !== undefined ? { executor_pid: run.pid } : {}) },
    resource_statistics: statistics,
  }));
  // Mesos' JSON leaves an empty repeated field out.
  return { type: 'GET_CONTAINERS', get_containers: containers.length > 0 ? { containers } : {} };
}
