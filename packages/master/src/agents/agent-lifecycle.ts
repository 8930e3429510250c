// Agents joining, re-joining, going quiet and leaving (Master::registerSlave, reregisterSlave,
// markUnreachable, removeSlave in src/master/master.cpp).
import {
  Resources, isTerminalState, type RegisterAgentMessage, type ReregisterAgentMessage, type Task, type TaskState,
  type TaskStatusReason,
} from '@tepui/protocol';
import type { Master } from '../master';
import { Agent, type AgentConnection } from './agent';
import { Framework } from '../frameworks/framework';
import { allocatorInfo } from '../frameworks/framework-lifecycle';
import { agentToOperatorJson } from './agent-json';
import { frameworkToOperatorJson } from '../frameworks/framework-json';

function pingSeconds(master: Master): number {
  return master.config.agentPingTimeoutMs / 1000;
}

function addToAllocator(master: Master, agent: Agent): void {
  const used = new Map<string, Resources>();
  for (const task of agent.allTasks()) {
    if (isTerminalState(task.state)) continue;
    const fw = task.framework_id.value;
    used.set(fw, (used.get(fw) ?? Resources.EMPTY).plus(Resources.of(task.resources)));
  }
  for (const [fw, executors] of agent.executors) {
    for (const executor of executors.values()) {
      used.set(fw, (used.get(fw) ?? Resources.EMPTY).plus(Resources.of(executor.resources ?? [])));
    }
  }
  master.allocator.addAgent(agent.id, { hostname: agent.info.hostname, total: agent.total, multiRole: agent.capabilities.includes('MULTI_ROLE') }, used);
}

/** An agent with the same pid that registers afresh has restarted without its state: the old one is gone. */
function removeStaleAgentAt(master: Master, pid: string): void {
  for (const agent of master.agents.atPid(pid)) removeAgent(master, agent, 'REASON_AGENT_RESTARTED', 'Agent restarted with a new identity');
}

export function registerAgent(master: Master, msg: RegisterAgentMessage, connection: AgentConnection): Agent {
  removeStaleAgentAt(master, msg.pid);
  const id = master.ids.agent();
  const total = Resources.of(msg.agent_info.resources ?? []);
  const agent = new Agent({ ...msg.agent_info, id: { value: id } }, total, msg.pid, msg.version, msg.capabilities, master.now);
  agent.connection = connection;
  master.agents.set(id, agent);
  master.registrar.record({ type: 'ADMIT_AGENT', agent: { id, hostname: agent.info.hostname, pid: msg.pid } });
  addToAllocator(master, agent);
  connection.send({ type: 'AGENT_REGISTERED', agent_id: { value: id }, master_info: master.masterInfo(), ping_interval_seconds: pingSeconds(master) });
  master.metrics.agentRegistrations.inc();
  master.publish(() => ({ type: 'AGENT_ADDED', agent_added: { agent: agentToOperatorJson(master, agent) } }));
  master.log.info({ agentId: id, hostname: agent.info.hostname, resources: total.toString() }, 'agent registered');
  master.allocation.requestAllocation([id]);
  return agent;
}

export function reregisterAgent(master: Master, msg: ReregisterAgentMessage, connection: AgentConnection): Agent | undefined {
  const id = msg.agent_info.id.value;
  if (master.goneAgents.has(id)) {
    connection.send({ type: 'SHUTDOWN_AGENT', message: 'Agent has been marked gone' });
    return undefined;
  }
  const existing = master.agents.get(id);
  if (existing) {
    existing.connection?.close('Agent re-registered on a new connection');
    master.allocator.removeAgent(id);
    master.discardOffers(master.offers.ofAgent(id));
  }
  const wasUnreachable = master.unreachableAgents.delete(id);
  const wasRecovered = master.recoveredAgents.delete(id);
  // Known from the registry as admitted already (recovered, or re-registering with this master): no write.
  if (wasUnreachable || (!existing && !wasRecovered)) {
    master.registrar.record({ type: 'MARK_REACHABLE', agent: { id, hostname: msg.agent_info.hostname, pid: msg.pid } });
  }
  const total = Resources.of(msg.agent_info.resources ?? []);
  const agent = new Agent({ ...msg.agent_info, id: { value: id } }, total, msg.pid, msg.version, msg.capabilities, existing?.registeredTime ?? master.now);
  agent.reregisteredTime = master.now;
  agent.connection = connection;
  master.agents.set(id, agent);
  for (const fwInfo of msg.frameworks) ensureFramework(master, fwInfo);
  for (const { framework_id, executor_info, directory } of msg.executors) agent.addExecutor(framework_id.value, executor_info, directory);
  const reported = new Set<string>();
  // Kills the agent may never have heard (it was disconnected, or went away after they were sent).
  const killAgain: Array<{ frameworkId: string; taskId: string }> = [];
  for (const reportedTask of msg.tasks) {
    const key = `${reportedTask.framework_id.value}/${reportedTask.task_id.value}`;
    reported.add(key);
    readmitTask(master, agent, reportedTask, wasUnreachable);
    if (existing?.killedTasks.has(key) && !isTerminalState(reportedTask.state)) {
      agent.killedTasks.add(key);
      killAgain.push({ frameworkId: reportedTask.framework_id.value, taskId: reportedTask.task_id.value });
    }
  }
  // Tasks the master sent but the agent never saw (launch lost in flight) are reconciled by the agent.
  const missing = new Map<string, Array<{ task_id: { value: string }; state: TaskState }>>();
  for (const task of existing?.allTasks() ?? []) {
    if (reported.has(`${task.framework_id.value}/${task.task_id.value}`) || isTerminalState(task.state)) continue;
    agent.addTask(task);
    const list = missing.get(task.framework_id.value) ?? [];
    list.push({ task_id: task.task_id, state: task.state });
    missing.set(task.framework_id.value, list);
  }
  addToAllocator(master, agent);
  connection.send({ type: 'AGENT_REREGISTERED', agent_id: { value: id }, master_info: master.masterInfo(), ping_interval_seconds: pingSeconds(master) });
  for (const [frameworkId, tasks] of missing) connection.send({ type: 'RECONCILE_TASKS', framework_id: { value: frameworkId }, tasks });
  for (const { frameworkId, taskId } of killAgain) connection.send({ type: 'KILL_TASK', framework_id: { value: frameworkId }, task_id: { value: taskId } });
  master.metrics.agentReregistrations.inc();
  master.publish(() => ({ type: 'AGENT_ADDED', agent_added: { agent: agentToOperatorJson(master, agent) } }));
  master.log.info({ agentId: id, tasks: msg.tasks.length, wasUnreachable }, 'agent re-registered');
  master.allocation.requestAllocation([id]);
  return agent;
}

/** Frameworks learned from an agent after master failover exist as "recovered" until they re-subscribe. */
function ensureFramework(master: Master, info: ReregisterAgentMessage['frameworks'][number]): Framework | undefined {
  const id = info.id?.value;
  if (id === undefined || master.removedFrameworkIds.has(id)) return undefined;
  let framework = master.frameworks.get(id);
  if (!framework) {
    framework = new Framework({ ...info, id: { value: id } }, master.now);
    framework.recovered = true;
    master.frameworks.set(id, framework);
    master.allocator.addFramework(id, allocatorInfo(framework, []), new Map());
    // Operator subscribers learn of it as of any added framework (Mesos' addFramework does the same).
    const added = framework;
    master.publish(() => ({ type: 'FRAMEWORK_ADDED', framework_added: { framework: frameworkToOperatorJson(master, added) } }));
  }
  return framework;
}

function readmitTask(master: Master, agent: Agent, reported: Task, wasUnreachable: boolean): void {
  const framework = master.frameworks.get(reported.framework_id.value);
  if (!framework) return;
  const taskId = reported.task_id.value;
  const known = framework.tasks.get(taskId) ?? framework.unreachableTasks.get(taskId);
  const task: Task = known ?? { ...reported };
  if (known) {
    task.state = reported.state;
    framework.unreachableTasks.delete(taskId);
  }
  framework.tasks.set(taskId, task);
  agent.addTask(task);
  if (!known) {
    master.publish({ type: 'TASK_ADDED', task_added: { task } });
  } else if (wasUnreachable) {
    const status = master.masterStatus(task, { state: task.state, reason: 'REASON_AGENT_REREGISTERED', message: 'Agent re-registered' });
    master.updateTask(task, status);
    master.sendToFramework(framework, { type: 'UPDATE', update: { status } });
  }
}

/** The WebSocket dropped: no offers from the agent until it comes back or its pings time out. */
export function disconnectAgent(master: Master, agent: Agent): void {
  agent.connection = undefined;
  agent.active = false;
  master.allocator.deactivateAgent(agent.id);
  for (const offer of master.offers.ofAgent(agent.id)) master.rescindOffer(offer.id);
  // Non-checkpointing frameworks' tasks cannot survive an agent restart: they are lost now.
  for (const [frameworkId, tasks] of [...agent.tasks]) {
    const framework = master.frameworks.get(frameworkId);
    if (!framework || framework.info.checkpoint) continue;
    for (const task of [...tasks.values()]) {
      loseTask(master, framework, task, framework.partitionAware ? 'TASK_GONE' : 'TASK_LOST', 'REASON_AGENT_DISCONNECTED', 'Agent disconnected');
    }
  }
  master.log.warn({ agentId: agent.id }, 'agent disconnected');
}

function loseTask(master: Master, framework: Framework, task: Task, state: TaskState, reason: TaskStatusReason, message: string): void {
  const status = master.masterStatus(task, { state, reason, message });
  master.updateTask(task, status);
  master.sendToFramework(framework, { type: 'UPDATE', update: { status } });
  master.removeTask(task);
}

/** Pings went unanswered too long: tasks become unreachable (PARTITION_AWARE) or lost. */
export function markAgentUnreachable(master: Master, agent: Agent): void {
  const since = master.now;
  master.agents.delete(agent.id);
  master.unreachableAgents.set(agent.id, { info: agent.info, since });
  master.registrar.record({ type: 'MARK_UNREACHABLE', agentId: agent.id, since });
  agent.connection?.close('Agent marked unreachable');
  for (const offer of master.offers.ofAgent(agent.id)) master.rescindOffer(offer.id);
  master.allocator.removeAgent(agent.id);
  for (const task of [...agent.allTasks()]) {
    const framework = master.frameworks.get(task.framework_id.value);
    if (!framework || isTerminalState(task.state)) continue;
    const state: TaskState = framework.partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST';
    const status = master.masterStatus(task, {
      state, reason: 'REASON_AGENT_REMOVED', message: 'Agent is unreachable', unreachable_time: { nanoseconds: since * 1e6 },
    });
    master.updateTask(task, status, 'TASK_UNREACHABLE');
    framework.tasks.delete(task.task_id.value);
    framework.unreachableTasks.set(task.task_id.value, task);
    master.sendToFramework(framework, { type: 'UPDATE', update: { status } });
  }
  notifyAgentLost(master, agent);
  master.metrics.agentRemovals.inc();
  master.log.warn({ agentId: agent.id }, 'agent marked unreachable');
}

/** The agent left for good (restarted afresh or unregistered): its tasks are gone. */
export function removeAgent(master: Master, agent: Agent, reason: TaskStatusReason, message: string): void {
  master.agents.delete(agent.id);
  master.registrar.record({ type: 'REMOVE_AGENT', agentId: agent.id });
  agent.connection?.close(message);
  for (const offer of master.offers.ofAgent(agent.id)) master.rescindOffer(offer.id);
  master.allocator.removeAgent(agent.id);
  for (const task of [...agent.allTasks()]) {
    const framework = master.frameworks.get(task.framework_id.value);
    if (!framework || isTerminalState(task.state)) continue;
    loseTask(master, framework, task, framework.partitionAware ? 'TASK_GONE' : 'TASK_LOST', reason, message);
  }
  notifyAgentLost(master, agent);
  master.metrics.agentRemovals.inc();
  master.log.info({ agentId: agent.id, message }, 'agent removed');
}

function notifyAgentLost(master: Master, agent: Agent): void {
  for (const framework of master.frameworks.values()) {
    master.sendToFramework(framework, { type: 'FAILURE', failure: { agent_id: { value: agent.id } } });
  }
  master.publish({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: agent.id } } });
}

/** One pass of the ping loop: count misses, mark the silent unreachable, ping the rest. */
export function pingAgents(master: Master): void {
  for (const agent of [...master.agents.values()]) {
    if (agent.pongPending || !agent.connected) agent.missedPings++;
    if (agent.missedPings >= master.config.maxAgentPingTimeouts) {
      markAgentUnreachable(master, agent);
      continue;
    }
    if (agent.connected) {
      agent.pongPending = true;
      master.sendToAgent(agent, { type: 'PING', connected: true });
    }
  }
}
