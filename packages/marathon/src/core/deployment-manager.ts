// Runs deployment plans: one step at a time, the actions of a step in parallel, each action
// finished when its app's controller reports its goal reached. Plans are stored, so a new
// Marathon resumes them. Locking (409 unless force) and cancellation live here too (§4.4).
import type { Logger } from 'pino';
import { conflictingDeployments, deploymentStepInfoJson, planJson, type DeploymentAction, type DeploymentPlan } from '../deployment';
import { AppLocked, UnknownDeployment } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { MarathonRepository } from '../storage/repository';
import type { AppMode } from './app-controller';

interface Running {
  readonly plan: DeploymentPlan;
  /** Index of the step in progress. */
  step: number;
  /** Apps whose action in the current step is done. */
  readonly done: Set<string>;
}

interface StoredDeployment {
  plan: DeploymentPlan;
  step: number;
}

export class DeploymentManager {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly repository: MarathonRepository,
    private readonly bus: EventBus,
    private readonly log: Logger,
    /** An app's mode may have changed: its controller should run. */
    private readonly onAppChanged: (appId: string) => void,
    /** A deployment ended (success or not). */
    private readonly onFinished: (plan: DeploymentPlan) => void = () => undefined,
  ) {}

  async load(): Promise<void> {
    const stored = await this.repository.deployments<StoredDeployment>();
    for (const d of stored.sort((a, b) => (a.plan.version < b.plan.version ? -1 : 1))) {
      this.running.set(d.plan.id, { plan: d.plan, step: d.step, done: new Set() });
      this.log.info({ deployment: d.plan.id, step: d.step }, 'resuming deployment');
    }
    for (const r of this.running.values()) this.enterStep(r, false);
  }

  list(): DeploymentPlan[] {
    return [...this.running.values()].map((r) => r.plan);
  }

  get(id: string): DeploymentPlan | undefined {
    return this.running.get(id)?.plan;
  }

  /** The plans touching these apps (the 409 check). */
  conflicts(apps: readonly string[]): string[] {
    return conflictingDeployments(this.list(), apps);
  }

  /** Throws AppLocked when the plan touches a locked app and force is not given; cancels the conflicting plans with force. */
  assertUnlocked(apps: readonly string[], force: boolean): string[] {
    const conflicts = this.conflicts(apps);
    if (conflicts.length > 0 && !force) throw new AppLocked(conflicts);
    return conflicts;
  }

  async start(plan: DeploymentPlan, cancel: readonly string[]): Promise<void> {
    for (const id of cancel) await this.cancel(id, 'canceled by a forced deployment');
    const running: Running = { plan, step: 0, done: new Set() };
    this.running.set(plan.id, running);
    await this.persist(running);
    this.enterStep(running, true);
  }

  /** Stops a deployment where it is (DELETE ?force=true, or a forced newer deployment). */
  async cancel(id: string, reason = 'canceled'): Promise<DeploymentPlan> {
    const running = this.running.get(id);
    if (!running) throw new UnknownDeployment(id);
    this.running.delete(id);
    await this.repository.deleteDeployment(id);
    this.bus.publish({ eventType: 'deployment_failed', id, plan: planJson(running.plan), reason });
    for (const app of running.plan.affectedApps) this.onAppChanged(app);
    this.onFinished(running.plan);
    return running.plan;
  }

  /** What the app's controller should do while a deployment holds it; undefined = no deployment. */
  modeOf(appId: string): AppMode | undefined {
    for (const r of this.running.values()) {
      if (!r.plan.affectedApps.includes(appId)) continue;
      const action = r.plan.steps[r.step]?.actions.find((a) => a.app === appId);
      if (action) return modeFor(action);
      // Touched by a later step: wait for it (dependencies go first).
      if (r.plan.steps.slice(r.step + 1).some((s) => s.actions.some((a) => a.app === appId))) return { kind: 'hold' };
    }
    return undefined;
  }

  /** The app's controller reached the goal of its current action. */
  async actionDone(appId: string): Promise<void> {
    for (const r of [...this.running.values()]) {
      const step = r.plan.steps[r.step];
      if (!step?.actions.some((a) => a.app === appId) || r.done.has(appId)) continue;
      r.done.add(appId);
      await this.advance(r);
    }
  }

  /** GET /v2/deployments */
  /** GET /v2/deployments; `readinessOf` fills each current action's readinessCheckResults. */
  json(readinessOf: (appId: string) => readonly unknown[] = () => []): Array<Record<string, unknown>> {
    return [...this.running.values()].map((r) => {
      const info = deploymentStepInfoJson(r.plan, Math.min(r.step + 1, r.plan.steps.length));
      const actions = info.currentActions as Array<{ action: string; app: string; readinessCheckResults: readonly unknown[] }>;
      return { ...info, currentActions: actions.map((a) => ({ ...a, readinessCheckResults: readinessOf(a.app) })) };
    });
  }

  private async advance(r: Running): Promise<void> {
    const step = r.plan.steps[r.step];
    if (step && !step.actions.every((a) => r.done.has(a.app))) return;
    if (step) this.bus.publish({ eventType: 'deployment_step_success', plan: planJson(r.plan), currentStep: stepJson(step.actions) });
    r.step += 1;
    r.done.clear();
    if (r.step >= r.plan.steps.length) {
      this.running.delete(r.plan.id);
      await this.repository.deleteDeployment(r.plan.id);
      this.bus.publish({ eventType: 'deployment_success', id: r.plan.id, plan: planJson(r.plan) });
      for (const app of r.plan.affectedApps) this.onAppChanged(app);
      this.onFinished(r.plan);
      return;
    }
    await this.persist(r);
    this.enterStep(r, true);
  }

  private enterStep(r: Running, announce: boolean): void {
    const step = r.plan.steps[r.step];
    if (!step) {
      void this.advance(r);
      return;
    }
    if (announce && r.step === 0) this.bus.publish({ eventType: 'deployment_info', plan: planJson(r.plan), currentStep: stepJson(step.actions) });
    for (const a of step.actions) {
      // StartApplication is kept for compatibility and does nothing: the Scale that follows starts the app.
      if (a.action === 'StartApplication') r.done.add(a.app);
      this.onAppChanged(a.app);
    }
    if (step.actions.every((a) => r.done.has(a.app))) void this.advance(r);
  }

  private persist(r: Running): Promise<void> {
    return this.repository.storeDeployment(r.plan.id, { plan: r.plan, step: r.step } satisfies StoredDeployment);
  }
}

function modeFor(action: DeploymentAction): AppMode {
  switch (action.action) {
    case 'ScaleApplication':
      return { kind: 'scale', instances: action.instances ?? 0, killInstances: action.killInstances ?? [] };
    case 'RestartApplication':
      return { kind: 'restart', instances: action.instances ?? 0 };
    case 'StopApplication':
      return { kind: 'stop' };
    case 'StartApplication':
      return { kind: 'hold' };
  }
}

function stepJson(actions: readonly DeploymentAction[]): { actions: Array<{ action: string; app: string }> } {
  return { actions: actions.map((a) => ({ action: a.action, app: a.app })) };
}
