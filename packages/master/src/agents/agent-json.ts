// GetAgents.Agent (master.proto) for the operator API and its event stream.
import { Resources, type GetAgentsAgent } from '@tepui/protocol';
import type { Master } from '../master';
import type { Agent } from './agent';
import { timeInfo } from '../frameworks/framework-json';

export function agentToOperatorJson(master: Master, agent: Agent): GetAgentsAgent {
  const json: GetAgentsAgent = {
    agent_info: { ...agent.info, resources: agent.total.toArray() },
    active: agent.active,
    deactivated: agent.deactivatedByOperator,
    version: agent.version,
    pid: agent.pid,
    registered_time: timeInfo(agent.registeredTime),
    total_resources: agent.total.toArray(),
    allocated_resources: master.allocator.agentAllocated(agent.id).toArray(),
    offered_resources: master.offers.ofAgent(agent.id).reduce((sum, o) => sum.plus(o.resources), Resources.EMPTY).toArray(),
  };
  if (agent.reregisteredTime !== undefined) json.reregistered_time = timeInfo(agent.reregisteredTime);
  if (agent.capabilities.length > 0) json.capabilities = agent.capabilities.map((type) => ({ type }));
  return json;
}
