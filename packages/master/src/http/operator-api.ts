// POST /api/v1: the operator API (reference §5.1). Same request pipeline as the scheduler API;
// synchronous calls answer 200 with a Response whose member is the call type in lowercase.
import {
  MESOS_API_VERSION, OPERATOR_CALL_TYPES, TEPUI_BUILD, operatorCallDecoder, type OperatorCall, type OperatorResponse,
} from '@tepui/protocol';
import type { Master } from '../master';
import type { LeaderView } from '../election/leader-view';
import { BadRequest, MethodNotAllowed, NotImplemented } from '../errors';
import { readBody, requireAcceptJson, requireJsonContentType } from './http-io';
import { RecordIOStream } from './recordio-stream';
import { sendEmpty, sendJson, type RequestContext } from './router';
import { requireLeader } from './leader-guard';
import { getAgents, getExecutors, getFrameworks, getRoles, getState, getTasks } from './operator-state';
import { metricsSnapshot } from '../metrics';
import { removeFramework } from '../frameworks/framework-lifecycle';
import { markAgentGone, setAgentActive } from '../agents/agent-operations';
import { updateWeights } from '../roles/role-operations';

const KNOWN: ReadonlySet<string> = new Set(OPERATOR_CALL_TYPES);
const HEARTBEAT_EVENT = JSON.stringify({ type: 'HEARTBEAT' });
export const MAX_OPERATOR_SUBSCRIBERS = 1000;

/** Calls whose member (the type in lowercase) master::call::validate requires. */
const WITH_MEMBER: ReadonlySet<string> = new Set([
  'GET_METRICS', 'SET_LOGGING_LEVEL', 'LIST_FILES', 'READ_FILE', 'UPDATE_WEIGHTS', 'RESERVE_RESOURCES',
  'UNRESERVE_RESOURCES', 'CREATE_VOLUMES', 'DESTROY_VOLUMES', 'GROW_VOLUME', 'SHRINK_VOLUME',
  'UPDATE_MAINTENANCE_SCHEDULE', 'START_MAINTENANCE', 'STOP_MAINTENANCE', 'DRAIN_AGENT', 'DEACTIVATE_AGENT',
  'REACTIVATE_AGENT', 'UPDATE_QUOTA', 'SET_QUOTA', 'REMOVE_QUOTA', 'TEARDOWN', 'MARK_AGENT_GONE',
]);

function requiredMember(call: OperatorCall): string | undefined {
  const member = call.type.toLowerCase();
  return WITH_MEMBER.has(call.type) && call[member] === undefined ? `Expecting '${member}' to be present` : undefined;
}

export function createOperatorApi(master: Master, leader: LeaderView) {
  return async ({ req, res }: RequestContext): Promise<void> => {
    requireLeader(leader, req);
    if (req.method !== 'POST') throw new MethodNotAllowed(['POST'], req.method ?? '');
    requireJsonContentType(req);
    const decoded = operatorCallDecoder().decode(await readBody(req));
    if (!decoded.ok) throw new BadRequest(decoded.error);
    const call = decoded.value;
    if (!KNOWN.has(call.type)) throw new BadRequest("Failed to validate master::Call: Expecting 'type' to be present");
    const missing = requiredMember(call);
    if (missing) throw new BadRequest(`Failed to validate master::Call: ${missing}`);
    requireAcceptJson(req);
    master.metrics.countOperatorCall(call.type);

    if (call.type === 'SUBSCRIBE') {
      if (master.operatorStreams.size >= MAX_OPERATOR_SUBSCRIBERS) {
        throw new BadRequest(`Reached the maximum number of operator event stream subscribers (${MAX_OPERATOR_SUBSCRIBERS})`);
      }
      const stream = new RecordIOStream(res, master.clock, master.config.heartbeatIntervalMs, HEARTBEAT_EVENT);
      stream.open({});
      stream.send({ type: 'SUBSCRIBED', subscribed: { get_state: getState(master), heartbeat_interval_seconds: master.config.heartbeatIntervalMs / 1000 } });
      master.operatorStreams.add(stream);
      stream.onClose(() => master.operatorStreams.delete(stream));
      return;
    }
    const response = await answer(master, call);
    // Mesos answers every operator call that succeeds with 200: a Response, or empty.
    if (response === undefined) sendEmpty(res, 200);
    else sendJson(res, 200, response);
  };
}

async function answer(master: Master, call: OperatorCall): Promise<OperatorResponse | undefined> {
  const type = call.type;
  switch (type) {
    case 'GET_HEALTH':
      return { type, get_health: { healthy: true } };
    case 'GET_FLAGS':
      return { type, get_flags: { flags: [...master.config.flags].map(([name, value]) => ({ name, value })) } };
    case 'GET_VERSION':
      return { type, get_version: { version_info: { version: MESOS_API_VERSION, build_date: TEPUI_BUILD.date, build_time: TEPUI_BUILD.time, build_user: TEPUI_BUILD.user } } };
    case 'GET_METRICS': {
      const snapshot = await metricsSnapshot(master, true);
      return { type, get_metrics: { metrics: Object.entries(snapshot).map(([name, value]) => ({ name, value })) } };
    }
    case 'GET_LOGGING_LEVEL':
      return { type, get_logging_level: { level: master.loggingLevel.level } };
    case 'SET_LOGGING_LEVEL': {
      const { level, duration } = call.set_logging_level!;
      master.loggingLevel.set(level, duration.nanoseconds / 1e6);
      return undefined;
    }
    case 'GET_STATE':
      return { type, get_state: getState(master) };
    case 'GET_AGENTS':
      return { type, get_agents: getAgents(master) };
    case 'GET_FRAMEWORKS':
      return { type, get_frameworks: getFrameworks(master) };
    case 'GET_EXECUTORS':
      return { type, get_executors: getExecutors(master) };
    case 'GET_TASKS':
      return { type, get_tasks: getTasks(master) };
    case 'GET_ROLES': {
      const roles = getRoles(master);
      return { type, get_roles: roles.length > 0 ? { roles } : {} };
    }
    case 'GET_WEIGHTS': {
      const weight_infos = master.weights.infos();
      return { type, get_weights: weight_infos.length > 0 ? { weight_infos } : {} };
    }
    case 'UPDATE_WEIGHTS':
      updateWeights(master, call.update_weights?.weight_infos ?? []);
      return undefined;
    // Tepui has none of these yet, which is what the empty answers say.
    case 'GET_OPERATIONS':
      return { type, get_operations: {} };
    case 'GET_QUOTA':
      return { type, get_quota: { status: {} } };
    case 'GET_MAINTENANCE_STATUS':
      return { type, get_maintenance_status: { status: {} } };
    case 'GET_MAINTENANCE_SCHEDULE':
      return { type, get_maintenance_schedule: { schedule: {} } };
    case 'GET_MASTER':
      return { type, get_master: { master_info: master.masterInfo(), start_time: master.startTime / 1000, ...(master.electedTime !== undefined ? { elected_time: master.electedTime / 1000 } : {}) } };
    case 'TEARDOWN': {
      const framework = master.frameworks.get(call.teardown!.framework_id.value);
      if (!framework) throw new BadRequest('No framework found with specified ID');
      removeFramework(master, framework);
      return undefined;
    }
    case 'MARK_AGENT_GONE':
      markAgentGone(master, call.mark_agent_gone!.agent_id.value);
      return undefined;
    case 'DEACTIVATE_AGENT':
      setAgentActive(master, call.deactivate_agent!.agent_id.value, false);
      return undefined;
    case 'REACTIVATE_AGENT':
      setAgentActive(master, call.reactivate_agent!.agent_id.value, true);
      return undefined;
    case 'UNKNOWN':
      throw new NotImplemented('');
    default:
      throw new BadRequest(`Tepui does not support the operator call '${type}' yet`);
  }
}
