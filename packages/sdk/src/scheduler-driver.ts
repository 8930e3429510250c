// A typed client of the Mesos v1 scheduler API: subscribes (following redirects to the leader),
// keeps its framework id across reconnects, watches heartbeats, dispatches typed events and
// acknowledges updates. Every call is one POST on a keep-alive pool.
import { Agent as HttpAgent } from 'node:http';
import {
  SystemClock, type AgentID, type Cancel, type Clock, type ExecutorID, type ExecutorInfo, type Filters,
  type FrameworkInfo, type KillPolicy, type MasterInfo, type Offer, type OfferID, type OfferOperation,
  type SchedulerCall, type SchedulerEvent, type TaskGroupInfo, type TaskID, type TaskInfo, type TaskStatus,
} from '@tepui/protocol';
import { Backoff } from './backoff';
import { SchedulerCallError, masterBaseFromLocation, postCall } from './calls';
import { openEventStream } from './event-stream';

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const silent: Logger = { debug() {}, info() {}, warn() {} };

export interface SubscribedInfo {
  readonly frameworkId: string;
  readonly heartbeatIntervalSeconds: number;
  readonly masterInfo?: MasterInfo;
}

type Result = void | Promise<void>;

/** What a framework reacts to; every handler is optional. */
export interface SchedulerHandlers {
  subscribed?(info: SubscribedInfo, driver: SchedulerDriver): Result;
  offers?(offers: Offer[], driver: SchedulerDriver): Result;
  rescind?(offerId: OfferID, driver: SchedulerDriver): Result;
  update?(status: TaskStatus, driver: SchedulerDriver): Result;
  message?(from: { agentId: AgentID; executorId: ExecutorID; data: string }, driver: SchedulerDriver): Result;
  failure?(failure: NonNullable<SchedulerEvent['failure']>, driver: SchedulerDriver): Result;
  error?(message: string, driver: SchedulerDriver): Result;
  heartbeat?(driver: SchedulerDriver): Result;
  disconnected?(reason: string, driver: SchedulerDriver): Result;
}

export interface SchedulerDriverOptions {
  /** `http://host:5050`, or several masters to try in turn. */
  readonly master: string | readonly string[];
  readonly frameworkInfo: FrameworkInfo;
  readonly handlers: SchedulerHandlers;
  /** Acknowledge every update carrying a uuid after its handler ran (default true). */
  readonly autoAcknowledge?: boolean;
  /** Reconnect when no event arrived for this long (default: 5 × the master's heartbeat interval). */
  readonly heartbeatTimeoutMs?: number;
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
  readonly maxSockets?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const REMOVED = 'Framework has been removed';

export class SchedulerDriver {
  private readonly masters: string[];
  private masterIndex = 0;
  private leader: string;
  private readonly pool: HttpAgent;
  private readonly streamPool = new HttpAgent({ keepAlive: false });
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private info: FrameworkInfo;
  private streamId?: string;
  private closeStream?: () => void;
  private watchdog?: Cancel;
  private reconnectTimer?: Cancel;
  private heartbeatTimeoutMs?: number;
  private stopped = false;
  private connecting = false;
  private readonly subscribedWaiters: Array<(info: SubscribedInfo) => void> = [];

  constructor(private readonly options: SchedulerDriverOptions) {
    this.masters = (typeof options.master === 'string' ? [options.master] : [...options.master]).map((m) => m.replace(/\/+$/, ''));
    if (this.masters.length === 0) throw new Error('SchedulerDriver needs at least one master URL');
    this.leader = this.masters[0]!;
    this.info = { ...options.frameworkInfo };
    this.clock = options.clock ?? new SystemClock();
    this.log = options.logger ?? silent;
    this.backoff = new Backoff({ initialMs: options.reconnectInitialMs ?? 500, maxMs: options.reconnectMaxMs ?? 30_000 });
    this.pool = new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  }

  get frameworkId(): string | undefined {
    return this.info.id?.value;
  }

  get connected(): boolean {
    return this.streamId !== undefined;
  }

  /** Subscribes; resolves with the first SUBSCRIBED. */
  start(): Promise<SubscribedInfo> {
    const subscribed = new Promise<SubscribedInfo>((resolve) => this.subscribedWaiters.push(resolve));
    void this.connect();
    return subscribed;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reconnectTimer?.();
    this.watchdog?.();
    this.closeStream?.();
    this.streamId = undefined;
    this.pool.destroy();
    this.streamPool.destroy();
  }

  // ---- calls ----

  accept(offerIds: readonly OfferID[], operations: readonly OfferOperation[], filters?: Filters): Promise<void> {
    return this.call({ type: 'ACCEPT', accept: { offer_ids: [...offerIds], operations: [...operations], ...(filters ? { filters } : {}) } });
  }

  launch(offerIds: readonly OfferID[], tasks: readonly TaskInfo[], filters?: Filters): Promise<void> {
    return this.accept(offerIds, [{ type: 'LAUNCH', launch: { task_infos: [...tasks] } }], filters);
  }

  launchGroup(offerIds: readonly OfferID[], executor: ExecutorInfo, group: TaskGroupInfo, filters?: Filters): Promise<void> {
    return this.accept(offerIds, [{ type: 'LAUNCH_GROUP', launch_group: { executor, task_group: group } }], filters);
  }

  decline(offerIds: readonly OfferID[], filters?: Filters): Promise<void> {
    return this.call({ type: 'DECLINE', decline: { offer_ids: [...offerIds], ...(filters ? { filters } : {}) } });
  }

  revive(roles?: readonly string[]): Promise<void> {
    return this.call({ type: 'REVIVE', revive: roles ? { roles: [...roles] } : {} });
  }

  suppress(roles?: readonly string[]): Promise<void> {
    return this.call({ type: 'SUPPRESS', suppress: roles ? { roles: [...roles] } : {} });
  }

  kill(taskId: TaskID, agentId?: AgentID, killPolicy?: KillPolicy): Promise<void> {
    return this.call({ type: 'KILL', kill: { task_id: taskId, ...(agentId ? { agent_id: agentId } : {}), ...(killPolicy ? { kill_policy: killPolicy } : {}) } });
  }

  shutdown(executorId: ExecutorID, agentId: AgentID): Promise<void> {
    return this.call({ type: 'SHUTDOWN', shutdown: { executor_id: executorId, agent_id: agentId } });
  }

  acknowledge(agentId: AgentID, taskId: TaskID, uuid: string): Promise<void> {
    return this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: agentId, task_id: taskId, uuid } });
  }

  reconcile(tasks: ReadonlyArray<{ task_id: TaskID; agent_id?: AgentID }> = []): Promise<void> {
    return this.call({ type: 'RECONCILE', reconcile: { tasks: [...tasks] } });
  }

  message(agentId: AgentID, executorId: ExecutorID, data: string): Promise<void> {
    return this.call({ type: 'MESSAGE', message: { agent_id: agentId, executor_id: executorId, data } });
  }

  async teardown(): Promise<void> {
    await this.call({ type: 'TEARDOWN' });
    await this.stop();
  }

  async updateFramework(frameworkInfo: FrameworkInfo, suppressedRoles?: readonly string[]): Promise<void> {
    const info = { ...frameworkInfo, id: this.info.id };
    await this.call({ type: 'UPDATE_FRAMEWORK', update_framework: { framework_info: info, ...(suppressedRoles ? { suppressed_roles: [...suppressedRoles] } : {}) } });
    this.info = info;
  }

  private async call(body: Omit<SchedulerCall, 'framework_id'>): Promise<void> {
    const id = this.info.id;
    if (!id || this.streamId === undefined) throw new SchedulerCallError(body.type, 0, 'not subscribed');
    const call: SchedulerCall = { framework_id: id, ...body };
    const res = await postCall(`${this.leader}/api/v1/scheduler`, this.streamId, call, this.pool);
    if (res.status === 202 || res.status === 200) return;
    if (res.status === 400 && /stream ID/.test(res.body)) this.resubscribe('stream id rejected');
    throw new SchedulerCallError(body.type, res.status, res.body);
  }

  // ---- subscription ----

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting) return;
    this.connecting = true;
    const url = `${this.leader}/api/v1/scheduler`;
    const call: SchedulerCall = {
      type: 'SUBSCRIBE',
      ...(this.info.id ? { framework_id: this.info.id } : {}),
      subscribe: { framework_info: this.info },
    };
    try {
      const outcome = await openEventStream(url, call, this.streamPool, {
        onEvent: (event) => this.onEvent(event),
        onEnd: (reason) => this.onStreamEnd(reason),
      });
      if (outcome.kind === 'redirect') {
        this.leader = masterBaseFromLocation(outcome.location, this.leader);
        this.log.info({ leader: this.leader }, 'redirected to the leading master');
        this.connecting = false;
        void this.connect();
        return;
      }
      if (outcome.kind === 'failed') {
        this.log.warn({ status: outcome.status, body: outcome.body }, 'SUBSCRIBE was refused');
        this.connecting = false;
        this.scheduleReconnect(`SUBSCRIBE answered ${outcome.status}`, outcome.status === 503);
        return;
      }
      this.streamId = outcome.streamId;
      this.closeStream = outcome.close;
      this.connecting = false;
    } catch (err) {
      this.connecting = false;
      this.scheduleReconnect(`cannot reach ${url}: ${(err as Error).message}`, true);
    }
  }

  private resubscribe(reason: string): void {
    this.closeStream?.();
    this.onStreamEnd(reason);
  }

  private onStreamEnd(reason: string): void {
    if (this.streamId === undefined && this.closeStream === undefined) return;
    this.streamId = undefined;
    this.closeStream = undefined;
    this.watchdog?.();
    void this.options.handlers.disconnected?.(reason, this);
    this.scheduleReconnect(reason, false);
  }

  private scheduleReconnect(reason: string, tryNextMaster: boolean): void {
    if (this.stopped) return;
    if (tryNextMaster && this.masters.length > 1) {
      this.masterIndex = (this.masterIndex + 1) % this.masters.length;
      this.leader = this.masters[this.masterIndex]!;
    }
    const delay = this.backoff.next();
    this.log.info({ reason, delayMs: delay }, 'reconnecting to the master');
    this.reconnectTimer?.();
    this.reconnectTimer = this.clock.setTimer(delay, () => void this.connect());
  }

  private armWatchdog(): void {
    this.watchdog?.();
    const timeout = this.options.heartbeatTimeoutMs ?? this.heartbeatTimeoutMs;
    if (timeout === undefined) return;
    this.watchdog = this.clock.setTimer(timeout, () => this.resubscribe('no heartbeat from the master'));
  }

  private onEvent(event: SchedulerEvent): void {
    this.armWatchdog();
    const h = this.options.handlers;
    switch (event.type) {
      case 'SUBSCRIBED': {
        const s = event.subscribed!;
        this.info = { ...this.info, id: s.framework_id };
        const interval = s.heartbeat_interval_seconds ?? 15;
        this.heartbeatTimeoutMs = interval * 5 * 1000;
        this.armWatchdog();
        this.backoff.reset();
        const info: SubscribedInfo = { frameworkId: s.framework_id.value, heartbeatIntervalSeconds: interval, masterInfo: s.master_info };
        this.subscribedWaiters.splice(0).forEach((resolve) => resolve(info));
        void this.run(() => h.subscribed?.(info, this));
        return;
      }
      case 'OFFERS':
        void this.run(() => h.offers?.(event.offers?.offers ?? [], this));
        return;
      case 'RESCIND':
        void this.run(() => h.rescind?.(event.rescind!.offer_id, this));
        return;
      case 'UPDATE':
        void this.onUpdate(event.update!.status);
        return;
      case 'MESSAGE': {
        const m = event.message!;
        void this.run(() => h.message?.({ agentId: m.agent_id, executorId: m.executor_id, data: m.data }, this));
        return;
      }
      case 'FAILURE':
        void this.run(() => h.failure?.(event.failure!, this));
        return;
      case 'ERROR': {
        const message = event.error?.message ?? 'unknown error';
        void this.run(() => h.error?.(message, this));
        if (message === REMOVED) void this.stop();
        else this.resubscribe(`master sent ERROR: ${message}`);
        return;
      }
      case 'HEARTBEAT':
        void this.run(() => h.heartbeat?.(this));
        return;
      default:
        return;
    }
  }

  private async onUpdate(status: TaskStatus): Promise<void> {
    await this.run(() => this.options.handlers.update?.(status, this));
    if (this.options.autoAcknowledge === false || status.uuid === undefined || !status.agent_id) return;
    try {
      await this.acknowledge(status.agent_id, status.task_id, status.uuid);
    } catch (err) {
      this.log.warn({ err, taskId: status.task_id.value }, 'acknowledgement failed; the agent will resend the update');
    }
  }

  private async run(handler: () => Result): Promise<void> {
    try {
      await handler();
    } catch (err) {
      this.log.warn({ err }, 'framework handler threw');
    }
  }
}
