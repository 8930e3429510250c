// Runs deployment plans: one step at a time, the actions of a step in parallel, each action
// finished when its app's controller reports its goal reached. Plans are stored, so a new
// Marathon resumes them. Locking (409 unless force) and cancellation live here too (§4.4).
import type { Logger } from 'pino';
import { conflictingDeployments, deploymentStepInfoJson, planJson, type DeploymentAction, type DeploymentPlan } from '../deployment';
import { AppLocked, UnknownDeployment } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { MarathonRepository } from '../storage/repository';
import type { StoreOp } from '../storage/state-store';
import type { Awaited, AppMode } from './app-controller';

interface Running {
  readonly plan: DeploymentPlan;
  /** Index of the step in progress. */
  step: number;
  /** Apps whose action in the current step is done. */
  readonly done: Set<string>;
  /** The step move in progress: moves of one plan never overlap. */
  advancing: Promise<void>;
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
      this.running.set(d.plan.id, { plan: d.plan, step: d.step, done: new Set(), advancing: Promise.resolve() });
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

  /**
   * The store writes that start `plan` and drop the deployments it cancels: they go into the same
   * batch as the root group they deploy (GroupManager), so a crash never leaves one without the other.
   */
  startOps(plan: DeploymentPlan, cancel: readonly string[]): StoreOp[] {
    return [
      ...cancel.map((id) => this.repository.deleteDeploymentOp(id)),
      this.repository.storeDeploymentOp(plan.id, { plan, step: 0 } satisfies StoredDeployment),
    ];
  }

  /** Runs a plan whose startOps are stored, after ending the deployments it cancels. */
  started(plan: DeploymentPlan, cancel: readonly string[]): void {
    for (const id of cancel) {
      const running = this.running.get(id);
      if (running) this.ended(running, 'canceled by a forced deployment');
    }
    const running: Running = { plan, step: 0, done: new Set(), advancing: Promise.resolve() };
    this.running.set(plan.id, running);
    this.enterStep(running, true);
  }

  /** Stops a deployment where it is (DELETE ?force=true). */
  async cancel(id: string, reason = 'canceled'): Promise<DeploymentPlan> {
    const running = this.running.get(id);
    if (!running) throw new UnknownDeployment(id);
    await this.repository.deleteDeployment(id);
    this.ended(running, reason);
    return running.plan;
  }

  private ended(running: Running, reason: string): void {
    this.running.delete(running.plan.id);
    this.bus.publish({ eventType: 'deployment_failed', id: running.plan.id, plan: planJson(running.plan), reason });
    for (const app of running.plan.affectedApps) this.onAppChanged(app);
    this.onFinished(running.plan);
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

  /**
   * The app's controller reached the goal of its current action. Throws when the next step could
   * not be stored: nothing moved then, and the controller's retry calls this again.
   */
  async actionDone(appId: string): Promise<void> {
    for (const r of [...this.running.values()]) {
      const step = r.plan.steps[r.step];
      if (!step?.actions.some((a) => a.app === appId)) continue;
      r.done.add(appId);
      await this.advance(r);
    }
  }

  /** GET /v2/deployments: each current action with its readinessCheckResults and what it still waits for. */
  json(readinessOf: (appId: string) => readonly unknown[] = () => [], awaitedOf: (appId: string) => Awaited = () => ({ scheduled: 0, instances: [] })): Array<Record<string, unknown>> {
    return [...this.running.values()].map((r) => {
      const info = deploymentStepInfoJson(r.plan, Math.min(r.step + 1, r.plan.steps.length));
      const actions = info.currentActions as Array<{ action: string; app: string; readinessCheckResults: readonly unknown[] }>;
      return {
        ...info,
        currentActions: actions.map((a) => ({ ...a, readinessCheckResults: readinessOf(a.app), waitingFor: r.done.has(a.app) ? { scheduled: 0, instances: [] } : awaitedOf(a.app) })),
      };
    });
  }

  /** Moves to the next step once every action of this one is done; one move at a time per plan. */
  private advance(r: Running): Promise<void> {
    const move = r.advancing.then(() => this.advanceNow(r));
    r.advancing = move.catch(() => undefined);
    return move;
  }

  private async advanceNow(r: Running): Promise<void> {
    if (this.running.get(r.plan.id) !== r) return; // canceled meanwhile
    const step = r.plan.steps[r.step];
    if (step && !step.actions.every((a) => r.done.has(a.app))) return;
    const next = r.step + 1;
    // Stored first: if the store fails, memory stays at this step and the move is retried.
    if (next >= r.plan.steps.length) await this.repository.deleteDeployment(r.plan.id);
    else await this.repository.storeDeployment(r.plan.id, { plan: r.plan, step: next } satisfies StoredDeployment);
    if (step) this.bus.publish({ eventType: 'deployment_step_success', plan: planJson(r.plan), currentStep: stepJson(step.actions) });
    r.step = next;
    r.done.clear();
    if (next >= r.plan.steps.length) {
      this.running.delete(r.plan.id);
      this.bus.publish({ eventType: 'deployment_success', id: r.plan.id, plan: planJson(r.plan) });
      for (const app of r.plan.affectedApps) this.onAppChanged(app);
      this.onFinished(r.plan);
      return;
    }
    this.enterStep(r, true);
  }

  private enterStep(r: Running, announce: boolean): void {
    const step = r.plan.steps[r.step];
    if (!step) {
      void this.advance(r).catch((err: Error) => this.log.warn({ deployment: r.plan.id, err: err.message }, 'finishing a deployment failed'));
      return;
    }
    if (announce && r.step === 0) this.bus.publish({ eventType: 'deployment_info', plan: planJson(r.plan), currentStep: stepJson(step.actions) });
    // Each app's controller reports its action done (and is retried until the step is stored).
    for (const a of step.actions) this.onAppChanged(a.app);
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
      return { kind: 'start' };
  }
}

function stepJson(actions: readonly DeploymentAction[]): { actions: Array<{ action: string; app: string }> } {
  return { actions: actions.map((a) => ({ action: a.action, app: a.app })) };
}
