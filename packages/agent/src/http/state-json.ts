// The agent's /state (Mesos' slave state.json shape: plain-string ids, flat resources).
import type { DockerAvailability } from '../containerizer/docker-probe';
import { Resources, attributesToStateJson, type Attribute } from '@tepui/protocol';
import type { AgentCore } from '../agent-core';
import type { ExecutorRun, FrameworkEntry, TaskEntry } from '../executors/executor-run';

type Json = Record<string, unknown>;

function taskJson(agentId: string, fw: FrameworkEntry, run: ExecutorRun, t: TaskEntry): Json {
  return {
    id: t.info.task_id.value,
    name: t.info.name,
    framework_id: fw.id,
    executor_id: run.commandExecutor ? '' : run.id,
    slave_id: agentId,
    state: t.state,
    resources: Resources.of(t.info.resources ?? []).toStateJson(),
    statuses: t.latestStatus ? [{ state: t.latestStatus.state, timestamp: t.latestStatus.timestamp }] : [],
  };
}

function executorJson(agentId: string, fw: FrameworkEntry, run: ExecutorRun): Json {
  return {
    id: run.id,
    name: run.info.name ?? '',
    source: run.info.source ?? '',
    container: run.containerId,
    directory: run.paths?.sandbox ?? '',
    type: run.commandExecutor ? 'DEFAULT' : run.info.type ?? 'CUSTOM',
    tasks: [...run.tasks.values()].filter((t) => t.launched).map((t) => taskJson(agentId, fw, run, t)),
    queued_tasks: [...run.tasks.values()].filter((t) => !t.launched).map((t) => taskJson(agentId, fw, run, t)),
    completed_tasks: run.completedTasks.map((t) => taskJson(agentId, fw, run, t)),
  };
}

function frameworkJson(agentId: string, fw: FrameworkEntry): Json {
  return {
    id: fw.id,
    name: fw.info.name,
    user: fw.info.user,
    checkpoint: fw.checkpoint,
    role: fw.info.role ?? '*',
    executors: [...fw.executors.values()].map((r) => executorJson(agentId, fw, r)),
    completed_executors: fw.completedExecutors.map((r) => executorJson(agentId, fw, r)),
  };
}

export interface AgentStateInput {
  readonly core: AgentCore;
  readonly version: string;
  readonly resources: Resources;
  readonly attributes: readonly Attribute[];
  readonly masterHostname?: string;
  readonly startTime: number;
  readonly flags: ReadonlyMap<string, string>;
  readonly docker: DockerAvailability;
}

export function agentStateJson(input: AgentStateInput): Json {
  const { core } = input;
  const id = core.agentId;
  return {
    version: input.version,
    id,
    pid: `slave(1)@${core.identity.ip}:${core.identity.port}`,
    hostname: core.identity.hostname,
    start_time: input.startTime / 1000,
    resources: input.resources.toStateJson(),
    attributes: attributesToStateJson(input.attributes),
    master_hostname: input.masterHostname ?? '',
    flags: Object.fromEntries(input.flags),
    frameworks: [...core.frameworks.values()].map((fw) => frameworkJson(id, fw)),
    completed_frameworks: core.completedFrameworks.map((fw) => frameworkJson(id, fw)),
    docker_available: input.docker.available,
    docker: { available: input.docker.available, host: input.docker.host, ...(input.docker.error ? { error: input.docker.error } : {}) },
  };
}
