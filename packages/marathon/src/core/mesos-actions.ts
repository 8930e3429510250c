// What Marathon asks of Mesos, as one narrow interface: the scheduler core is written against it
// and unit-tested with a recording fake; in production it is the SDK's SchedulerDriver.
import type { TaskInfo } from '@tepui/protocol';
import type { SchedulerDriver } from '@tepui/sdk';

export interface MesosActions {
  launch(offerId: string, tasks: readonly TaskInfo[]): Promise<void>;
  decline(offerIds: readonly string[], refuseSeconds: number): Promise<void>;
  kill(taskId: string, agentId: string, gracePeriodSeconds?: number): Promise<void>;
  revive(): Promise<void>;
  suppress(): Promise<void>;
  /** Explicit reconciliation of these tasks; an empty list asks for every task (implicit). */
  reconcile(tasks: ReadonlyArray<{ taskId: string; agentId: string }>): Promise<void>;
}

export function driverActions(driver: SchedulerDriver): MesosActions {
  return {
    launch: (offerId, tasks) => driver.launch([offerId], tasks, { refuse_seconds: 0 }),
    decline: (offerIds, refuseSeconds) => driver.decline(offerIds, { refuse_seconds: refuseSeconds }),
    kill: (taskId, agentId, grace) =>
      driver.kill(taskId, agentId, grace === undefined ? undefined : { grace_period: { nanoseconds: Math.round(grace * 1e9) } }),
    revive: () => driver.revive(),
    suppress: () => driver.suppress(),
    reconcile: (tasks) => driver.reconcile(tasks.map((t) => ({ task_id: t.taskId, agent_id: t.agentId }))),
  };
}
