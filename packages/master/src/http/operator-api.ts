// POST /api/v1: the operator API (reference §5.1). Same request pipeline as the scheduler API;
// synchronous calls answer 200 with a Response whose member is the call type in lowercase.
import { OPERATOR_CALL_TYPES, operatorCallDecoder, type OperatorCall, type OperatorResponse } from '@tepui/protocol';
import type { Master } from '../master';
import type { LeaderDetector } from '../election/leader-detector';
import { BadRequest, MethodNotAllowed, NotImplemented } from '../errors';
import { readBody, requireAcceptJson, requireJsonContentType } from './http-io';
import { RecordIOStream } from './recordio-stream';
import { sendEmpty, sendJson, type RequestContext } from './router';
import { requireLeader } from './leader-guard';
import { getAgents, getExecutors, getFrameworks, getRoles, getState, getTasks } from './operator-state';
import { metricsSnapshot } from '../metrics';
import { TEPUI_MESOS_VERSION, BUILD } from '../version';
import { removeFramework } from '../frameworks/framework-lifecycle';
import { markAgentGone, setAgentActive } from '../agents/agent-operations';

const KNOWN: ReadonlySet<string> = new Set(OPERATOR_CALL_TYPES);
const HEARTBEAT_EVENT = JSON.stringify({ type: 'HEARTBEAT' });
export const MAX_OPERATOR_SUBSCRIBERS = 1000;

function requiredMember(call: OperatorCall): string | undefined {
  const needs: Partial<Record<string, string>> = {
    UPDATE_WEIGHTS: 'update_weights', TEARDOWN: 'teardown', MARK_AGENT_GONE: 'mark_agent_gone',
    DEACTIVATE_AGENT: 'deactivate_agent', REACTIVATE_AGENT: 'reactivate_agent', SET_LOGGING_LEVEL: 'set_logging_level',
  };
  const member = needs[call.type];
  return member !== undefined && call[member] === undefined ? `Expecting '${member}' to be present` : undefined;
}

export function createOperatorApi(master: Master, leader: LeaderDetector) {
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
    if (response === undefined) sendEmpty(res, 202);
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
      return { type, get_version: { version_info: { version: TEPUI_MESOS_VERSION, build_date: BUILD.date, build_time: BUILD.time, build_user: BUILD.user } } };
    case 'GET_METRICS': {
      const snapshot = await metricsSnapshot(master, true);
      return { type, get_metrics: { metrics: Object.entries(snapshot).map(([name, value]) => ({ name, value })) } };
    }
    case 'GET_LOGGING_LEVEL':
      return { type, get_logging_level: { level: 0 } };
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
      const weight_infos = [...master.config.weights].map(([role, weight]) => ({ role, weight }));
      return { type, get_weights: weight_infos.length > 0 ? { weight_infos } : {} };
    }
    case 'UPDATE_WEIGHTS': {
      const weights = new Map<string, number>();
      for (const w of call.update_weights!.weight_infos) {
        if (!w.role || !(w.weight > 0)) throw new BadRequest(`Invalid weight for role '${w.role ?? ''}': weights must be positive`);
        weights.set(w.role, w.weight);
      }
      master.allocator.setWeights(weights);
      master.allocation.requestAllocation();
      return undefined;
    }
    case 'GET_MASTER':
      return { type, get_master: { master_info: master.masterInfo(), start_time: master.startTime / 1000, elected_time: master.startTime / 1000 } };
    case 'TEARDOWN': {
      const framework = master.frameworks.get(call.teardown!.framework_id.value);
      if (!framework) throw new BadRequest(`No framework found with specified ID '${call.teardown!.framework_id.value}'`);
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
    default:
      throw new NotImplemented(`Operator call '${type}' is not supported by Tepui yet`);
  }
}
