// A newly elected master learns from the registry what the previous leader knew (Mesos'
// Master::_recover): the role weights, the agents marked gone or unreachable, and the admitted
// agents, which it gives --agent_reregister_timeout to re-register before marking them unreachable
// (their tasks' frameworks then learn it through reconciliation, as in Mesos).
import type { Master } from '../master';
import type { RegistryState } from './registry';

export function recoverFromRegistry(master: Master, state: RegistryState): void {
  const weights = Object.entries(state.weights);
  if (weights.length > 0) {
    master.weights.apply(weights);
    master.allocator.setWeights(master.weights.current);
  }
  for (const id of state.gone) master.goneAgents.add(id);
  for (const agent of state.unreachable) {
    if (!master.agents.has(agent.id)) master.unreachableAgents.set(agent.id, { info: { hostname: agent.hostname, id: { value: agent.id } }, since: agent.since });
  }
  for (const agent of state.admitted) {
    if (!master.agents.has(agent.id) && !master.goneAgents.has(agent.id)) master.recoveredAgents.set(agent.id, agent);
  }
  if (master.recoveredAgents.size > 0) master.log.info({ agents: master.recoveredAgents.size }, 'waiting for agents of the previous leader to re-register');
}

/** --agent_reregister_timeout passed: the agents that did not come back are unreachable. */
export function expireRecoveredAgents(master: Master): void {
  const now = master.now;
  for (const agent of [...master.recoveredAgents.values()]) {
    master.recoveredAgents.delete(agent.id);
    master.unreachableAgents.set(agent.id, { info: { hostname: agent.hostname, id: { value: agent.id } }, since: now });
    master.registrar.record({ type: 'MARK_UNREACHABLE', agentId: agent.id, since: now });
    master.log.warn({ agentId: agent.id }, 'agent did not re-register after the master failover; marked unreachable');
  }
}
