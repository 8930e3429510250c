// Operator actions on agents: MARK_AGENT_GONE, DEACTIVATE_AGENT, REACTIVATE_AGENT.
import { isTerminalState } from '@tepui/protocol';
import { BadRequest, NotFound } from '../errors';
import type { Master } from '../master';

export function markAgentGone(master: Master, agentId: string): void {
  if (master.goneAgents.has(agentId)) return;
  const agent = master.agents.get(agentId);
  const unreachable = master.unreachableAgents.get(agentId);
  const recovered = master.recoveredAgents.delete(agentId);
  if (!agent && !unreachable && !recovered) throw new NotFound(`Agent '${agentId}' not found`);
  master.goneAgents.add(agentId);
  master.unreachableAgents.delete(agentId);
  master.registrar.record({ type: 'MARK_GONE', agentId });
  if (agent) {
    agent.connection?.send({ type: 'SHUTDOWN_AGENT', message: 'Agent has been marked gone by the operator' });
    master.agents.delete(agentId);
    for (const offer of master.offers.ofAgent(agentId)) master.rescindOffer(offer.id);
    master.allocator.removeAgent(agentId);
  }
  for (const framework of master.frameworks.values()) {
    const tasks = [...framework.tasks.values(), ...framework.unreachableTasks.values()].filter((t) => t.agent_id.value === agentId);
    for (const task of tasks) {
      if (isTerminalState(task.state)) continue;
      const status = master.masterStatus(task, {
        state: framework.partitionAware ? 'TASK_GONE_BY_OPERATOR' : 'TASK_LOST',
        reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
        message: 'Agent has been marked gone by the operator',
      });
      master.updateTask(task, status);
      master.sendToFramework(framework, { type: 'UPDATE', update: { status } });
      master.removeTask(task);
    }
    master.sendToFramework(framework, { type: 'FAILURE', failure: { agent_id: { value: agentId } } });
  }
  master.publish({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: agentId } } });
}

/** DEACTIVATE_AGENT / REACTIVATE_AGENT with Mesos' answers (src/master/http.cpp). */
export function setAgentActive(master: Master, agentId: string, active: boolean): void {
  const agent = master.agents.get(agentId);
  if (!agent) {
    if (active || !master.unreachableAgents.has(agentId)) throw new BadRequest(active ? 'Agent is not deactivated' : 'Unknown agent');
    // Mesos records it and applies it when the agent re-registers; Tepui keeps no such record yet.
    throw new BadRequest('Tepui does not support deactivating an unreachable agent yet');
  }
  if (active && !agent.deactivatedByOperator) throw new BadRequest('Agent is not deactivated');
  agent.deactivatedByOperator = !active;
  agent.active = active && agent.connected;
  if (agent.active) {
    master.allocator.activateAgent(agentId);
    master.allocation.requestAllocation([agentId]);
  } else {
    master.allocator.deactivateAgent(agentId);
    for (const offer of master.offers.ofAgent(agentId)) master.rescindOffer(offer.id);
  }
}
