// The master's state and the operations shared by its two faces: the scheduler API (frameworks)
// and the agent channel (agents). Decisions live in pure modules (allocator, accept planning,
// reconciliation); this class keeps the books and sends messages.
import type { Logger } from 'pino';
import type {
  Clock, MasterInfo, MasterToAgentMessage, Offer, OperatorEvent, SchedulerEvent, Task, TaskStatus,
} from '@tepui/protocol';
import { isTerminalState, Resources, seededRandom } from '@tepui/protocol';
import { HierarchicalAllocator } from './allocator/allocator';
import type { AllocationResult } from './allocator/allocator-types';
import { AllocationLoop } from './allocator/allocation-loop';
import type { MasterConfig } from './config';
import type { Agent } from './agents/agent';
import { AgentTable } from './agents/agent-table';
import type { Framework } from './frameworks/framework';
import { MasterIds } from './ids';
import { OfferBook, type OutstandingOffer } from './offers/offer-book';
import type { RecordIOStream } from './http/recordio-stream';
import type { MasterMetrics } from './metrics';
import { RoleWeights } from './roles/weights';
import { LoggingLevel } from './logging-level';
import { MemoryRegistry, type RegisteredAgent } from './registry/registry';
import { Registrar } from './registry/registrar';

export interface UnreachableAgent {
  readonly info: Agent['info'];
  readonly since: number;
}

export class Master {
  readonly frameworks = new Map<string, Framework>();
  readonly completedFrameworks: Framework[] = [];
  readonly removedFrameworkIds = new Set<string>();
  readonly agents = new AgentTable();
  readonly unreachableAgents = new Map<string, UnreachableAgent>();
  /** Agents the previous leader admitted that have not re-registered yet (after a failover). */
  readonly recoveredAgents = new Map<string, RegisteredAgent>();
  readonly goneAgents = new Set<string>();
  readonly offers = new OfferBook();
  readonly allocator: HierarchicalAllocator;
  readonly allocation: AllocationLoop;
  readonly operatorStreams = new Set<RecordIOStream>();
  readonly startTime: number;
  /** When this master was elected leader; undefined while it does not lead. */
  electedTime: number | undefined;
  /** Current role weights: --weights, then UPDATE_WEIGHTS. */
  readonly weights: RoleWeights;
  readonly loggingLevel: LoggingLevel;

  constructor(
    readonly config: MasterConfig,
    readonly clock: Clock,
    readonly log: Logger,
    readonly ids: MasterIds,
    readonly info: MasterInfo,
    readonly metrics: MasterMetrics,
    /** Where what must survive a failover goes (standalone: memory, as before). */
    readonly registrar: Registrar = new Registrar(new MemoryRegistry(), { revoked: () => undefined }, log, clock),
  ) {
    this.startTime = clock.now();
    this.weights = new RoleWeights(config.weights);
    this.loggingLevel = new LoggingLevel(log, clock);
    this.allocator = new HierarchicalAllocator({
      allocationIntervalMs: config.allocationIntervalMs,
      roleSorter: config.roleSorter,
      frameworkSorter: config.frameworkSorter,
      weights: config.weights,
      minAllocatable: config.minAllocatable,
      fairnessExcludedResourceNames: config.fairnessExcludedResourceNames,
      random: seededRandom(config.allocatorSeed),
    });
    this.allocation = new AllocationLoop(this.allocator, clock, config.allocationIntervalMs, (result) =>
      this.onAllocation(result),
    );
  }

  get now(): number {
    return this.clock.now();
  }

  // ---- messaging ----

  sendToFramework(framework: Framework, event: SchedulerEvent): void {
    framework.subscription?.stream.send(event);
  }

  sendToAgent(agent: Agent | undefined, message: MasterToAgentMessage): boolean {
    if (!agent?.connection) return false;
    agent.connection.send(message);
    return true;
  }

  /** Sends an event to the operator API's subscribers; pass a function when the event is costly to build. */
  publish(event: OperatorEvent | (() => OperatorEvent)): void {
    if (this.operatorStreams.size === 0) return;
    const json = JSON.stringify(typeof event === 'function' ? event() : event);
    for (const stream of this.operatorStreams) stream.sendRaw(json);
  }

  // ---- offers ----

  private onAllocation(result: AllocationResult): void {
    const byFramework = new Map<Framework, Offer[]>();
    for (const draft of result.offers) {
      const framework = this.frameworks.get(draft.frameworkId);
      const agent = this.agents.get(draft.agentId);
      if (!framework?.connected || !agent) {
        this.allocator.recoverResources(draft.frameworkId, draft.agentId, draft.resources, undefined, this.now);
        continue;
      }
      const id = this.ids.offer();
      const outstanding: OutstandingOffer = {
        id, frameworkId: framework.id, agentId: agent.id, role: draft.role, resources: draft.resources, createdAt: this.now,
      };
      if (this.config.offerTimeoutMs !== undefined) {
        outstanding.expiry = this.clock.setTimer(this.config.offerTimeoutMs, () => this.rescindOffer(id));
      }
      this.offers.add(outstanding);
      framework.offers.add(id);
      let list = byFramework.get(framework);
      if (!list) byFramework.set(framework, (list = []));
      list.push(this.offerJson(outstanding, agent));
    }
    for (const [framework, offers] of byFramework) {
      this.sendToFramework(framework, { type: 'OFFERS', offers: { offers } });
    }
    this.metrics.allocationRuns.inc();
  }

  private offerJson(offer: OutstandingOffer, agent: Agent): Offer {
    const { ip, port } = agent.address;
    const executorIds = [...(agent.executors.get(offer.frameworkId)?.values() ?? [])].map((e) => e.executor_id);
    const json: Offer = {
      id: { value: offer.id },
      framework_id: { value: offer.frameworkId },
      agent_id: { value: agent.id },
      hostname: agent.info.hostname,
      url: { scheme: 'http', address: { hostname: agent.info.hostname, ip, port }, path: '/slave(1)' },
      resources: offer.resources.toArray(),
      allocation_info: { role: offer.role },
    };
    if (agent.info.attributes?.length) json.attributes = agent.info.attributes;
    if (executorIds.length > 0) json.executor_ids = executorIds;
    return json;
  }

  /** Removes an offer from the books (accepted or declined); returns it if it was outstanding. */
  takeOffer(id: string): OutstandingOffer | undefined {
    const offer = this.offers.take(id);
    if (offer) this.frameworks.get(offer.frameworkId)?.offers.delete(id);
    return offer;
  }

  /** Rescinds an offer: RESCIND to its framework, resources back to the allocator without a filter. */
  rescindOffer(id: string): void {
    const offer = this.takeOffer(id);
    if (!offer) return;
    this.allocator.recoverResources(offer.frameworkId, offer.agentId, offer.resources, undefined, this.now);
    const framework = this.frameworks.get(offer.frameworkId);
    if (framework) this.sendToFramework(framework, { type: 'RESCIND', rescind: { offer_id: { value: id } } });
    this.allocation.requestAllocation([offer.agentId]);
  }

  /** Drops offers silently (the framework's stream is gone or replaced). */
  discardOffers(offers: Iterable<OutstandingOffer>): void {
    const agents: string[] = [];
    for (const offer of offers) {
      if (!this.takeOffer(offer.id)) continue;
      this.allocator.recoverResources(offer.frameworkId, offer.agentId, offer.resources, undefined, this.now);
      agents.push(offer.agentId);
    }
    if (agents.length > 0) this.allocation.requestAllocation(agents);
  }

  // ---- tasks ----

  addTask(framework: Framework, agent: Agent, task: Task): void {
    framework.tasks.set(task.task_id.value, task);
    agent.addTask(task);
    this.metrics.tasksLaunched.inc();
    this.publish({ type: 'TASK_ADDED', task_added: { task } });
  }

  /**
   * Applies a status to the master's record of a task. `latestState` (from the agent's stream)
   * may be ahead of the status being delivered. Resources are recovered on the first terminal state.
   */
  updateTask(task: Task, status: TaskStatus, latestState = status.state): void {
    const wasTerminal = isTerminalState(task.state);
    task.state = latestState;
    task.status_update_state = status.state;
    if (status.uuid !== undefined) task.status_update_uuid = status.uuid;
    else delete task.status_update_uuid;
    const statuses = (task.statuses ??= []);
    statuses.push(stripForHistory(status));
    if (statuses.length > MAX_STATUS_HISTORY) statuses.splice(0, statuses.length - MAX_STATUS_HISTORY);
    if (!wasTerminal && isTerminalState(latestState)) this.releaseTaskResources(task);
    this.metrics.countTaskState(status.state);
    this.publish({
      type: 'TASK_UPDATED',
      task_updated: { framework_id: task.framework_id, status, state: task.state },
    });
  }

  private releaseTaskResources(task: Task): void {
    const agentId = task.agent_id.value;
    if (!this.agents.has(agentId)) return;
    this.allocator.recoverResources(task.framework_id.value, agentId, Resources.of(task.resources), undefined, this.now);
    this.allocation.requestAllocation([agentId]);
  }

  /** Forgets a terminal task whose last update was acknowledged (or that never reached an agent). */
  removeTask(task: Task): void {
    const framework = this.frameworks.get(task.framework_id.value);
    framework?.completeTask(task, this.config.maxCompletedTasksPerFramework);
    this.agents.get(task.agent_id.value)?.removeTask(task.framework_id.value, task.task_id.value);
  }

  /** A status generated by the master itself: no uuid, never acknowledged. */
  masterStatus(task: Pick<Task, 'task_id' | 'agent_id' | 'executor_id'>, fields: Omit<TaskStatus, 'task_id'>): TaskStatus {
    const status: TaskStatus = {
      task_id: task.task_id,
      source: 'SOURCE_MASTER',
      agent_id: task.agent_id,
      timestamp: this.now / 1000,
      ...fields,
    };
    if (task.executor_id) status.executor_id = task.executor_id;
    return status;
  }

  findFrameworkTask(framework: Framework, taskId: string): Task | undefined {
    return framework.tasks.get(taskId) ?? framework.unreachableTasks.get(taskId);
  }

  masterInfo(): MasterInfo {
    return this.info;
  }
}

const MAX_STATUS_HISTORY = 32;

/** A task's history keeps statuses without their opaque `data`, which can be large. */
function stripForHistory(status: TaskStatus): TaskStatus {
  if (status.data === undefined) return status;
  const { data: _data, ...kept } = status;
  return kept;
}
