// Answers to RECONCILE_OPERATIONS (Master::reconcileOperations, src/master/master.cpp). Tepui
// keeps no offer operations — it performs none besides launches, and refused ones are not stored,
// as Mesos does not store dropped ones — so every operation is unknown and the answer depends on
// its agent only. Implicit reconciliation (no operations listed) has nothing to report. Pure.
import type { OperationID, OperationState, OperationStatus } from '@tepui/protocol';
import type { AgentStanding } from './reconciliation';

export interface OperationQuery {
  readonly operation_id: OperationID;
  readonly agent_id?: { value: string };
  readonly resource_provider_id?: { value: string };
}

const UNKNOWN_AGENT: Record<AgentStanding, [OperationState, string]> = {
  recovering: ['OPERATION_RECOVERING', 'Reconciliation: Agent is recovered but has not re-registered'],
  registered: ['OPERATION_UNKNOWN', 'Reconciliation: Operation is unknown'],
  unreachable: ['OPERATION_UNREACHABLE', 'Reconciliation: Agent is unreachable'],
  gone: ['OPERATION_GONE_BY_OPERATOR', 'Reconciliation: Agent marked gone by operator'],
  unknown: ['OPERATION_UNKNOWN', 'Reconciliation: Both operation and agent are unknown'],
};

export function reconcileOperations(queries: readonly OperationQuery[], standing: (agentId: string) => AgentStanding): OperationStatus[] {
  return queries.map((query) => {
    const [state, message] = query.agent_id
      ? UNKNOWN_AGENT[standing(query.agent_id.value)]
      : (['OPERATION_UNKNOWN', "Reconciliation: Operation is unknown and no 'agent_id' was provided"] as const);
    const status: OperationStatus = { operation_id: query.operation_id, state, message };
    if (query.agent_id) status.agent_id = query.agent_id;
    if (query.resource_provider_id) status.resource_provider_id = query.resource_provider_id;
    return status;
  });
}
