// Messages an agent sends once registered: status updates, executor launches and exits, executor
// messages, pongs.
import { Resources, type AgentToMasterMessage, type StatusUpdate } from '@tepui/protocol';
import type { Master } from '../master';
import type { Agent } from './agent';
import { removeAgent } from './agent-lifecycle';

export function handleAgentMessage(master: Master, agent: Agent, msg: AgentToMasterMessage): void {
  switch (msg.type) {
    case 'STATUS_UPDATE':
      statusUpdate(master, agent, msg.update);
      return;
    case 'PONG':
      agent.pongPending = false;
      agent.missedPings = 0;
      return;
    case 'EXITED_EXECUTOR':
      exitedExecutor(master, agent, msg.framework_id.value, msg.executor_id.value, msg.status);
      return;
    case 'EXECUTOR_LAUNCHED':
      // An executor that exited, or whose framework was torn down, before this arrived is not recorded again.
      if (!agent.setExecutorDirectory(msg.framework_id.value, msg.executor_id.value, msg.directory)) {
        master.log.debug({ agentId: agent.id, frameworkId: msg.framework_id.value, executorId: msg.executor_id.value }, 'sandbox reported for an executor the master does not track; ignored');
      }
      return;
    case 'EXECUTOR_TO_FRAMEWORK': {
      const framework = master.frameworks.get(msg.framework_id.value);
      master.metrics.executorToFrameworkMessages.inc();
      if (framework) {
        master.sendToFramework(framework, {
          type: 'MESSAGE',
          message: { agent_id: msg.agent_id, executor_id: msg.executor_id, data: msg.data },
        });
      }
      return;
    }
    case 'UNREGISTER_AGENT':
      removeAgent(master, agent, 'REASON_AGENT_REMOVED', 'Agent shut down');
      return;
    case 'REGISTER_AGENT':
    case 'REREGISTER_AGENT':
      master.log.warn({ agentId: agent.id }, 'agent sent a second registration on one connection; ignored');
      return;
  }
}

function statusUpdate(master: Master, agent: Agent, update: StatusUpdate): void {
  const frameworkId = update.framework_id.value;
  const status = update.status;
  const framework = master.frameworks.get(frameworkId);
  if (!framework) {
    master.metrics.invalidStatusUpdates.inc();
    if (master.removedFrameworkIds.has(frameworkId)) {
      // The framework is gone for good: make the agent stop retrying and clean up.
      master.sendToAgent(agent, { type: 'SHUTDOWN_FRAMEWORK', framework_id: update.framework_id });
      if (status.uuid) {
        master.sendToAgent(agent, { type: 'STATUS_UPDATE_ACK', framework_id: update.framework_id, task_id: status.task_id, uuid: status.uuid });
      }
    }
    return;
  }
  master.metrics.validStatusUpdates.inc();
  const task = master.findFrameworkTask(framework, status.task_id.value);
  if (task) {
    if (task.agent_id.value !== agent.id) {
      master.log.warn({ taskId: status.task_id.value, agentId: agent.id }, 'status update from an agent the task does not run on; dropped');
      return;
    }
    master.updateTask(task, status, update.latest_state ?? status.state);
  }
  master.sendToFramework(framework, { type: 'UPDATE', update: { status } });
}

function exitedExecutor(master: Master, agent: Agent, frameworkId: string, executorId: string, status: number | undefined): void {
  const executor = agent.executors.get(frameworkId)?.get(executorId);
  agent.removeExecutor(frameworkId, executorId);
  if (executor?.resources?.length) {
    master.allocator.recoverResources(frameworkId, agent.id, Resources.of(executor.resources), undefined, master.now);
    master.allocation.requestAllocation([agent.id]);
  }
  const framework = master.frameworks.get(frameworkId);
  if (!framework) return;
  master.sendToFramework(framework, {
    type: 'FAILURE',
    failure: { agent_id: { value: agent.id }, executor_id: { value: executorId }, ...(status !== undefined ? { status } : {}) },
  });
}

