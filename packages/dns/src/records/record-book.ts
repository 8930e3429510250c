// The records of the cluster, kept current: a full state rebuilds them into a fresh index that then
// replaces the served one in one step; each operator event redoes only what it touched (a task, an
// agent and its tasks, a framework and its tasks) and applies the difference. Pure: the clock,
// the hostname resolver and this host's interface addresses are given; nothing here does I/O.
//
// For each contributor (task, agent, framework) the book keeps the inputs its records were made
// from, not the records: records are a pure function of inputs, so equal inputs mean nothing to
// do, and the old inputs rebuild exactly the records to take back. New records go in before old
// ones go out, so a record both have is never absent, even for a moment.
import type { GetState, MasterInfo, OperatorEvent } from '@tepui/protocol';
import type { DnsConfig } from '../config/dns-config';
import {
  buildAgentRecords, buildFrameworkRecords, buildMasterRecords, buildNameserverRecords, masterRecordInputs,
} from './cluster-records';
import { ClusterView, type AgentView, type ClusterChange, type FrameworkView, type TaskKey } from './cluster-view';
import type { DnsRecord, RecordLookup, RecordSink, RecordType } from './dns-record';
import {
  axfrRecords, enumeratedRecord, type AxfrRecords, type EnumeratedFramework, type EnumeratedTask, type Enumeration,
} from './enumeration';
import { NO_HOST_RESOLUTION, type ResolveHost } from './ip-addresses';
import { RecordCollector, replayRecords, sameRecords } from './record-collector';
import { RecordIndex } from './record-index';
import { publicationPolicy, recordNaming, type PublicationPolicy, type RecordNaming } from './record-naming';
import { sameTaskRecordInputs, taskRecordInputs, type TaskExclusion, type TaskRecordInputs } from './task-inputs';
import { NameCache } from './task-names';
import { buildTaskRecords } from './task-records';

export interface RecordBookOptions {
  readonly config: DnsConfig;
  /** Epoch milliseconds, for the SOA serial. */
  readonly now: () => number;
  /** Hostnames (agents, frameworks, masters that advertise no IP) to addresses; none by default. */
  readonly resolveHost?: ResolveHost;
  /** This host's non-loopback addresses: the SOA name server's records when listening on 0.0.0.0. */
  readonly interfaceAddresses?: readonly string[];
}

export interface LoadSummary {
  readonly tasks: number;
  readonly publishedTasks: number;
  /** Tasks without records, by reason. */
  readonly excluded: Readonly<Partial<Record<TaskExclusion, number>>>;
  readonly records: number;
}

/** What is published: the index served and, per contributor, the inputs its records came from. */
class Publication {
  readonly tasks = new Map<string, Map<string, TaskRecordInputs>>();
  readonly agents = new Map<string, AgentView>();
  readonly frameworks = new Map<string, FrameworkView>();
  masterRecords: readonly DnsRecord[] = [];

  constructor(readonly index: RecordIndex, readonly names: NameCache) {}
}

export class RecordBook implements RecordLookup {
  private readonly view: ClusterView;
  private readonly naming: RecordNaming;
  private readonly policy: PublicationPolicy;
  private readonly resolveHost: ResolveHost;
  private published: Publication;

  constructor(private readonly options: RecordBookOptions) {
    this.naming = recordNaming(options.config);
    this.policy = publicationPolicy(options.config);
    this.resolveHost = options.resolveHost ?? NO_HOST_RESOLUTION;
    this.view = new ClusterView(this.resolveHost, options.config.masters);
    this.published = this.freshPublication(0, 0);
    this.publishMasters(this.published);
    this.index.stamp();
  }

  /** The index being served (replaced by every full load). */
  get records(): RecordIndex {
    return this.published.index;
  }

  private get index(): RecordIndex {
    return this.published.index;
  }

  get cluster(): ClusterView {
    return this.view;
  }

  get serial(): number {
    return this.index.serial;
  }

  get generation(): number {
    return this.index.generation;
  }

  get size(): number {
    return this.index.size;
  }

  lookup(name: string, type: RecordType): readonly DnsRecord[] {
    return this.index.lookup(name, type);
  }

  exists(name: string): boolean {
    return this.index.exists(name);
  }

  changedNames(since: number): Iterable<string> | undefined {
    return this.index.changedNames(since);
  }

  /** Replaces everything with a complete state (and its leader, when given). */
  load(state: GetState, leader?: MasterInfo): LoadSummary {
    if (leader !== undefined) this.view.setLeader(leader);
    this.view.load(state);
    // Built aside and swapped in whole: until then the previous records are served.
    const fresh = this.freshPublication(this.index.serial, this.index.generation);
    const excluded: Partial<Record<TaskExclusion, number>> = {};
    let tasks = 0;
    let published = 0;
    for (const agent of this.view.agents()) this.publishAgent(fresh, agent.id);
    for (const framework of this.view.frameworks()) this.publishFramework(fresh, framework.id);
    for (const task of this.view.tasks()) {
      tasks++;
      const exclusion = this.publishTask(fresh, { frameworkId: task.frameworkId, taskId: task.id });
      if (exclusion === undefined) published++;
      else excluded[exclusion] = (excluded[exclusion] ?? 0) + 1;
    }
    this.publishMasters(fresh);
    fresh.index.stampLoad(this.index);
    this.published = fresh;
    return { tasks, publishedTasks: published, excluded, records: fresh.index.size };
  }

  /** One operator event; SUBSCRIBED is a full load. */
  apply(event: OperatorEvent): void {
    if (event.type === 'SUBSCRIBED') {
      if (event.subscribed) this.load(event.subscribed.get_state);
      return;
    }
    this.publish(this.view.apply(event));
    this.index.stamp();
  }

  setLeader(leader: MasterInfo | undefined): void {
    this.view.setLeader(leader);
    this.publishMasters(this.published);
    this.index.stamp();
  }

  /** Re-resolves hostnames (call when the resolver has learnt names) and updates what changed. */
  refreshAddresses(): void {
    this.publish(this.view.refreshAddresses());
    this.publishMasters(this.published);
    this.index.stamp();
  }

  /** Mesos-DNS' `/v1/axfr` records. */
  axfr(): AxfrRecords {
    return axfrRecords(this.index);
  }

  /**
   * Mesos-DNS' `/v1/enumerate`: every framework, each with its published tasks and their records.
   * (Mesos-DNS lists a record only under the first task that made it; here each task lists its own.)
   */
  enumerate(): Enumeration {
    const frameworks: EnumeratedFramework[] = [];
    for (const framework of this.view.frameworks()) {
      const published = this.published.tasks.get(framework.id);
      const tasks: EnumeratedTask[] = [];
      for (const task of this.view.tasksOfFramework(framework.id)) {
        const inputs = published?.get(task.id);
        if (!inputs) continue;
        const collector = new RecordCollector(this.options.config.srvRecordDefaultWeight);
        buildTaskRecords(inputs, this.naming, collector);
        tasks.push({ name: task.name, id: task.id, records: collector.records.map(enumeratedRecord) });
      }
      frameworks.push({ name: framework.name, tasks });
    }
    return { frameworks };
  }

  private freshPublication(serial: number, generation: number): Publication {
    const index = new RecordIndex({ now: this.options.now, srvWeight: this.options.config.srvRecordDefaultWeight, serial, generation });
    // Names are memoised per publication, so names no longer in the cluster are not kept for ever.
    return new Publication(index, new NameCache(this.naming.label, this.naming.domain));
  }

  private publish(change: ClusterChange): void {
    const published = this.published;
    for (const id of change.agents) this.publishAgent(published, id);
    for (const id of change.frameworks) this.publishFramework(published, id);
    for (const key of change.tasks) this.publishTask(published, key);
  }

  private publishTask(published: Publication, key: TaskKey): TaskExclusion | undefined {
    const task = this.view.task(key);
    // A task the view no longer has (terminal, or its framework removed) is not running either.
    const outcome = task ? taskRecordInputs(task, this.view, this.policy, published.names) : 'not-running';
    const next = typeof outcome === 'string' ? undefined : outcome;
    let ofFramework = published.tasks.get(key.frameworkId);
    const previous = ofFramework?.get(key.taskId);
    if (previous && next && sameTaskRecordInputs(previous, next)) return undefined;
    if (next) buildTaskRecords(next, this.naming, published.index.adding);
    if (previous) buildTaskRecords(previous, this.naming, published.index.removing);
    if (next) {
      if (!ofFramework) published.tasks.set(key.frameworkId, (ofFramework = new Map()));
      ofFramework.set(key.taskId, next);
    } else if (ofFramework && previous) {
      ofFramework.delete(key.taskId);
      if (ofFramework.size === 0) published.tasks.delete(key.frameworkId);
    }
    return typeof outcome === 'string' ? outcome : undefined;
  }

  private publishAgent(published: Publication, id: string): void {
    const build = (agent: AgentView, sink: RecordSink) => buildAgentRecords(agent, this.naming.domain, sink);
    replaceContribution(published.agents, id, this.view.agent(id), build, published.index);
  }

  private publishFramework(published: Publication, id: string): void {
    const build = (framework: FrameworkView, sink: RecordSink) => buildFrameworkRecords(framework, this.naming.domain, published.names, sink);
    replaceContribution(published.frameworks, id, this.view.framework(id), build, published.index);
  }

  /** The masters' and the SOA name server's records: a handful, rebuilt whole and compared. */
  private publishMasters(published: Publication): void {
    const { config, interfaceAddresses = [] } = this.options;
    const collector = new RecordCollector(config.srvRecordDefaultWeight);
    buildMasterRecords(masterRecordInputs(this.view.leader, this.view.masters, this.resolveHost), this.naming.domain, collector);
    buildNameserverRecords(config.soaMname, config.listener, interfaceAddresses, this.resolveHost, collector);
    if (sameRecords(collector.records, published.masterRecords)) return;
    replayRecords(collector.records, published.index.adding);
    replayRecords(published.masterRecords, published.index.removing);
    published.masterRecords = collector.records;
  }
}

/**
 * Swaps what one agent or framework contributes: views are replaced, never changed, whenever the
 * master reports them, so the same object means the same records.
 */
function replaceContribution<T>(
  published: Map<string, T>, id: string, next: T | undefined, build: (view: T, sink: RecordSink) => void, index: RecordIndex,
): void {
  const previous = published.get(id);
  if (previous === next) return;
  if (next !== undefined) build(next, index.adding);
  if (previous !== undefined) build(previous, index.removing);
  if (next === undefined) published.delete(id);
  else published.set(id, next);
}
