// Scheduler calls about things Tepui does not have yet — offer operations other than launches,
// operation feedback, inverse offers, resource requests — answered as a Mesos master answers
// them when they name nothing it knows: status events where Mesos sends them, logs otherwise.
import type { OfferOperation, OperationType, SchedulerCall } from '@tepui/protocol';
import type { Master } from '../master';
import type { Framework } from './framework';
import { reconcileOperations } from '../tasks/operation-reconciliation';
import { agentStanding } from '../agents/agent-standing';

/** Offer operations that can ask for feedback (an `id`); Tepui performs none of them yet. */
const FEEDBACK_OPERATIONS: ReadonlySet<OperationType> = new Set([
  'RESERVE', 'UNRESERVE', 'CREATE', 'DESTROY', 'GROW_VOLUME', 'SHRINK_VOLUME', 'CREATE_DISK', 'DESTROY_DISK',
]);

export function isFeedbackOperation(type: OperationType | undefined): boolean {
  return type !== undefined && FEEDBACK_OPERATIONS.has(type);
}

/**
 * Master::drop for an offer operation: the framework hears about it only if it asked for
 * feedback, through UPDATE_OPERATION_STATUS with OPERATION_ERROR (no uuid, no agent).
 */
export function dropOperation(master: Master, framework: Framework, operation: OfferOperation, message: string): void {
  master.log.warn({ frameworkId: framework.id, operation: operation.type ?? 'UNKNOWN', operationId: operation.id?.value }, `dropped an offer operation: ${message}`);
  if (!operation.id || !isFeedbackOperation(operation.type)) return;
  master.sendToFramework(framework, {
    type: 'UPDATE_OPERATION_STATUS',
    update_operation_status: { status: { operation_id: operation.id, state: 'OPERATION_ERROR', message } },
  });
}

export function reconcileOperationsCall(master: Master, framework: Framework, call: NonNullable<SchedulerCall['reconcile_operations']>): void {
  for (const status of reconcileOperations(call.operations ?? [], (agentId) => agentStanding(master, agentId))) {
    master.sendToFramework(framework, { type: 'UPDATE_OPERATION_STATUS', update_operation_status: { status } });
  }
}

/** Tepui sends no operation status that needs an acknowledgement; Mesos drops such an ACK with a warning. */
export function acknowledgeOperationStatus(master: Master, framework: Framework, call: NonNullable<SchedulerCall['acknowledge_operation_status']>): void {
  master.log.warn(
    { frameworkId: framework.id, operationId: call.operation_id.value, agentId: call.agent_id?.value },
    'cannot forward an operation status acknowledgement: the agent does not support operation feedback',
  );
}

/** Tepui makes no inverse offers (no maintenance yet), so every id is one Mesos would call no longer valid. */
export function inverseOffers(master: Master, framework: Framework, type: 'ACCEPT_INVERSE_OFFERS' | 'DECLINE_INVERSE_OFFERS', ids: ReadonlyArray<{ value: string }>): void {
  const reason = ids.length === 0 ? 'No inverse offers specified' : `Inverse offers ${ids.map((i) => i.value).join(', ')} are no longer valid`;
  master.log.warn({ frameworkId: framework.id }, `${type} call used invalid inverse offers: ${reason}`);
}

/** REQUEST: Mesos' built-in allocator ignores resource requests, and so does Tepui's. */
export function request(master: Master, framework: Framework): void {
  master.log.info({ frameworkId: framework.id }, 'received a resource request; the allocator does not act on requests');
}
