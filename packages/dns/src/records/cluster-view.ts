// The cluster as DNS needs to know it, kept from the master's operator API: a full GET_STATE (the
// SUBSCRIBED event) and then its events one by one. Agents and frameworks carry their addresses
// (resolved once, through the injected resolver), tasks their latest state, statuses and health.
// Every change says which agents, frameworks and tasks it touched, so records are redone only there.
import {
  isTerminalState, type GetAgentsAgent, type GetFrameworksFramework, type GetState, type MasterInfo, type OperatorEvent,
  type Task, type TaskState, type TaskStatus,
} from '@tepui/protocol';
import { hostAddresses, upidHostPort, type ResolveHost } from './ip-addresses';

/** The agent port when neither its PID nor its AgentInfo names one (Mesos' default). */
export const DEFAULT_AGENT_PORT = 5051;

export interface AgentView {
  readonly id: string;
  readonly hostname: string;
  /** The host part of its PID (AgentInfo.hostname when it has none), which Mesos-DNS publishes. */
  readonly host: string;
  /** `host` as addresses: the literal, or what the resolver knows of the name (maybe nothing yet). */
  readonly ips: readonly string[];
  /** The PID port: what `_slave._tcp` points at. */
  readonly port: number;
}

export interface FrameworkView {
  readonly id: string;
  readonly name: string;
  readonly hostname: string;
  readonly ips: readonly string[];
  /**
   * The scheduler's port, from its PID in Mesos-DNS. v1 HTTP frameworks have no PID, so it is
   * unknown and `_framework._tcp` is not published for them.
   */
  readonly port: number | undefined;
}

export interface TaskView {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly name: string;
  readonly state: TaskState;
  /** As the master keeps them: one entry per state, a repeated state replacing the last entry. */
  readonly statuses: readonly TaskStatus[];
  /** The last health verdict reported; a status that says nothing about health keeps it. */
  readonly healthy: boolean | undefined;
  /** The task as the master first described it (resources, discovery, health check). */
  readonly task: Task;
}

export interface TaskKey {
  readonly frameworkId: string;
  readonly taskId: string;
}

/** What one change touched; a task listed here may since have been removed. */
export interface ClusterChange {
  readonly agents: readonly string[];
  readonly frameworks: readonly string[];
  readonly tasks: readonly TaskKey[];
}

export const NO_CHANGE: ClusterChange = { agents: [], frameworks: [], tasks: [] };

type MutableTaskView = { -readonly [K in keyof TaskView]: TaskView[K] };

/** The health verdict of the newest status that has one. */
function lastHealthVerdict(statuses: readonly TaskStatus[]): boolean | undefined {
  for (let i = statuses.length - 1; i >= 0; i--) {
    const healthy = statuses[i]!.healthy;
    if (healthy !== undefined) return healthy;
  }
  return undefined;
}

function taskView(task: Task): MutableTaskView {
  const statuses = task.statuses ?? [];
  return {
    id: task.task_id.value, frameworkId: task.framework_id.value, agentId: task.agent_id.value, name: task.name,
    state: task.state, statuses, healthy: lastHealthVerdict(statuses), task,
  };
}

export class ClusterView {
  private readonly agentsById = new Map<string, AgentView>();
  private readonly frameworksById = new Map<string, FrameworkView>();
  /** Task ids are unique within a framework only. */
  private readonly tasksByFramework = new Map<string, Map<string, MutableTaskView>>();
  private readonly tasksByAgent = new Map<string, Set<MutableTaskView>>();
  private leaderInfo: MasterInfo | undefined;

  constructor(private readonly resolveHost: ResolveHost, readonly masters: readonly string[] = []) {}

  get leader(): MasterInfo | undefined {
    return this.leaderInfo;
  }

  setLeader(leader: MasterInfo | undefined): void {
    this.leaderInfo = leader;
  }

  agent(id: string): AgentView | undefined {
    return this.agentsById.get(id);
  }

  framework(id: string): FrameworkView | undefined {
    return this.frameworksById.get(id);
  }

  task(key: TaskKey): TaskView | undefined {
    return this.tasksByFramework.get(key.frameworkId)?.get(key.taskId);
  }

  agents(): IterableIterator<AgentView> {
    return this.agentsById.values();
  }

  frameworks(): IterableIterator<FrameworkView> {
    return this.frameworksById.values();
  }

  *tasks(): IterableIterator<TaskView> {
    for (const tasks of this.tasksByFramework.values()) yield* tasks.values();
  }

  tasksOfFramework(frameworkId: string): IterableIterator<TaskView> {
    return (this.tasksByFramework.get(frameworkId) ?? new Map<string, TaskView>()).values();
  }

  tasksOnAgent(agentId: string): IterableIterator<TaskView> {
    return (this.tasksByAgent.get(agentId) ?? new Set<TaskView>()).values();
  }

  /**
   * Replaces everything known with a complete state. A master that has just been elected lists the
   * agents of its registry that have not re-registered yet as `recovered_agents`, and knows none of
   * their tasks: those agents keep what this view knew of them (their tasks keep their records)
   * until they re-register, which brings their tasks back from the master, or until a later state
   * no longer lists them.
   */
  load(state: GetState): void {
    const before = { agents: new Map(this.agentsById), frameworks: new Map(this.frameworksById), tasksByAgent: new Map(this.tasksByAgent) };
    this.agentsById.clear();
    this.frameworksById.clear();
    this.tasksByFramework.clear();
    this.tasksByAgent.clear();
    for (const agent of state.get_agents.agents ?? []) this.putAgent(agent);
    // Completed frameworks have nothing to publish; unreachable and completed tasks neither, as only
    // running tasks get records.
    for (const framework of state.get_frameworks.frameworks ?? []) this.putFramework(framework);
    for (const task of state.get_tasks.tasks ?? []) this.putTask(task);
    for (const recovered of state.get_agents.recovered_agents ?? []) {
      const id = recovered.id?.value;
      const agent = id === undefined || this.agentsById.has(id) ? undefined : before.agents.get(id);
      if (!agent) continue;
      this.agentsById.set(agent.id, agent);
      for (const task of before.tasksByAgent.get(agent.id) ?? []) {
        const framework = before.frameworks.get(task.frameworkId);
        if (framework && !this.frameworksById.has(framework.id)) this.frameworksById.set(framework.id, framework);
        if (!this.tasksByFramework.get(task.frameworkId)?.has(task.id)) this.putView(task);
      }
    }
  }

  apply(event: OperatorEvent): ClusterChange {
    switch (event.type) {
      case 'SUBSCRIBED':
        if (event.subscribed) this.load(event.subscribed.get_state);
        return this.everything();
      case 'TASK_ADDED':
        return event.task_added ? this.taskAdded(event.task_added.task) : NO_CHANGE;
      case 'TASK_UPDATED': {
        const update = event.task_updated;
        return update ? this.taskUpdated(update.framework_id.value, update.state, update.status) : NO_CHANGE;
      }
      case 'AGENT_ADDED':
        return event.agent_added ? this.agentChanged(this.putAgent(event.agent_added.agent)) : NO_CHANGE;
      case 'AGENT_REMOVED': {
        const id = event.agent_removed?.agent_id.value;
        if (id === undefined || !this.agentsById.delete(id)) return NO_CHANGE;
        // The agent's tasks stay known (the master may still list them) but lose their records: only
        // tasks on a known agent are published. Should the agent come back, they return with it.
        return this.agentChanged(id);
      }
      case 'FRAMEWORK_ADDED':
      case 'FRAMEWORK_UPDATED': {
        const framework = event.type === 'FRAMEWORK_ADDED' ? event.framework_added?.framework : event.framework_updated?.framework;
        const id = framework ? this.putFramework(framework) : undefined;
        return id === undefined ? NO_CHANGE : { agents: [], frameworks: [id], tasks: this.keysOfFramework(id) };
      }
      case 'FRAMEWORK_REMOVED':
        return this.frameworkRemoved(event.framework_removed?.framework_info.id?.value);
      default:
        return NO_CHANGE;
    }
  }

  /**
   * Resolves every agent's and framework's host again (the resolver learns names in the background)
   * and reports those whose addresses changed, with their tasks.
   */
  refreshAddresses(): ClusterChange {
    const agents: string[] = [];
    const frameworks: string[] = [];
    const tasks: TaskKey[] = [];
    for (const agent of this.agentsById.values()) {
      const ips = hostAddresses(agent.host, this.resolveHost);
      if (sameList(ips, agent.ips)) continue;
      this.agentsById.set(agent.id, { ...agent, ips });
      agents.push(agent.id);
      for (const task of this.tasksOnAgent(agent.id)) tasks.push(keyOf(task));
    }
    for (const framework of this.frameworksById.values()) {
      const ips = hostAddresses(framework.hostname, this.resolveHost);
      if (sameList(ips, framework.ips)) continue;
      this.frameworksById.set(framework.id, { ...framework, ips });
      frameworks.push(framework.id);
    }
    return { agents, frameworks, tasks };
  }

  private everything(): ClusterChange {
    return { agents: [...this.agentsById.keys()], frameworks: [...this.frameworksById.keys()], tasks: [...this.tasks()].map(keyOf) };
  }

  private putAgent(agent: GetAgentsAgent): string | undefined {
    const id = agent.agent_info.id?.value;
    if (id === undefined) return undefined;
    const pid = agent.pid === undefined ? undefined : upidHostPort(agent.pid);
    const host = pid?.host ?? agent.agent_info.hostname;
    const port = pid?.port ?? agent.agent_info.port ?? DEFAULT_AGENT_PORT;
    this.agentsById.set(id, { id, hostname: agent.agent_info.hostname, host, ips: hostAddresses(host, this.resolveHost), port });
    return id;
  }

  private agentChanged(id: string | undefined): ClusterChange {
    if (id === undefined) return NO_CHANGE;
    return { agents: [id], frameworks: [], tasks: [...this.tasksOnAgent(id)].map(keyOf) };
  }

  private putFramework(framework: GetFrameworksFramework): string | undefined {
    const info = framework.framework_info;
    const id = info.id?.value;
    if (id === undefined) return undefined;
    const hostname = info.hostname ?? '';
    this.frameworksById.set(id, { id, name: info.name, hostname, ips: hostAddresses(hostname, this.resolveHost), port: undefined });
    return id;
  }

  private frameworkRemoved(id: string | undefined): ClusterChange {
    if (id === undefined) return NO_CHANGE;
    const keys = this.keysOfFramework(id);
    for (const key of keys) this.removeTask(key);
    const known = this.frameworksById.delete(id);
    return known || keys.length > 0 ? { agents: [], frameworks: [id], tasks: keys } : NO_CHANGE;
  }

  private keysOfFramework(id: string): TaskKey[] {
    return [...this.tasksOfFramework(id)].map(keyOf);
  }

  private taskAdded(task: Task): ClusterChange {
    const key = { frameworkId: task.framework_id.value, taskId: task.task_id.value };
    this.removeTask(key);
    if (!isTerminalState(task.state)) this.putTask(task);
    return { agents: [], frameworks: [], tasks: [key] };
  }

  private putTask(task: Task): void {
    if (isTerminalState(task.state)) return;
    this.putView(taskView(task));
  }

  private putView(view: MutableTaskView): void {
    let ofFramework = this.tasksByFramework.get(view.frameworkId);
    if (!ofFramework) this.tasksByFramework.set(view.frameworkId, (ofFramework = new Map()));
    ofFramework.set(view.id, view);
    let onAgent = this.tasksByAgent.get(view.agentId);
    if (!onAgent) this.tasksByAgent.set(view.agentId, (onAgent = new Set()));
    onAgent.add(view);
  }

  private removeTask(key: TaskKey): void {
    const ofFramework = this.tasksByFramework.get(key.frameworkId);
    const view = ofFramework?.get(key.taskId);
    if (!ofFramework || !view) return;
    ofFramework.delete(key.taskId);
    if (ofFramework.size === 0) this.tasksByFramework.delete(key.frameworkId);
    const onAgent = this.tasksByAgent.get(view.agentId);
    onAgent?.delete(view);
    if (onAgent?.size === 0) this.tasksByAgent.delete(view.agentId);
  }

  private taskUpdated(frameworkId: string, state: TaskState, status: TaskStatus): ClusterChange {
    const key = { frameworkId, taskId: status.task_id.value };
    const view = this.tasksByFramework.get(frameworkId)?.get(key.taskId);
    // An update for a task never added carries no name or resources to publish; the next full
    // state will have it.
    if (!view) return NO_CHANGE;
    if (isTerminalState(state)) {
      this.removeTask(key);
      return { agents: [], frameworks: [], tasks: [key] };
    }
    view.state = state;
    // The master's own bookkeeping (Master::updateTask): a status of the same state as the last
    // one replaces it, any other is appended. Copied, as the old array may be the wire object's.
    const last = view.statuses[view.statuses.length - 1];
    view.statuses = last !== undefined && last.state === status.state
      ? [...view.statuses.slice(0, -1), status]
      : [...view.statuses, status];
    if (status.healthy !== undefined) view.healthy = status.healthy;
    return { agents: [], frameworks: [], tasks: [key] };
  }
}

const keyOf = (task: TaskView): TaskKey => ({ frameworkId: task.frameworkId, taskId: task.id });

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
