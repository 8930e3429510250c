// The root group as deployed now: every app's current definition and the explicit groups (with
// their dependencies). Changes are stored whole before their deployment starts, so GET shows the
// new definition while old tasks still run (reference §4.1).
import type { AppDefinition } from '@tepui/protocol';
import type { RootState } from '../deployment';
import type { GroupRecord } from '../groups/group-tree';
import type { MarathonRepository } from '../storage/repository';
import type { StateStore, StoreOp } from '../storage/state-store';

interface StoredGroups {
  version: string;
  groups: GroupRecord[];
  /** Root group versions, newest first, with the app versions each held (group rollback). */
  history: Array<{ version: string; apps: Array<{ id: string; version: string }>; groups: GroupRecord[] }>;
}

const GROUPS_KEY = '/groups';
const MAX_GROUP_VERSIONS = 50;

export class RootGroup {
  private readonly apps = new Map<string, AppDefinition>();
  private stored: StoredGroups = { version: new Date(0).toISOString(), groups: [], history: [] };

  constructor(
    private readonly repository: MarathonRepository,
    private readonly store: StateStore,
  ) {}

  async load(): Promise<void> {
    for (const app of await this.repository.apps()) this.apps.set(app.id, app);
    this.stored = (await this.store.get<StoredGroups>(GROUPS_KEY)) ?? this.stored;
  }

  get version(): string {
    return this.stored.version;
  }

  app(id: string): AppDefinition | undefined {
    return this.apps.get(id);
  }

  /** Stored versions of an app, newest first. */
  appVersions(id: string): Promise<string[]> {
    return this.repository.versions(id);
  }

  versionOf(id: string, version: string): Promise<AppDefinition | undefined> {
    return this.repository.appVersion(id, version);
  }

  allApps(): AppDefinition[] {
    return [...this.apps.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  groups(): GroupRecord[] {
    return this.stored.groups;
  }

  state(): RootState {
    return { apps: this.allApps(), groups: this.stored.groups.map((g) => ({ id: g.id, dependencies: g.dependencies })) };
  }

  /** Group versions, newest first. */
  groupVersions(): string[] {
    return this.stored.history.map((h) => h.version);
  }

  /** The root as it was at a stored version (apps at the versions they had then). */
  async stateAt(version: string): Promise<RootState | undefined> {
    const entry = this.stored.history.find((h) => h.version === version);
    if (!entry) return undefined;
    const apps: AppDefinition[] = [];
    for (const ref of entry.apps) {
      const app = await this.repository.appVersion(ref.id, ref.version);
      if (app) apps.push(app);
    }
    return { apps, groups: entry.groups };
  }

  /**
   * Stores `target` as the new root at `version` — changed apps get a stored version, removed ones
   * go — together with `alongside` (the deployment that makes it real) in one batch: after a crash
   * either all of it is stored or none. Memory changes only once the batch is durable.
   */
  async commit(target: RootState, version: string, alongside: readonly StoreOp[] = []): Promise<void> {
    const next = new Map(target.apps.map((a) => [a.id, a]));
    const ops: StoreOp[] = [...this.apps.keys()].filter((id) => !next.has(id)).map((id) => this.repository.deleteAppOp(id));
    for (const app of target.apps) if (this.apps.get(app.id) !== app) ops.push(...(await this.repository.storeAppOps(app)));
    const groups: GroupRecord[] = target.groups.map((g) => {
      const known = this.stored.groups.find((s) => s.id === g.id);
      const same = known && JSON.stringify(known.dependencies) === JSON.stringify(g.dependencies);
      return { id: g.id, dependencies: [...g.dependencies], version: same ? known.version : version };
    });
    const history = [{ version, apps: target.apps.map((a) => ({ id: a.id, version: a.version ?? version })), groups }, ...this.stored.history].slice(0, MAX_GROUP_VERSIONS);
    const stored: StoredGroups = { version, groups, history };
    await this.store.batch([...ops, { put: GROUPS_KEY, value: stored }, ...alongside]);
    this.apps.clear();
    for (const app of target.apps) this.apps.set(app.id, app);
    this.stored = stored;
  }
}
