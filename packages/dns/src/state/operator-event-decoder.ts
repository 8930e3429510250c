// One record of the master's operator event stream (v1 SUBSCRIBE), checked before it is typed: the
// stream is input from the network, and a record the record book would trip over is refused whole
// (the follower then resyncs) instead of half-applied. Unknown fields and event types pass through.
import {
  TASK_STATES, type GetAgentsAgent, type GetFrameworksFramework, type GetState, type OperatorEvent, type Task,
  type TaskStatus,
} from '@tepui/protocol';

export class InvalidOperatorEventError extends Error {
  constructor(message: string) {
    super(`invalid operator event: ${message}`);
    this.name = 'InvalidOperatorEventError';
  }
}

type Json = Record<string, unknown>;
const KNOWN_STATES: ReadonlySet<string> = new Set(TASK_STATES);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is { value: string } => isObject(v) && typeof v.value === 'string';
const isState = (v: unknown): boolean => typeof v === 'string' && KNOWN_STATES.has(v);

function need(ok: boolean, what: string): void {
  if (!ok) throw new InvalidOperatorEventError(what);
}

function checkTask(t: unknown, where: string): asserts t is Task {
  need(isObject(t), `${where} is not an object`);
  const task = t as Json;
  need(typeof task.name === 'string', `${where}.name is missing`);
  need(isId(task.task_id) && isId(task.framework_id) && isId(task.agent_id), `${where} lacks task_id, framework_id or agent_id`);
  need(isState(task.state), `${where}.state is not a task state`);
  need(task.resources === undefined || Array.isArray(task.resources), `${where}.resources is not a list`);
  need(task.statuses === undefined || (Array.isArray(task.statuses) && task.statuses.every((s) => isStatus(s))), `${where}.statuses are malformed`);
}

function isStatus(s: unknown): s is TaskStatus {
  return isObject(s) && isId(s.task_id) && isState(s.state);
}

function checkAgent(a: unknown, where: string): asserts a is GetAgentsAgent {
  need(isObject(a) && isObject(a.agent_info), `${where}.agent_info is missing`);
  const info = (a as Json).agent_info as Json;
  need(isId(info.id) && typeof info.hostname === 'string', `${where}.agent_info lacks id or hostname`);
  need((a as Json).pid === undefined || typeof (a as Json).pid === 'string', `${where}.pid is not a string`);
}

function checkFramework(f: unknown, where: string): asserts f is GetFrameworksFramework {
  need(isObject(f) && isObject(f.framework_info), `${where}.framework_info is missing`);
  const info = (f as Json).framework_info as Json;
  need(isId(info.id) && typeof info.name === 'string', `${where}.framework_info lacks id or name`);
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined) return [];
  need(Array.isArray(v), `${where} is not a list`);
  return v as unknown[];
}

function checkState(s: unknown): asserts s is GetState {
  need(isObject(s), 'get_state is missing');
  const state = s as Json;
  const tasks = isObject(state.get_tasks) ? state.get_tasks : {};
  for (const key of ['tasks', 'unreachable_tasks', 'completed_tasks']) {
    list(tasks[key], `get_tasks.${key}`).forEach((t, i) => checkTask(t, `get_tasks.${key}[${i}]`));
  }
  const agents = isObject(state.get_agents) ? state.get_agents : {};
  list(agents.agents, 'get_agents.agents').forEach((a, i) => checkAgent(a, `get_agents.agents[${i}]`));
  const frameworks = isObject(state.get_frameworks) ? state.get_frameworks : {};
  list(frameworks.frameworks, 'get_frameworks.frameworks').forEach((f, i) => checkFramework(f, `get_frameworks.frameworks[${i}]`));
}

/** Decodes one record; throws InvalidOperatorEventError when it is not JSON or not well formed. */
export function decodeOperatorEvent(record: Buffer | string): OperatorEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof record === 'string' ? record : record.toString('utf8'));
  } catch (err) {
    throw new InvalidOperatorEventError(`not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  need(isObject(parsed) && typeof parsed.type === 'string', "no 'type'");
  const event = parsed as Json;
  switch (event.type) {
    case 'SUBSCRIBED':
      need(isObject(event.subscribed), 'SUBSCRIBED without subscribed');
      checkState((event.subscribed as Json).get_state);
      break;
    case 'TASK_ADDED':
      need(isObject(event.task_added), 'TASK_ADDED without task_added');
      checkTask((event.task_added as Json).task, 'task_added.task');
      break;
    case 'TASK_UPDATED': {
      const update = event.task_updated;
      need(isObject(update) && isId(update.framework_id) && isState(update.state) && isStatus(update.status), 'TASK_UPDATED is malformed');
      break;
    }
    case 'AGENT_ADDED':
      need(isObject(event.agent_added), 'AGENT_ADDED without agent_added');
      checkAgent((event.agent_added as Json).agent, 'agent_added.agent');
      break;
    case 'AGENT_REMOVED':
      need(isObject(event.agent_removed) && isId(event.agent_removed.agent_id), 'AGENT_REMOVED without agent_id');
      break;
    case 'FRAMEWORK_ADDED':
    case 'FRAMEWORK_UPDATED': {
      const body = event.type === 'FRAMEWORK_ADDED' ? event.framework_added : event.framework_updated;
      need(isObject(body), `${event.type} without its framework`);
      checkFramework((body as Json).framework, 'framework');
      break;
    }
    case 'FRAMEWORK_REMOVED':
      need(isObject(event.framework_removed) && isObject(event.framework_removed.framework_info)
        && isId(event.framework_removed.framework_info.id), 'FRAMEWORK_REMOVED without framework_info.id');
      break;
    default:
      break;
  }
  return event as unknown as OperatorEvent;
}
