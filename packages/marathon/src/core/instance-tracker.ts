// Marathon's view of every instance it launched: in memory for the scheduler and the API, written
// through to the StateStore (grouped into batches) so a restarted Marathon knows its tasks.
import { isTerminalState } from '@tepui/protocol';
import type { Instance } from '../instances/instance';
import { parseTaskId } from '../instances/instance-ids';
import { encodeSegment } from '../storage/state-store';
import type { MarathonRepository } from '../storage/repository';
import type { GroupCommit } from './group-commit';

export class InstanceTracker {
  private readonly byApp = new Map<string, Map<string, Instance>>();
  private readonly byInstanceId = new Map<string, Instance>();
  /** Per app, bumped on every change to its instances: lets readers reuse what they rendered. */
  private readonly revisions = new Map<string, number>();
  /** Instances matched to an offer whose LAUNCH has not gone out yet. */
  private readonly launchPending = new Set<string>();

  constructor(private readonly writes: GroupCommit) {}

  async load(repository: MarathonRepository, appIds: readonly string[]): Promise<void> {
    // All at once: a ZooKeeper store answers many reads in one round trip's time.
    const perApp = await Promise.all(appIds.map((appId) => repository.instances<Instance>(appId)));
    for (const instances of perApp) for (const instance of instances) this.index(instance);
  }

  all(): Instance[] {
    return [...this.byInstanceId.values()];
  }

  ofApp(appId: string): Instance[] {
    return [...(this.byApp.get(appId)?.values() ?? [])];
  }

  get(instanceId: string): Instance | undefined {
    return this.byInstanceId.get(instanceId);
  }

  /** The instance a Mesos task id belongs to, if the task is its current one. */
  byTaskId(taskId: string): Instance | undefined {
    const parsed = parseTaskId(taskId);
    const instance = parsed && this.byInstanceId.get(parsed.instanceId);
    return instance?.taskId === taskId ? instance : undefined;
  }

  get size(): number {
    return this.byInstanceId.size;
  }

  /** Instances Marathon still wants (goal Running) that have not ended. */
  activeOf(appId: string): Instance[] {
    return this.ofApp(appId).filter((i) => i.goal === 'Running' && !isTerminalState(i.state));
  }

  /** Matched to an offer: stored, LAUNCH not sent yet (a kill now cancels the launch instead). */
  markLaunchPending(instanceId: string): void {
    this.launchPending.add(instanceId);
  }

  /** The LAUNCH went out (or was given up). */
  clearLaunchPending(instanceId: string): void {
    this.launchPending.delete(instanceId);
  }

  isLaunchPending(instanceId: string): boolean {
    return this.launchPending.has(instanceId);
  }

  revision(appId: string): number {
    return this.revisions.get(appId) ?? 0;
  }

  /** An instance of the app changed in memory (state, health, goal). */
  touch(appId: string): void {
    this.revisions.set(appId, this.revision(appId) + 1);
  }

  /** Adds or replaces an instance; resolves when it is stored. */
  store(instance: Instance): Promise<void> {
    this.index(instance);
    this.touch(instance.appId);
    return this.writes.put(keyOf(instance), instance);
  }

  /** Forgets an instance; resolves when it is gone from the store. */
  expunge(instance: Instance): Promise<void> {
    this.touch(instance.appId);
    this.byInstanceId.delete(instance.instanceId);
    const app = this.byApp.get(instance.appId);
    app?.delete(instance.instanceId);
    if (app?.size === 0) this.byApp.delete(instance.appId);
    return this.writes.delete(keyOf(instance));
  }

  private index(instance: Instance): void {
    this.byInstanceId.set(instance.instanceId, instance);
    let app = this.byApp.get(instance.appId);
    if (!app) this.byApp.set(instance.appId, (app = new Map()));
    app.set(instance.instanceId, instance);
  }
}

function keyOf(instance: Instance): string {
  return `/instances/${encodeSegment(instance.appId)}/${encodeSegment(instance.instanceId)}`;
}
