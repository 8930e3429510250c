// Where an agent stands in the master's books, as reconciliation needs to know it.
import type { Master } from '../master';
import type { AgentStanding } from '../tasks/reconciliation';

/** An absent id stands for "any agent", which is registered. */
export function agentStanding(master: Master, agentId: string | undefined): AgentStanding {
  if (agentId === undefined) return 'registered';
  if (master.agents.has(agentId)) return 'registered';
  // After a failover, tasks on agents the previous leader admitted are withheld until they come back.
  if (master.recoveredAgents.has(agentId)) return 'recovering';
  if (master.unreachableAgents.has(agentId)) return 'unreachable';
  if (master.goneAgents.has(agentId)) return 'gone';
  return 'unknown';
}
