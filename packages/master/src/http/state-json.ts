// The hand-written JSON of /master/state (src/master/readonly_handler.cpp): plain-string ids,
// flat resource objects, `slaves` rather than agents. Mesos-DNS and many tools read it.
import { MESOS_API_VERSION, Resources, TEPUI_BUILD, attributesToStateJson, type MasterInfo, type Resource, type Task } from '@tepui/protocol';
import type { Master } from '../master';
import type { Agent } from '../agents/agent';
import type { Framework } from '../frameworks/framework';
import { offeredResources } from '../frameworks/framework-json';

type Json = Record<string, unknown>;

const secs = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

function flat(resources: readonly Resource[] | Resources): Record<string, number | string> {
  return (resources instanceof Resources ? resources : Resources.of(resources)).toStateJson();
}

export function taskStateJson(task: Task): Json {
  const role = task.resources.find((r) => r.allocation_info?.role)?.allocation_info?.role;
  const json: Json = {
    id: task.task_id.value,
    name: task.name,
    framework_id: task.framework_id.value,
    executor_id: task.executor_id?.value ?? '',
    slave_id: task.agent_id.value,
    state: task.state,
    resources: flat(task.resources),
    role: role ?? '*',
    statuses: (task.statuses ?? []).map((s) => {
      const status: Json = { state: s.state, timestamp: s.timestamp };
      if (s.labels?.labels.length) status.labels = s.labels.labels;
      if (s.container_status) status.container_status = s.container_status;
      if (s.healthy !== undefined) status.healthy = s.healthy;
      return status;
    }),
  };
  if (task.limits) json.limits = Object.fromEntries(Object.entries(task.limits).map(([k, v]) => [k, v.value]));
  if (task.user) json.user = task.user;
  if (task.labels?.labels.length) json.labels = task.labels.labels;
  if (task.discovery) json.discovery = task.discovery;
  if (task.container) json.container = task.container;
  if (task.health_check) json.health_check = task.health_check;
  return json;
}

function frameworkStateJson(master: Master, fw: Framework): Json {
  const used = master.allocator.frameworkAllocation(fw.id).minus(offeredResources(master, fw));
  const offers = master.offers.ofFramework(fw.id).map((o) => ({
    id: o.id, framework_id: o.frameworkId, allocation_info: { role: o.role }, slave_id: o.agentId, resources: flat(o.resources),
  }));
  const executors: Json[] = [];
  for (const agent of master.agents.values()) {
    for (const e of agent.executors.get(fw.id)?.values() ?? []) {
      executors.push({
        executor_id: e.executor_id.value, name: e.name ?? '', framework_id: fw.id,
        command: { shell: e.command?.shell ?? true, value: e.command?.value, argv: e.command?.arguments ?? [], uris: e.command?.uris ?? [] },
        resources: flat(e.resources ?? []), slave_id: agent.id, ...(e.type ? { type: e.type } : {}),
        // Not in Mesos' master state: its agent's /state has it, under the same name.
        directory: agent.executorDirectory(fw.id, e.executor_id.value) ?? '',
      });
    }
  }
  const json: Json = {
    id: fw.id,
    name: fw.info.name,
    used_resources: flat(used),
    offered_resources: flat(offeredResources(master, fw)),
    capabilities: (fw.info.capabilities ?? []).map((c) => c.type),
    hostname: fw.info.hostname ?? '',
    webui_url: fw.info.webui_url ?? '',
    active: fw.active,
    connected: fw.connected,
    recovered: fw.recovered,
    user: fw.info.user,
    failover_timeout: fw.info.failover_timeout ?? 0,
    checkpoint: fw.info.checkpoint ?? false,
    registered_time: secs(fw.registeredTime),
    unregistered_time: secs(fw.unregisteredTime) ?? 0,
    resources: flat(used),
    tasks: [...fw.tasks.values()].map(taskStateJson),
    unreachable_tasks: [...fw.unreachableTasks.values()].map(taskStateJson),
    completed_tasks: fw.completedTasks.map(taskStateJson),
    offers,
    executors,
  };
  if (fw.multiRole) json.roles = fw.info.roles ?? [];
  else json.role = fw.info.role ?? '*';
  if (fw.info.principal) json.principal = fw.info.principal;
  if (fw.reregisteredTime !== undefined && fw.reregisteredTime !== fw.registeredTime) json.reregistered_time = secs(fw.reregisteredTime);
  if (fw.info.labels?.labels.length) json.labels = fw.info.labels.labels;
  return json;
}

export function agentStateJson(master: Master, agent: Agent): Json {
  const allocated = master.allocator.agentAllocated(agent.id);
  const offered = master.offers.ofAgent(agent.id).reduce((sum, o) => sum.plus(o.resources), Resources.EMPTY);
  const json: Json = {
    id: agent.id,
    hostname: agent.info.hostname,
    port: agent.address.port,
    attributes: attributesToStateJson(agent.info.attributes ?? []),
    pid: agent.pid,
    registered_time: secs(agent.registeredTime),
    resources: flat(agent.total),
    used_resources: flat(allocated.minus(offered).unallocate()),
    offered_resources: flat(offered.unallocate()),
    reserved_resources: Object.fromEntries(
      [...new Set(agent.total.toArray().map((r) => Resources.reservationRole(r)).filter((r) => r !== '*'))].map((role) => [role, flat(agent.total.reserved(role))]),
    ),
    unreserved_resources: flat(agent.total.unreserved()),
    active: agent.active,
    deactivated: agent.deactivatedByOperator,
    version: agent.version,
    capabilities: agent.capabilities,
  };
  if (agent.reregisteredTime !== undefined) json.reregistered_time = secs(agent.reregisteredTime);
  return json;
}

export function masterStateJson(master: Master, leader: MasterInfo | undefined): Json {
  const info = master.info;
  const json: Json = {
    version: MESOS_API_VERSION,
    build_date: TEPUI_BUILD.date,
    build_time: TEPUI_BUILD.time,
    build_user: TEPUI_BUILD.user,
    start_time: secs(master.startTime),
    ...(master.electedTime !== undefined ? { elected_time: secs(master.electedTime) } : {}),
    id: info.id,
    pid: info.pid,
    hostname: info.hostname,
    capabilities: (info.capabilities ?? []).map((c) => c.type),
    activated_slaves: [...master.agents.values()].filter((a) => a.active).length,
    deactivated_slaves: [...master.agents.values()].filter((a) => !a.active).length,
    unreachable_slaves: master.unreachableAgents.size,
    flags: Object.fromEntries(master.config.flags),
    slaves: [...master.agents.values()].map((a) => agentStateJson(master, a)),
    recovered_slaves: recoveredAgentsJson(master),
    frameworks: [...master.frameworks.values()].map((f) => frameworkStateJson(master, f)),
    completed_frameworks: master.completedFrameworks.map((f) => frameworkStateJson(master, f)),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
  if (master.config.cluster) json.cluster = master.config.cluster;
  if (leader) {
    json.leader = leader.pid;
    json.leader_info = leaderInfoJson(leader);
  }
  return json;
}

/** MasterInfo as /master/state's `leader_info` shows it (the protobuf's JSON, address included). */
function leaderInfoJson(leader: MasterInfo): Json {
  return {
    id: leader.id, pid: leader.pid, port: leader.port, hostname: leader.hostname, ip: leader.ip,
    ...(leader.version ? { version: leader.version } : {}),
    ...(leader.address ? { address: leader.address } : {}),
    ...(leader.capabilities ? { capabilities: leader.capabilities } : {}),
  };
}

/** Agents of the previous leader that have not re-registered with this one yet. */
export function recoveredAgentsJson(master: Master): Json[] {
  return [...master.recoveredAgents.values()].map((a) => ({ id: a.id, hostname: a.hostname, ...(a.pid ? { pid: a.pid } : {}) }));
}
