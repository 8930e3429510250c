// POST /api/v1/executor on the agent (reference §4): SUBSCRIBE opens a RecordIO stream, UPDATE,
// MESSAGE and HEARTBEAT answer 202.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  RequestAborted, encodeRecord, executorCallDecoder, isStatusUuid, type ExecutorCall, type ExecutorEvent,
} from '@tepui/protocol';
import type { AgentCore } from '../agent-core';
import type { ExecutorConnection } from '../executors/executor-run';
import { AgentHttpError, BadRequest, Forbidden, MethodNotAllowed, ServiceUnavailable, UnsupportedMediaType } from '../errors';
import { readBody } from './request-body';

class StreamConnection implements ExecutorConnection {
  constructor(private readonly res: ServerResponse) {}

  send(event: ExecutorEvent): void {
    if (!this.res.writableEnded) this.res.write(encodeRecord(JSON.stringify(event)));
  }

  close(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}

function validateUpdate(call: ExecutorCall): string | undefined {
  const status = call.update?.status;
  if (!status) return "Expecting 'update' to be present";
  if (!isStatusUuid(status.uuid)) return "'uuid' must be a 16-byte UUID";
  if (status.source !== undefined && status.source !== 'SOURCE_EXECUTOR') return "Received wrong 'source' for executor update";
  if (status.state === 'TASK_STAGING') return "Executors must not send 'TASK_STAGING'";
  if (status.executor_id && status.executor_id.value !== call.executor_id.value) return "'status.executor_id' does not match 'executor_id'";
  return undefined;
}

export function createExecutorApi(core: AgentCore, isRecovering: () => boolean) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (isRecovering()) throw new ServiceUnavailable('Agent has not finished recovery');
    if (req.method !== 'POST') throw new MethodNotAllowed(['POST'], req.method ?? '');
    const type = req.headers['content-type'];
    if (type === undefined) throw new BadRequest("Expecting 'Content-Type' to be present");
    if (type !== 'application/json') throw new UnsupportedMediaType(`Expecting 'Content-Type' of application/json`);
    const decoded = executorCallDecoder().decode(await readBody(req));
    if (!decoded.ok) throw new BadRequest(decoded.error);
    const call = decoded.value;
    const known = ['SUBSCRIBE', 'UPDATE', 'MESSAGE', 'HEARTBEAT'];
    if (!known.includes(call.type)) throw new BadRequest("Failed to validate executor::Call: Expecting 'type' to be present");
    if (call.type === 'HEARTBEAT') {
      res.writeHead(202, { 'Content-Length': 0 }).end();
      return;
    }
    const run = core.findRun(call.framework_id.value, call.executor_id.value);
    if (!run) throw new BadRequest(`Executor '${call.executor_id.value}' of framework '${call.framework_id.value}' cannot be found`);
    if (call.type === 'SUBSCRIBE') {
      res.socket?.setNoDelay(true);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const connection = new StreamConnection(res);
      res.on('close', () => core.executorDisconnected(run, connection));
      const updates = (call.subscribe?.unacknowledged_updates ?? []).map((u) => u.status).filter((s) => isStatusUuid(s.uuid));
      core.executorSubscribed(run, connection, updates, call.subscribe?.unacknowledged_tasks ?? []);
      return;
    }
    if (!run.connection) throw new Forbidden('Executor is not subscribed');
    if (call.type === 'UPDATE') {
      const invalid = validateUpdate(call);
      if (invalid) throw new BadRequest(`Failed to validate executor::Call: ${invalid}`);
      core.executorUpdate(run, call.update!.status);
    } else if (call.type === 'MESSAGE') {
      if (!call.message) throw new BadRequest("Failed to validate executor::Call: Expecting 'message' to be present");
      core.executorMessage(run, call.message.data);
    }
    res.writeHead(202, { 'Content-Length': 0 }).end();
  };
}

export function sendAgentJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

export function sendAgentError(res: ServerResponse, err: unknown): boolean {
  if (!(err instanceof AgentHttpError) && !(err instanceof RequestAborted)) return false;
  if (res.headersSent || err instanceof RequestAborted) {
    res.destroy();
    return true;
  }
  res.writeHead(err.status, { ...err.headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(err.message);
  return true;
}
