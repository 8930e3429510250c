// The agent's metrics: Prometheus series on a Registry passed in, and Mesos' slave/* snapshot keys.
import { Gauge, type Registry } from 'prom-client';
import type { AgentCore } from './agent-core';

export class AgentMetrics {
  readonly registered: Gauge;

  constructor(readonly registry: Registry) {
    this.registered = new Gauge({ name: 'tepui_agent_registered', help: '1 while registered with a master', registers: [registry] });
  }
}

export function agentSnapshot(core: AgentCore, registered: boolean, startTime: number, now: number): Record<string, number> {
  const counts: Record<string, number> = { TASK_STAGING: 0, TASK_STARTING: 0, TASK_RUNNING: 0, TASK_KILLING: 0 };
  let executors = 0;
  for (const fw of core.frameworks.values()) {
    for (const run of fw.executors.values()) {
      if (run.live) executors++;
      for (const t of run.tasks.values()) if (counts[t.state] !== undefined) counts[t.state]!++;
    }
  }
  return {
    'slave/registered': registered ? 1 : 0,
    'slave/uptime_secs': (now - startTime) / 1000,
    'slave/frameworks_active': core.frameworks.size,
    'slave/executors_running': executors,
    'slave/tasks_staging': counts.TASK_STAGING!,
    'slave/tasks_starting': counts.TASK_STARTING!,
    'slave/tasks_running': counts.TASK_RUNNING!,
    'slave/tasks_killing': counts.TASK_KILLING!,
    'slave/status_update_streams': core.updates.size,
  };
}
