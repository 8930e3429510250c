// POST /api/v1/scheduler, in the order Mesos' Http::scheduler checks things (reference §1.1).
import { SCHEDULER_CALL_TYPES, isStatusUuid, schedulerCallDecoder, type SchedulerCall, type SchedulerCallType } from '@tepui/protocol';
import type { Master } from '../master';
import type { LeaderView } from '../election/leader-view';
import { BadRequest, Forbidden, MethodNotAllowed, NotImplemented } from '../errors';
import { readBody, requireAcceptJson, requireJsonContentType } from './http-io';
import { RecordIOStream } from './recordio-stream';
import { sendEmpty, type RequestContext } from './router';
import { requireLeader } from './leader-guard';
import { subscribeFramework } from '../frameworks/framework-lifecycle';
import { validateFrameworkInfo } from '../frameworks/framework-validation';
import * as calls from '../frameworks/scheduler-calls';
import * as operations from '../frameworks/operation-calls';
import { updateFramework } from '../frameworks/update-framework';

export const STREAM_ID_HEADER = 'mesos-stream-id';
const HEARTBEAT_EVENT = JSON.stringify({ type: 'HEARTBEAT' });
const KNOWN_TYPES: ReadonlySet<string> = new Set(SCHEDULER_CALL_TYPES);

/** Mesos' scheduler::call::validate: member presence and id consistency. */
export function validateSchedulerCall(call: SchedulerCall): string | undefined {
  if (!KNOWN_TYPES.has(call.type)) return "Expecting 'type' to be present";
  const type: SchedulerCallType = call.type;
  if (type === 'SUBSCRIBE') {
    if (!call.subscribe) return "Expecting 'subscribe' to be present";
    const infoId = call.subscribe.framework_info.id?.value;
    if (call.framework_id && infoId !== call.framework_id.value) {
      return "'framework_id' differs from 'subscribe.framework_info.id'";
    }
    return undefined;
  }
  if (type === 'UNKNOWN') return undefined;
  if (!call.framework_id) return "Expecting 'framework_id' to be present";
  const member = type.toLowerCase() as keyof SchedulerCall;
  if (!MEMBERLESS.has(type) && call[member] === undefined) return `Expecting '${member}' to be present`;
  if (type === 'UPDATE_FRAMEWORK') {
    const infoId = call.update_framework?.framework_info.id?.value;
    if (infoId !== call.framework_id.value) return "'framework_id' differs from 'update_framework.framework_info.id'";
  }
  if (type === 'ACKNOWLEDGE' && !isStatusUuid(call.acknowledge!.uuid)) return 'Not a valid UUID';
  if (type === 'ACKNOWLEDGE_OPERATION_STATUS') {
    if (!isStatusUuid(call.acknowledge_operation_status!.uuid)) return 'Not a valid UUID';
    if (!call.acknowledge_operation_status!.agent_id) return "Expecting 'agent_id' to be present";
  }
  return undefined;
}

/** Calls scheduler::call::validate accepts without their member. */
const MEMBERLESS: ReadonlySet<SchedulerCallType> = new Set(['TEARDOWN', 'REVIVE', 'SUPPRESS']);

export function createSchedulerApi(master: Master, leader: LeaderView) {
  return async ({ req, res }: RequestContext): Promise<void> => {
    requireLeader(leader, req);
    if (req.method !== 'POST') throw new MethodNotAllowed(['POST'], req.method ?? '');
    requireJsonContentType(req);
    const body = await readBody(req);
    const decoded = schedulerCallDecoder().decode(body);
    if (!decoded.ok) throw new BadRequest(decoded.error);
    const call = decoded.value;
    const invalid = validateSchedulerCall(call);
    if (invalid) throw new BadRequest(`Failed to validate scheduler::Call: ${invalid}`);
    master.metrics.countSchedulerCall(call.type);

    // Mesos negotiates the answer's media type for the calls that produce events of their own.
    if (call.type === 'SUBSCRIBE' || call.type === 'RECONCILE_OPERATIONS') requireAcceptJson(req);
    if (call.type === 'SUBSCRIBE') {
      if (req.headers[STREAM_ID_HEADER] !== undefined) {
        throw new BadRequest("Subscribe calls should not include the 'Mesos-Stream-Id' header");
      }
      const stream = new RecordIOStream(res, master.clock, master.config.heartbeatIntervalMs, HEARTBEAT_EVENT);
      subscribe(master, call.subscribe!, stream);
      return;
    }
    if (call.type === 'UNKNOWN') throw new NotImplemented('Received an UNKNOWN call');

    const frameworkId = call.framework_id!.value;
    const framework = master.frameworks.get(frameworkId);
    if (!framework) throw new BadRequest('Framework cannot be found');
    if (!framework.subscription) throw new Forbidden('Framework is not subscribed');
    const streamId = req.headers[STREAM_ID_HEADER];
    if (streamId === undefined) throw new BadRequest("All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    if (streamId !== framework.subscription.streamId) {
      throw new BadRequest(
        `The stream ID '${String(streamId)}' included in this request didn't match the stream ID currently associated with framework ID ${frameworkId}`,
      );
    }

    switch (call.type) {
      case 'UPDATE_FRAMEWORK':
        updateFramework(master, framework, call.update_framework!);
        sendEmpty(res, 200);
        return;
      case 'TEARDOWN':
        calls.teardown(master, framework);
        break;
      case 'ACCEPT':
        calls.accept(master, framework, call.accept!);
        break;
      case 'DECLINE':
        calls.decline(master, framework, call.decline!.offer_ids ?? [], call.decline!.filters);
        break;
      case 'ACCEPT_INVERSE_OFFERS':
        operations.inverseOffers(master, framework, call.type, call.accept_inverse_offers!.inverse_offer_ids ?? []);
        break;
      case 'DECLINE_INVERSE_OFFERS':
        operations.inverseOffers(master, framework, call.type, call.decline_inverse_offers!.inverse_offer_ids ?? []);
        break;
      case 'REQUEST':
        operations.request(master, framework);
        break;
      case 'ACKNOWLEDGE_OPERATION_STATUS':
        operations.acknowledgeOperationStatus(master, framework, call.acknowledge_operation_status!);
        break;
      case 'RECONCILE_OPERATIONS':
        operations.reconcileOperationsCall(master, framework, call.reconcile_operations!);
        break;
      case 'REVIVE':
        calls.revive(master, framework, call.revive?.roles ?? (call.revive?.role ? [call.revive.role] : undefined));
        break;
      case 'SUPPRESS':
        calls.suppress(master, framework, call.suppress?.roles);
        break;
      case 'KILL':
        calls.kill(master, framework, call.kill!);
        break;
      case 'SHUTDOWN':
        calls.shutdownExecutor(master, framework, call.shutdown!);
        break;
      case 'ACKNOWLEDGE':
        calls.acknowledge(master, framework, call.acknowledge!);
        break;
      case 'RECONCILE':
        calls.reconcile(master, framework, call.reconcile!.tasks ?? []);
        break;
      case 'MESSAGE':
        calls.message(master, framework, call.message!);
        break;
    }
    sendEmpty(res, 202);
  };
}

function subscribe(master: Master, request: NonNullable<SchedulerCall['subscribe']>, stream: RecordIOStream): void {
  const info = request.framework_info;
  const invalid = validateFrameworkInfo(info);
  const id = info.id?.value;
  const error = invalid ?? (id !== undefined && master.removedFrameworkIds.has(id) ? 'Framework has been removed' : undefined);
  if (error) {
    // Mesos answers an unusable FrameworkInfo on the stream itself: ERROR, then close.
    stream.open({});
    stream.send({ type: 'ERROR', error: { message: error } });
    stream.close();
    return;
  }
  const { framework, streamId } = subscribeFramework(master, {
    info,
    suppressedRoles: request.suppressed_roles ?? [],
    stream,
  });
  stream.open({ 'Mesos-Stream-Id': streamId });
  stream.send({
    type: 'SUBSCRIBED',
    subscribed: {
      framework_id: { value: framework.id },
      heartbeat_interval_seconds: master.config.heartbeatIntervalMs / 1000,
      master_info: master.masterInfo(),
    },
  });
  master.allocation.requestAllocation();
}
