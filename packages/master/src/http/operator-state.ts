// The operator API's read models (master.proto GetState and friends).
import type { GetAgents, GetExecutors, GetFrameworks, GetState, GetTasks, RoleInfo } from '@tepui/protocol';
import type { Master } from '../master';
import { agentToOperatorJson } from '../agents/agent-json';
import { frameworkToOperatorJson } from '../frameworks/framework-json';
import { currentRoleViews, roleInfo } from '../roles/role-operations';

export function getTasks(master: Master): GetTasks {
  const tasks = [];
  const unreachable = [];
  const completed = [];
  for (const fw of master.frameworks.values()) {
    tasks.push(...fw.tasks.values());
    unreachable.push(...fw.unreachableTasks.values());
    completed.push(...fw.completedTasks);
  }
  for (const fw of master.completedFrameworks) completed.push(...fw.completedTasks);
  return omitEmpty({ tasks, unreachable_tasks: unreachable, completed_tasks: completed });
}

export function getAgents(master: Master): GetAgents {
  return omitEmpty({
    agents: [...master.agents.values()].map((a) => agentToOperatorJson(master, a)),
    // Agents of the registry that have not re-registered with this (newly elected) master yet.
    recovered_agents: [...master.recoveredAgents.values()].map((a) => ({ id: { value: a.id }, hostname: a.hostname })),
  });
}

export function getFrameworks(master: Master): GetFrameworks {
  return omitEmpty({
    frameworks: [...master.frameworks.values()].map((f) => frameworkToOperatorJson(master, f)),
    completed_frameworks: master.completedFrameworks.map((f) => frameworkToOperatorJson(master, f)),
  });
}

export function getExecutors(master: Master): GetExecutors {
  const executors = [];
  for (const agent of master.agents.values()) {
    for (const [frameworkId, byId] of agent.executors) {
      for (const info of byId.values()) {
        const directory = agent.executorDirectory(frameworkId, info.executor_id.value);
        executors.push({ executor_info: info, agent_id: { value: agent.id }, ...(directory ? { directory } : {}) });
      }
    }
  }
  return omitEmpty({ executors });
}

export function getState(master: Master): GetState {
  return {
    get_tasks: getTasks(master),
    get_executors: getExecutors(master),
    get_frameworks: getFrameworks(master),
    get_agents: getAgents(master),
  };
}

export function getRoles(master: Master): RoleInfo[] {
  return currentRoleViews(master).map(roleInfo);
}

/** v1 JSON omits empty repeated fields. */
function omitEmpty<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (!(Array.isArray(v) && v.length === 0)) out[k] = v;
  }
  return out as T;
}
