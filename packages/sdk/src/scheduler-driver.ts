// The public face of the SDK: a typed client of POST /api/v1/scheduler. It keeps a
// subscription alive (subscription.ts), hands typed events to the framework's handlers,
// acknowledges status updates, and sends calls on a keep-alive pool (call-transport.ts).
import {
  SystemClock, type Clock, type ExecutorInfo, type Filters, type FrameworkID, type FrameworkInfo, type KillPolicy,
  type MasterInfo, type Offer, type OfferID, type OfferOperation, type SchedulerCall, type TaskGroupInfo, type TaskInfo,
  type TaskStatus,
} from '@tepui/protocol';
import { isZkLocation, masterDetector, masterEndpoint, parseMasterLocation, type LeaderDetector } from '@tepui/coordination';
import { Backoff, DEFAULT_RECONNECT_BACKOFF, type BackoffOptions } from './backoff';
import { CallTransport, DEFAULT_MAX_SOCKETS } from './call-transport';
import * as calls from './calls';
import type { IdLike, ReconcileTask } from './calls';
import { DriverStoppedError, FrameworkRemovedError, NotSubscribedError, SchedulerCallError } from './errors';
import type { DriverEvent, ExecutorMessage, FailureInfo } from './event-decoder';
import { SILENT_LOGGER, type Logger } from './logger';
import { MasterEndpoints } from './master-endpoints';
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS, Subscription } from './subscription';

/** Mesos' answers when a call's Mesos-Stream-Id is missing or stale (reference §1.1 step 8). */
const STREAM_ID_REJECTED = /stream id|mesos-stream-id/i;

export interface SubscribedInfo {
  readonly frameworkId: string;
  readonly heartbeatIntervalSeconds: number;
  readonly masterInfo?: MasterInfo;
  /** False for the first SUBSCRIBED of this driver, true after every reconnect (time to reconcile). */
  readonly resubscribed: boolean;
}

type HandlerResult = void | Promise<void>;

/**
 * What a framework reacts to; every handler is optional. Handlers run in stream order, but an
 * async handler is not awaited before the next event is dispatched.
 */
export interface SchedulerHandlers {
  onSubscribed?(info: SubscribedInfo, driver: SchedulerDriver): HandlerResult;
  onOffers?(offers: readonly Offer[], driver: SchedulerDriver): HandlerResult;
  onRescind?(offerId: OfferID, driver: SchedulerDriver): HandlerResult;
  /** With autoAcknowledge, the update is acknowledged once this returns (or its promise resolves); not if it throws. */
  onUpdate?(status: TaskStatus, driver: SchedulerDriver): HandlerResult;
  onMessage?(message: ExecutorMessage, driver: SchedulerDriver): HandlerResult;
  onFailure?(failure: FailureInfo, driver: SchedulerDriver): HandlerResult;
  /** The master sent ERROR. The driver re-subscribes, unless the framework was removed. */
  onError?(message: string, driver: SchedulerDriver): HandlerResult;
  onHeartbeat?(driver: SchedulerDriver): HandlerResult;
  /** A subscribed stream was lost; the driver is already reconnecting. */
  onDisconnected?(reason: string, driver: SchedulerDriver): HandlerResult;
  /** Every event, including types without a handler above (INVERSE_OFFERS, UPDATE_OPERATION_STATUS…). */
  onEvent?(event: DriverEvent, driver: SchedulerDriver): HandlerResult;
}

export interface SchedulerDriverOptions {
  /**
   * `http://host:5050`, several masters to try in turn (an array or a comma-separated string), or
   * `zk://[user:pass@]host:port[,…]/path` (or `file:///path` holding it) to follow the elected leader.
   */
  readonly master?: string | readonly string[];
  /**
   * Who leads (a ZooKeeper detector for `zk://` masters, from @tepui/coordination): the driver
   * subscribes to the leader it names and again to each new one. The caller closes it.
   */
  readonly detector?: LeaderDetector<MasterInfo>;
  /** ZooKeeper session timeout for a zk:// master (default 10 s, as Mesos' libraries). */
  readonly zkSessionTimeoutMs?: number;
  /** Set `id` to resume an existing framework. */
  readonly frameworkInfo: FrameworkInfo;
  readonly handlers?: SchedulerHandlers;
  /** Acknowledge every update that carries a uuid after `onUpdate` ran (default true). */
  readonly autoAcknowledge?: boolean;
  /** Reconnect when no event arrived for this long (default: 5 × the master's heartbeat interval). */
  readonly heartbeatTimeoutMs?: number;
  /** Between subscription attempts (default 500 ms doubling to 30 s, jittered by half). */
  readonly reconnectBackoff?: Partial<BackoffOptions>;
  /** Keep-alive sockets for calls (default 64). */
  readonly maxSockets?: number;
  readonly maxRecordBytes?: number;
  readonly clock?: Clock;
  /** pino-compatible. */
  readonly logger?: Logger;
  /** Jitter source (default Math.random). */
  readonly random?: () => number;
}

export type DriverStopReason =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'torn-down' }
  | { readonly kind: 'removed'; readonly error: FrameworkRemovedError };

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(err: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (err: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Whoever awaits still sees a rejection; nobody awaiting is not a process-killing unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export class SchedulerDriver {
  private info: FrameworkInfo;
  private readonly handlers: SchedulerHandlers;
  private readonly autoAcknowledge: boolean;
  private readonly log: Logger;
  private readonly transport: CallTransport;
  private readonly subscription: Subscription;
  private readonly suppressed = new Set<string>();
  private readonly firstSubscribed = deferred<SubscribedInfo>();
  private readonly finished = deferred<DriverStopReason>();
  private subscribedOnce = false;
  private tearingDown = false;
  private stopped = false;
  private readonly detector: LeaderDetector<MasterInfo> | undefined;
  private readonly ownDetector: LeaderDetector<MasterInfo> | undefined;
  private readonly endpoints: MasterEndpoints;

  constructor(options: SchedulerDriverOptions) {
    this.info = { ...options.frameworkInfo };
    this.handlers = options.handlers ?? {};
    this.autoAcknowledge = options.autoAcknowledge ?? true;
    this.log = options.logger ?? SILENT_LOGGER;
    this.transport = new CallTransport(options.maxSockets ?? DEFAULT_MAX_SOCKETS);
    const zk = typeof options.master === 'string' && isZkLocation(options.master) ? options.master : undefined;
    // A detector the driver made for a zk:// master is the driver's to close.
    this.ownDetector = zk !== undefined && options.detector === undefined
      ? masterDetector(parseMasterLocation(zk), { sessionTimeoutMs: options.zkSessionTimeoutMs ?? 10_000, log: this.log })
      : undefined;
    this.detector = options.detector ?? this.ownDetector;
    const endpoints = new MasterEndpoints(zk === undefined ? options.master : undefined, this.detector !== undefined);
    this.endpoints = endpoints;
    this.subscription = new Subscription({
      endpoints,
      subscribeBody: () => JSON.stringify(calls.subscribeCall(this.info, [...this.suppressed].sort())),
      sink: {
        onEvent: (event) => this.dispatch(event),
        onDisconnected: (reason) => this.onDisconnected(reason),
        onRemoved: (message) => this.onRemoved(message),
      },
      clock: options.clock ?? new SystemClock(),
      backoff: new Backoff({ ...DEFAULT_RECONNECT_BACKOFF, ...options.reconnectBackoff }, options.random),
      log: this.log,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs,
      maxRecordBytes: options.maxRecordBytes,
    });
  }

  /** The framework id, once the master assigned one (or the one given to resume). */
  get frameworkId(): string | undefined {
    return this.info.id?.value;
  }

  get frameworkInfo(): Readonly<FrameworkInfo> {
    return this.info;
  }

  /** The Mesos-Stream-Id of the current subscription; undefined while not subscribed. */
  get streamId(): string | undefined {
    return this.subscription.streamId;
  }

  /** `http://host:port` of the master subscribed to (the leader), or the one tried next; undefined until one is known. */
  get masterUrl(): string | undefined {
    return (this.subscription.endpoint ?? this.endpoints.current)?.base;
  }

  get connected(): boolean {
    return this.subscription.streamId !== undefined;
  }

  /** Roles the driver believes suppressed; re-sent as `suppressed_roles` on every re-subscribe. */
  get suppressedRoles(): readonly string[] {
    return [...this.suppressed].sort();
  }

  /** Subscribes; resolves with the first SUBSCRIBED, rejects if the framework was removed or the driver stopped first. */
  start(): Promise<SubscribedInfo> {
    if (this.detector) void this.followLeader(this.detector);
    this.subscription.start();
    return this.firstSubscribed.promise;
  }

  /** Resolves when the driver stops for good: stop(), teardown(), or removal by the master. */
  get done(): Promise<DriverStopReason> {
    return this.finished.promise;
  }

  /** Closes the stream and every socket. The framework stays registered until its failover_timeout. */
  async stop(): Promise<void> {
    this.finish(this.tearingDown ? { kind: 'torn-down' } : { kind: 'stopped' });
  }

  // ---- calls: each resolves on the status Mesos promises, else rejects with SchedulerCallError ----

  accept(offerIds: readonly IdLike[], operations: readonly OfferOperation[], filters?: Filters): Promise<void> {
    return this.send('ACCEPT', (fid) => calls.acceptCall(fid, offerIds, operations, filters));
  }

  /** ACCEPT with one LAUNCH operation. */
  launch(offerIds: readonly IdLike[], tasks: readonly TaskInfo[], filters?: Filters): Promise<void> {
    return this.accept(offerIds, [calls.launchOperation(tasks)], filters);
  }

  /** ACCEPT with one LAUNCH_GROUP operation: the tasks start atomically under one executor. */
  launchGroup(offerIds: readonly IdLike[], executor: ExecutorInfo, tasks: TaskGroupInfo | readonly TaskInfo[], filters?: Filters): Promise<void> {
    return this.accept(offerIds, [calls.launchGroupOperation(executor, tasks)], filters);
  }

  decline(offerIds: readonly IdLike[], filters?: Filters): Promise<void> {
    return this.send('DECLINE', (fid) => calls.declineCall(fid, offerIds, filters));
  }

  /** Clears offer filters and un-suppresses `roles` (all of the framework's roles when omitted). */
  async revive(roles?: readonly string[]): Promise<void> {
    await this.send('REVIVE', (fid) => calls.reviveCall(fid, roles));
    for (const role of roles && roles.length > 0 ? roles : this.roles()) this.suppressed.delete(role);
  }

  /** Stops offers for `roles` (all of the framework's roles when omitted); remembered across re-subscribes. */
  async suppress(roles?: readonly string[]): Promise<void> {
    await this.send('SUPPRESS', (fid) => calls.suppressCall(fid, roles));
    for (const role of roles && roles.length > 0 ? roles : this.roles()) this.suppressed.add(role);
  }

  kill(taskId: IdLike, agentId?: IdLike, killPolicy?: KillPolicy): Promise<void> {
    return this.send('KILL', (fid) => calls.killCall(fid, taskId, agentId, killPolicy));
  }

  shutdown(executorId: IdLike, agentId: IdLike): Promise<void> {
    return this.send('SHUTDOWN', (fid) => calls.shutdownCall(fid, executorId, agentId));
  }

  acknowledge(agentId: IdLike, taskId: IdLike, uuid: string): Promise<void> {
    return this.send('ACKNOWLEDGE', (fid) => calls.acknowledgeCall(fid, agentId, taskId, uuid));
  }

  /** Explicit reconciliation of `tasks`; an empty list is implicit reconciliation of all of them. */
  reconcile(tasks: readonly ReconcileTask[] = []): Promise<void> {
    return this.send('RECONCILE', (fid) => calls.reconcileCall(fid, tasks));
  }

  message(agentId: IdLike, executorId: IdLike, data: Buffer | string): Promise<void> {
    return this.send('MESSAGE', (fid) => calls.messageCall(fid, agentId, executorId, data));
  }

  /** Removes the framework (its tasks are killed), then stops the driver. */
  async teardown(): Promise<void> {
    this.tearingDown = true;
    try {
      await this.send('TEARDOWN', (fid) => calls.teardownCall(fid));
    } catch (err) {
      this.tearingDown = false;
      throw err;
    }
    await this.stop();
  }

  /** UPDATE_FRAMEWORK (answered 200). The id is kept; `suppressedRoles`, when given, replaces the suppressed set. */
  async updateFramework(frameworkInfo: FrameworkInfo, suppressedRoles?: readonly string[]): Promise<void> {
    let sent: FrameworkInfo | undefined;
    await this.send('UPDATE_FRAMEWORK', (fid) => {
      const call = calls.updateFrameworkCall(fid, frameworkInfo, suppressedRoles);
      sent = call.update_framework?.framework_info;
      return call;
    });
    if (sent) this.info = sent;
    if (suppressedRoles) {
      this.suppressed.clear();
      suppressedRoles.forEach((r) => this.suppressed.add(r));
    }
  }

  // ---- internals ----

  private roles(): string[] {
    const multiRole = (this.info.capabilities ?? []).some((c) => c.type === 'MULTI_ROLE');
    return multiRole ? [...(this.info.roles ?? [])] : [this.info.role ?? '*'];
  }

  private async send(type: SchedulerCall['type'], build: (fid: FrameworkID) => SchedulerCall): Promise<void> {
    const streamId = this.subscription.streamId;
    const endpoint = this.subscription.endpoint;
    const fid = this.info.id;
    if (streamId === undefined || endpoint === undefined || fid === undefined || this.stopped) throw new NotSubscribedError(type);
    const call = build(fid);
    let response;
    try {
      response = await this.transport.post(endpoint, streamId, JSON.stringify(call));
    } catch (err) {
      throw new SchedulerCallError(type, 0, err instanceof Error ? err.message : String(err));
    }
    if (response.status === calls.expectedStatus(call)) return;
    if (response.status === 400 && STREAM_ID_REJECTED.test(response.body)) {
      this.log.warn({ frameworkId: fid.value, streamId }, 'master rejected our stream id; re-subscribing');
      this.subscription.resubscribe('the master rejected our Mesos-Stream-Id', streamId);
    }
    throw new SchedulerCallError(type, response.status, response.body);
  }

  private dispatch(event: DriverEvent): void {
    const h = this.handlers;
    if (h.onEvent) this.run('onEvent', () => h.onEvent?.(event, this));
    switch (event.type) {
      case 'SUBSCRIBED': {
        this.info = { ...this.info, id: { value: event.frameworkId.value } };
        const info: SubscribedInfo = {
          frameworkId: event.frameworkId.value,
          heartbeatIntervalSeconds: event.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
          masterInfo: event.masterInfo,
          resubscribed: this.subscribedOnce,
        };
        this.subscribedOnce = true;
        this.log.info({ frameworkId: info.frameworkId, resubscribed: info.resubscribed }, 'framework subscribed');
        this.firstSubscribed.resolve(info);
        this.run('onSubscribed', () => h.onSubscribed?.(info, this));
        return;
      }
      case 'OFFERS':
        this.run('onOffers', () => h.onOffers?.(event.offers, this));
        return;
      case 'RESCIND':
        this.run('onRescind', () => h.onRescind?.(event.offerId, this));
        return;
      case 'UPDATE':
        this.onUpdate(event.status);
        return;
      case 'MESSAGE':
        this.run('onMessage', () => h.onMessage?.(event.message, this));
        return;
      case 'FAILURE':
        this.run('onFailure', () => h.onFailure?.(event.failure, this));
        return;
      case 'ERROR':
        // A teardown we asked for ends with "Framework has been removed"; that is no error.
        if (this.tearingDown) return;
        this.log.warn({ frameworkId: this.frameworkId, message: event.message }, 'master sent ERROR');
        this.run('onError', () => h.onError?.(event.message, this));
        return;
      case 'HEARTBEAT':
        this.run('onHeartbeat', () => h.onHeartbeat?.(this));
        return;
      case 'OTHER':
        return;
    }
  }

  private onUpdate(status: TaskStatus): void {
    const handled = this.run('onUpdate', () => this.handlers.onUpdate?.(status, this));
    // Master-generated updates (reconciliation, invalid offers, agent loss) carry no uuid and must not be acked.
    if (!this.autoAcknowledge || status.uuid === undefined || status.agent_id === undefined) return;
    const { agent_id: agentId, task_id: taskId, uuid } = status;
    const ack = (): void => {
      this.acknowledge(agentId, taskId, uuid).catch((err: unknown) => {
        // Unacknowledged updates are re-sent by the agent, so this costs a retry, not correctness.
        this.log.warn({ err, taskId: taskId.value, agentId: agentId.value }, 'acknowledgement failed');
      });
    };
    if (handled === true) ack();
    else if (handled !== false) void handled.then((ok) => ok && ack());
  }

  /** Runs a handler; true/false when it finished synchronously (ok/threw), else a promise of that. */
  private run(name: string, fn: () => HandlerResult): boolean | Promise<boolean> {
    const fail = (err: unknown): false => {
      this.log.error({ err, handler: name }, 'framework handler failed');
      return false;
    };
    try {
      const result = fn();
      if (result === undefined) return true;
      return result.then(() => true, fail);
    } catch (err) {
      return fail(err);
    }
  }

  private onDisconnected(reason: string): void {
    this.log.warn({ frameworkId: this.frameworkId, reason }, 'disconnected from the master');
    this.run('onDisconnected', () => this.handlers.onDisconnected?.(reason, this));
  }

  private onRemoved(message: string): void {
    if (this.tearingDown) {
      this.finish({ kind: 'torn-down' });
      return;
    }
    const error = new FrameworkRemovedError(this.frameworkId, message);
    this.log.error({ frameworkId: this.frameworkId, message }, 'framework was removed by the master; stopping');
    this.finish({ kind: 'removed', error });
  }

  /** Subscribes to each new leader the detector names. */
  private async followLeader(detector: LeaderDetector<MasterInfo>): Promise<void> {
    let previous: MasterInfo | undefined;
    while (!this.stopped) {
      const next = await detector.detect(previous);
      if (this.stopped) return;
      previous = next;
      if (!next) continue;
      this.endpoints.detected(masterEndpoint(next));
      this.log.info({ master: masterEndpoint(next) }, 'detected the leading master');
      this.subscription.leaderChanged();
    }
  }

  private finish(reason: DriverStopReason): void {
    if (this.stopped) return;
    this.stopped = true;
    this.subscription.stop();
    this.transport.destroy();
    void this.ownDetector?.close();
    this.firstSubscribed.reject(reason.kind === 'removed' ? reason.error : new DriverStoppedError());
    this.finished.resolve(reason);
  }
}
