// Marathon's durable records on a StateStore: the framework id, apps with their version history,
// deployments and instances. Keys:
//   /framework-id
//   /apps/<app>/current                 the app as deployed now
//   /apps/<app>/versions/<version>      every version, newest kept up to `maxVersions`
//   /deployments/<id>                   deployments in progress
//   /instances/<app>/<instance id>      what Marathon knows of each instance
import type { AppDefinition } from '@tepui/protocol';
import { decodeSegment, encodeSegment, type StateStore, type StoreOp } from './state-store';

/** Marathon's --max_versions default. */
export const DEFAULT_MAX_VERSIONS = 50;

export class MarathonRepository {
  constructor(
    private readonly store: StateStore,
    private readonly maxVersions = DEFAULT_MAX_VERSIONS,
  ) {}

  frameworkId(): Promise<string | undefined> {
    return this.store.get<string>('/framework-id');
  }

  setFrameworkId(id: string): Promise<void> {
    return this.store.put('/framework-id', id);
  }

  async apps(): Promise<AppDefinition[]> {
    const segments = await this.store.children('/apps');
    const out = (await Promise.all(segments.map((segment) => this.store.get<AppDefinition>(`/apps/${segment}/current`)))).filter((a): a is AppDefinition => a !== undefined);
    return out.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  app(id: string): Promise<AppDefinition | undefined> {
    return this.store.get<AppDefinition>(`${appKey(id)}/current`);
  }

  /** Version timestamps of an app, newest first (Marathon's order). */
  async versions(id: string): Promise<string[]> {
    const names = await this.store.children(`${appKey(id)}/versions`);
    return names.map(decodeSegment).sort().reverse();
  }

  appVersion(id: string, version: string): Promise<AppDefinition | undefined> {
    return this.store.get<AppDefinition>(`${appKey(id)}/versions/${encodeSegment(version)}`);
  }

  /** Stores `app` as current and as a version, pruning versions beyond the limit. */
  async storeApp(app: AppDefinition): Promise<void> {
    await this.store.batch(await this.storeAppOps(app));
  }

  /** The writes that store `app` (for a batch with other records). */
  async storeAppOps(app: AppDefinition): Promise<StoreOp[]> {
    if (!app.version) throw new Error(`App '${app.id}' has no version to store`);
    const base = appKey(app.id);
    const existing = await this.versions(app.id);
    const prune = [...new Set([app.version, ...existing])].sort().reverse().slice(this.maxVersions);
    return [
      { put: `${base}/versions/${encodeSegment(app.version)}`, value: app },
      { put: `${base}/current`, value: app },
      ...prune.map((v) => ({ delete: `${base}/versions/${encodeSegment(v)}` })),
    ];
  }

  /** Removes the app; its versions stay (group rollback reads them) and its instances leave as they end. */
  deleteApp(id: string): Promise<void> {
    return this.store.batch([this.deleteAppOp(id)]);
  }

  deleteAppOp(id: string): StoreOp {
    return { delete: `${appKey(id)}/current` };
  }

  async deployments<T>(): Promise<T[]> {
    return this.all<T>('/deployments');
  }

  storeDeployment(id: string, deployment: unknown): Promise<void> {
    return this.store.batch([this.storeDeploymentOp(id, deployment)]);
  }

  storeDeploymentOp(id: string, deployment: unknown): StoreOp {
    return { put: `/deployments/${encodeSegment(id)}`, value: deployment };
  }

  deleteDeployment(id: string): Promise<void> {
    return this.store.batch([this.deleteDeploymentOp(id)]);
  }

  deleteDeploymentOp(id: string): StoreOp {
    return { delete: `/deployments/${encodeSegment(id)}` };
  }

  async instances<T>(appId: string): Promise<T[]> {
    return this.all<T>(`/instances/${encodeSegment(appId)}`);
  }

  /** Every document directly under `prefix`, read together (in child order). */
  async all<T>(prefix: string): Promise<T[]> {
    const names = await this.store.children(prefix);
    const docs = await Promise.all(names.map((name) => this.store.get<T>(`${prefix}/${name}`)));
    return docs.filter((d): d is Awaited<T> & T => d !== undefined);
  }

  storeInstance(appId: string, instanceId: string, instance: unknown): Promise<void> {
    return this.store.put(`/instances/${encodeSegment(appId)}/${encodeSegment(instanceId)}`, instance);
  }

  deleteInstance(appId: string, instanceId: string): Promise<void> {
    return this.store.delete(`/instances/${encodeSegment(appId)}/${encodeSegment(instanceId)}`);
  }
}

const appKey = (id: string): string => `/apps/${encodeSegment(id)}`;
