// Every change to the root group goes through here (Marathon's GroupManager): new versions for
// changed apps, service ports, the dependency check, the lock check, storing the new root, and the
// deployment that makes it real. The returned plan's id and version are the API's DeploymentResult.
import { randomUUID } from 'node:crypto';
import type { AppDefinition, Clock } from '@tepui/protocol';
import { computeDeploymentPlan, sameRunSpec, type DeploymentPlan, type RootState } from '../deployment';
import { ValidationFailed } from '../errors';
import type { EventBus } from '../events/event-bus';
import { assignServicePorts, findDependencyCycle } from '../validation';
import type { DeploymentManager } from './deployment-manager';
import type { RootGroup } from './root-group';

export interface DeployOptions {
  readonly force: boolean;
  /** Instances the caller asked to kill (…/tasks?scale=true), per app. */
  readonly toKill?: ReadonlyMap<string, readonly string[]>;
  /** Apps whose instances must all be replaced even though the definition did not change (restart). */
  readonly restart?: readonly string[];
}

export class GroupManager {
  /** One change at a time: each plan is computed against the root the previous one stored. */
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly root: RootGroup,
    private readonly deployments: DeploymentManager,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly servicePorts: { min: number; max: number } = { min: 10000, max: 20000 },
  ) {}

  /** A fresh version timestamp, strictly after the current root's. */
  newVersion(): string {
    const now = Math.max(this.clock.now(), Date.parse(this.root.version) + 1);
    return new Date(now).toISOString();
  }

  /** Computes the target root from the current one (inside the lock) and deploys it. */
  update(change: (current: RootState, version: string) => RootState, options: DeployOptions): Promise<DeploymentPlan> {
    const run = this.serial.then(() => this.deploy(change, options));
    this.serial = run.catch(() => undefined);
    return run;
  }

  /**
   * The plan `update` would deploy, computed the same way (after the changes queued before it), with
   * nothing stored, started or published: Marathon's `PUT /v2/groups?dryRun=true`.
   */
  preview(change: (current: RootState, version: string) => RootState, options: DeployOptions): Promise<DeploymentPlan> {
    return this.serial.then(() => this.planOf(change, options));
  }

  private planOf(change: (current: RootState, version: string) => RootState, options: DeployOptions): DeploymentPlan {
    const original = this.root.state();
    const version = this.newVersion();
    const proposed = change(original, version);
    const target: RootState = { groups: proposed.groups, apps: this.versionApps(original, proposed.apps, version, new Set(options.restart ?? [])) };
    const cycle = findDependencyCycle(target.apps, target.groups.map((g) => ({ id: g.id, dependencies: [...g.dependencies] })));
    if (cycle) throw new ValidationFailed('Object is not valid', [{ path: '/', errors: [`Dependency graph has a cycle: ${cycle.join(' -> ')}`] }]);
    return computeDeploymentPlan({ id: randomUUID(), version, original, target, ...(options.toKill ? { toKill: options.toKill } : {}) });
  }

  private async deploy(change: (current: RootState, version: string) => RootState, options: DeployOptions): Promise<DeploymentPlan> {
    const plan = this.planOf(change, options);
    const { target, version } = plan;
    const cancel = this.deployments.assertUnlocked(plan.affectedApps, options.force);
    // The new root and its deployment are stored in one batch: a crash leaves both or neither.
    await this.root.commit(target, version, this.deployments.startOps(plan, cancel));
    this.bus.publish({ eventType: 'group_change_success', groupId: '/', version });
    this.deployments.started(plan, cancel);
    return plan;
  }

  /** New or changed apps get `version`; a scale-only change keeps lastConfigChangeAt; service ports are assigned. */
  private versionApps(original: RootState, apps: readonly AppDefinition[], version: string, restart: ReadonlySet<string>): AppDefinition[] {
    const before = new Map(original.apps.map((a) => [a.id, a]));
    const taken = new Set<number>();
    for (const a of apps) for (const p of servicePortsOf(a)) taken.add(p);
    return apps.map((app) => {
      const old = before.get(app.id);
      if (old && old === app && !restart.has(app.id)) return app;
      const scaleOnly = old !== undefined && !restart.has(app.id) && sameRunSpec(old, app);
      if (old && scaleOnly && old.instances === app.instances) return old;
      const lastConfigChangeAt = scaleOnly ? (old.versionInfo?.lastConfigChangeAt ?? old.version ?? version) : version;
      const versioned: AppDefinition = { ...app, version, versionInfo: { lastScalingAt: version, lastConfigChangeAt } };
      const ported = assignServicePorts(versioned, taken, this.servicePorts);
      for (const p of servicePortsOf(ported)) taken.add(p);
      return ported;
    });
  }
}

export function servicePortsOf(app: AppDefinition): number[] {
  const mappings = app.container?.portMappings ?? app.container?.docker?.portMappings;
  if (app.networks.every((n) => n.mode === 'host')) return app.portDefinitions.map((p) => p.port).filter((p) => p > 0);
  return (mappings ?? []).map((m) => m.servicePort ?? 0).filter((p) => p > 0);
}
