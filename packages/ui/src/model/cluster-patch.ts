// The master's operator events applied to the page's copy of its state, so a task, agent or
// framework shows at once rather than at the next read: a task added holds its resources on its
// agent and framework, a terminal update gives them back (once, as the master recovers them once),
// agents and frameworks come and go. Events name task resources only; what the master counts
// beyond them (executors) and the outstanding offers come with the next read of /master/state.
import { isTerminalTaskState, sortAgents, taskKey, type AgentRow, type Amounts, type ClusterState, type FrameworkHolding } from './cluster';
import { arrayOf, isRecord, numberOf, recordOf, stringOf } from './wire-read';

/** mesos.v1.Resource JSON (`{name, type: SCALAR, scalar: {value}}`, ports as RANGES) as amounts. */
export function amountsOfResources(resources: unknown): Amounts {
  const out: Record<string, number> = {};
  for (const r of arrayOf(resources).filter(isRecord)) {
    const name = stringOf(r.name);
    if (r.type === 'SCALAR') out[name] = (out[name] ?? 0) + numberOf(recordOf(r.scalar).value);
    else if (r.type === 'RANGES' && name === 'ports') {
      for (const range of arrayOf(recordOf(r.ranges).range).map(recordOf)) out[name] = (out[name] ?? 0) + Math.max(0, numberOf(range.end) - numberOf(range.begin) + 1);
    }
  }
  return out;
}

function add(a: Amounts, b: Amounts, sign: 1 | -1): Amounts {
  const out: Record<string, number> = { ...a };
  // Rounded to the master's millis, so sums of 0.1s neither drift nor go below zero.
  for (const [name, v] of Object.entries(b)) out[name] = Math.max(0, Math.round(((out[name] ?? 0) + sign * v) * 1000) / 1000);
  return out;
}

const valueOf = (id: unknown): string => stringOf(recordOf(id).value);

function holdTask(state: ClusterState, agentId: string, frameworkId: string, amounts: Amounts, sign: 1 | -1): Pick<ClusterState, 'agents' | 'frameworks'> {
  return {
    agents: state.agents.map((a) => (a.id === agentId ? { ...a, used: add(a.used, amounts, sign) } : a)),
    frameworks: state.frameworks.map((f) => (f.id === frameworkId ? { ...f, used: add(f.used, amounts, sign), tasks: Math.max(0, f.tasks + sign) } : f)),
  };
}

function taskAdded(state: ClusterState, task: Record<string, unknown>): ClusterState {
  const frameworkId = valueOf(task.framework_id);
  const key = taskKey(frameworkId, valueOf(task.task_id));
  if (state.tasks.has(key)) return state; // a re-registering agent re-announces its tasks
  const holding = { agentId: valueOf(task.agent_id), frameworkId, amounts: amountsOfResources(task.resources), live: !isTerminalTaskState(stringOf(task.state)) };
  const tasks = new Map(state.tasks).set(key, holding);
  if (!holding.live) return { ...state, tasks };
  return { ...state, ...holdTask(state, holding.agentId, frameworkId, holding.amounts, 1), tasks };
}

function taskUpdated(state: ClusterState, update: Record<string, unknown>): ClusterState {
  const frameworkId = valueOf(update.framework_id);
  const key = taskKey(frameworkId, valueOf(recordOf(update.status).task_id));
  const holding = state.tasks.get(key);
  if (!holding || !holding.live || !isTerminalTaskState(stringOf(update.state))) return state;
  const tasks = new Map(state.tasks).set(key, { ...holding, live: false });
  return { ...state, ...holdTask(state, holding.agentId, frameworkId, holding.amounts, -1), tasks };
}

function agentAdded(state: ClusterState, agent: Record<string, unknown>): ClusterState {
  const info = recordOf(agent.agent_info);
  const id = valueOf(info.id);
  const total = amountsOfResources(agent.total_resources ?? info.resources);
  const known = state.agents.find((a) => a.id === id);
  const row: AgentRow = { id, hostname: stringOf(info.hostname), active: agent.active !== false, used: known?.used ?? {}, total };
  return { ...state, agents: sortAgents([...state.agents.filter((a) => a.id !== id), row]) };
}

function frameworkUpserted(state: ClusterState, framework: Record<string, unknown>): ClusterState {
  const info = recordOf(framework.framework_info);
  const id = valueOf(info.id);
  const known = state.frameworks.find((f) => f.id === id);
  const roles = Array.isArray(info.roles) ? info.roles.map((r) => stringOf(r)).filter(Boolean) : [stringOf(info.role, '*')];
  const row: FrameworkHolding = { id, name: stringOf(info.name), roles, active: framework.active === true, used: known?.used ?? {}, tasks: known?.tasks ?? 0, offers: known?.offers ?? 0 };
  return { ...state, frameworks: known ? state.frameworks.map((f) => (f.id === id ? row : f)) : [...state.frameworks, row] };
}

/** `event`: one operator event's JSON (parsed, not trusted). Unknown or odd events change nothing. */
export function applyOperatorEvent(state: ClusterState, event: unknown): ClusterState {
  const e = recordOf(event);
  switch (e.type) {
    case 'TASK_ADDED': return taskAdded(state, recordOf(recordOf(e.task_added).task));
    case 'TASK_UPDATED': return taskUpdated(state, recordOf(e.task_updated));
    case 'AGENT_ADDED': return agentAdded(state, recordOf(recordOf(e.agent_added).agent));
    case 'AGENT_REMOVED': {
      const id = valueOf(recordOf(e.agent_removed).agent_id);
      return { ...state, agents: state.agents.filter((a) => a.id !== id) };
    }
    case 'FRAMEWORK_ADDED': return frameworkUpserted(state, recordOf(recordOf(e.framework_added).framework));
    case 'FRAMEWORK_UPDATED': return frameworkUpserted(state, recordOf(recordOf(e.framework_updated).framework));
    case 'FRAMEWORK_REMOVED': {
      const id = valueOf(recordOf(recordOf(e.framework_removed).framework_info).id);
      return { ...state, frameworks: state.frameworks.filter((f) => f.id !== id) };
    }
    default: return state;
  }
}
