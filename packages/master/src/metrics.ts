// All master metrics: Prometheus series on a Registry passed in, plus the Mesos-style
// `/metrics/snapshot` keys that dashboards and exporters read (reference §5.2).
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { isTerminalState, type TaskState } from '@tepui/protocol';
import type { Master } from './master';

export class MasterMetrics {
  readonly allocationRuns: Counter;
  readonly allocationRunSeconds: Histogram;
  readonly tasksLaunched: Counter;
  readonly taskStates: Counter<'state'>;
  readonly schedulerCalls: Counter<'type'>;
  readonly operatorCalls: Counter<'type'>;
  readonly validStatusUpdates: Counter;
  readonly invalidStatusUpdates: Counter;
  readonly agentRegistrations: Counter;
  readonly agentReregistrations: Counter;
  readonly agentRemovals: Counter;
  readonly frameworkToExecutorMessages: Counter;
  readonly executorToFrameworkMessages: Counter;
  readonly outstandingOffers: Gauge;
  readonly failoverRehearsalSeconds: Gauge<'outcome'>;
  private readonly terminalCounts = new Map<TaskState, number>();

  constructor(readonly registry: Registry) {
    const registers = [registry];
    this.allocationRuns = new Counter({ name: 'tepui_master_allocation_runs_total', help: 'Allocation runs that produced offers', registers });
    this.allocationRunSeconds = new Histogram({
      name: 'tepui_master_allocation_run_seconds', help: 'Time spent in one allocation run', registers,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    });
    this.tasksLaunched = new Counter({ name: 'tepui_master_tasks_launched_total', help: 'Tasks accepted for launch', registers });
    this.taskStates = new Counter({ name: 'tepui_master_task_status_updates_total', help: 'Status updates seen, by state', labelNames: ['state'], registers });
    this.schedulerCalls = new Counter({ name: 'tepui_master_scheduler_calls_total', help: 'Scheduler API calls, by type', labelNames: ['type'], registers });
    this.operatorCalls = new Counter({ name: 'tepui_master_operator_calls_total', help: 'Operator API calls, by type', labelNames: ['type'], registers });
    this.validStatusUpdates = new Counter({ name: 'tepui_master_valid_status_updates_total', help: 'Status updates for known frameworks', registers });
    this.invalidStatusUpdates = new Counter({ name: 'tepui_master_invalid_status_updates_total', help: 'Status updates for unknown frameworks', registers });
    this.agentRegistrations = new Counter({ name: 'tepui_master_agent_registrations_total', help: 'Agent registrations', registers });
    this.agentReregistrations = new Counter({ name: 'tepui_master_agent_reregistrations_total', help: 'Agent re-registrations', registers });
    this.agentRemovals = new Counter({ name: 'tepui_master_agent_removals_total', help: 'Agents removed or marked unreachable', registers });
    this.frameworkToExecutorMessages = new Counter({ name: 'tepui_master_framework_to_executor_messages_total', help: 'MESSAGE calls forwarded', registers });
    this.executorToFrameworkMessages = new Counter({ name: 'tepui_master_executor_to_framework_messages_total', help: 'Executor messages forwarded', registers });
    this.outstandingOffers = new Gauge({ name: 'tepui_master_outstanding_offers', help: 'Offers not yet accepted, declined or rescinded', registers });
    // Absent until a contending master has rehearsed an agent failover: until then, a takeover by it
    // runs colder code (see election/standby-rehearsal.ts).
    this.failoverRehearsalSeconds = new Gauge({
      name: 'tepui_master_failover_rehearsal_seconds', help: 'How long this master\'s rehearsal of an agent failover took, by outcome (done, failed)', labelNames: ['outcome'], registers,
    });
  }

  countTaskState(state: TaskState): void {
    this.taskStates.inc({ state });
    if (isTerminalState(state)) this.terminalCounts.set(state, (this.terminalCounts.get(state) ?? 0) + 1);
  }

  countSchedulerCall(type: string): void {
    this.schedulerCalls.inc({ type });
  }

  countOperatorCall(type: string): void {
    this.operatorCalls.inc({ type });
  }

  terminalCount(state: TaskState): number {
    return this.terminalCounts.get(state) ?? 0;
  }
}

async function counterValue(counter: Counter | Counter<'type'>): Promise<number> {
  const metric = await counter.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

const SCALARS = ['cpus', 'mem', 'disk', 'gpus'] as const;
/** os.cpus() reads /proc on every call; the count does not change under a running master. */
const CPUS = cpus().length;

/** The flat `/metrics/snapshot` object with Mesos' key names. */
export async function metricsSnapshot(master: Master, elected: boolean): Promise<Record<string, number>> {
  const m = master.metrics;
  const agents = [...master.agents.values()];
  const frameworks = [...master.frameworks.values()];
  const active: Record<string, number> = {};
  for (const s of ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE'] as const) active[s] = 0;
  for (const fw of frameworks) {
    for (const task of fw.tasks.values()) if (active[task.state] !== undefined) active[task.state]!++;
    active.TASK_UNREACHABLE! += fw.unreachableTasks.size;
  }
  // Only scalars are reported: summing them per name spares merging every agent's port ranges,
  // which made a snapshot cost milliseconds with a thousand agents (monitors poll it often).
  const total = new Map<string, number>(SCALARS.map((name) => [name, 0]));
  const used = new Map<string, number>(SCALARS.map((name) => [name, 0]));
  const add = (into: Map<string, number>, scalars: ReadonlyMap<string, number>, sign = 1) => {
    for (const [name, value] of scalars) {
      const sum = into.get(name);
      if (sum !== undefined) into.set(name, sum + sign * value);
    }
  };
  for (const agent of agents) {
    add(total, agent.total.scalars());
    for (const held of master.allocator.agentHoldings(agent.id)) add(used, held.scalars());
  }
  // Used as in Mesos (and /master/state): held by tasks and executors, not merely offered.
  for (const offer of master.offers.all()) add(used, offer.resources.scalars(), -1);
  const snapshot: Record<string, number> = {
    'master/elected': elected ? 1 : 0,
    'master/uptime_secs': (master.now - master.startTime) / 1000,
    'master/slaves_active': agents.filter((a) => a.active).length,
    'master/slaves_inactive': agents.filter((a) => !a.active).length,
    'master/slaves_connected': agents.filter((a) => a.connected).length,
    'master/slaves_disconnected': agents.filter((a) => !a.connected).length,
    'master/slaves_unreachable': master.unreachableAgents.size,
    'master/frameworks_active': frameworks.filter((f) => f.active).length,
    'master/frameworks_inactive': frameworks.filter((f) => !f.active).length,
    'master/frameworks_connected': frameworks.filter((f) => f.connected).length,
    'master/frameworks_disconnected': frameworks.filter((f) => !f.connected).length,
    'master/outstanding_offers': master.offers.size,
    'master/tasks_staging': active.TASK_STAGING!,
    'master/tasks_starting': active.TASK_STARTING!,
    'master/tasks_running': active.TASK_RUNNING!,
    'master/tasks_killing': active.TASK_KILLING!,
    'master/tasks_unreachable': active.TASK_UNREACHABLE!,
    'master/slave_registrations': await counterValue(m.agentRegistrations),
    'master/slave_reregistrations': await counterValue(m.agentReregistrations),
    'master/slave_removals': await counterValue(m.agentRemovals),
    'master/valid_status_updates': await counterValue(m.validStatusUpdates),
    'master/invalid_status_updates': await counterValue(m.invalidStatusUpdates),
    'master/messages_framework_to_executor': await counterValue(m.frameworkToExecutorMessages),
    'master/messages_executor_to_framework': await counterValue(m.executorToFrameworkMessages),
    'master/event_queue_messages': 0,
    'master/dropped_messages': 0,
    'allocator/mesos/allocation_runs': await counterValue(m.allocationRuns),
    'system/cpus_total': CPUS,
    'system/load_1min': loadavg()[0] ?? 0,
    'system/load_5min': loadavg()[1] ?? 0,
    'system/load_15min': loadavg()[2] ?? 0,
    'system/mem_total_bytes': totalmem(),
    'system/mem_free_bytes': freemem(),
  };
  for (const state of ['FINISHED', 'FAILED', 'KILLED', 'LOST', 'ERROR', 'DROPPED', 'GONE', 'GONE_BY_OPERATOR'] as const) {
    snapshot[`master/tasks_${state.toLowerCase()}`] = m.terminalCount(`TASK_${state}`);
  }
  for (const name of SCALARS) {
    // Resources are fixed-point to a thousandth, as in Mesos: the float sums are rounded back to it.
    const t = Math.round(total.get(name)! * 1000) / 1000;
    const u = Math.round(used.get(name)! * 1000) / 1000;
    snapshot[`master/${name}_total`] = t;
    snapshot[`master/${name}_used`] = u;
    snapshot[`master/${name}_percent`] = t > 0 ? u / t : 0;
  }
  return snapshot;
}
