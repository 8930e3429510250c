// What one app needs right now, decided from plain data: how many instances should wait for
// offers and which to kill. Level-triggered — called after every change with the current
// snapshot — so a restarted Marathon simply recomputes and carries on where the last one stopped.
import { isTerminalState, type AppDefinition } from '@tepui/protocol';
import { replaceStep, selectScaleDownVictims, type ReplaceInstance } from '../deployment';
import { isFailing, isHealthy, unreachablePhase, type Instance } from '../instances/instance';
import { constraintValueOf } from '../scheduling/constraints';

export type AppMode =
  | { readonly kind: 'steady' }
  | { readonly kind: 'scale'; readonly instances: number; readonly killInstances: readonly string[] }
  | { readonly kind: 'restart'; readonly instances: number }
  | { readonly kind: 'stop' }
  /** Touched by a later step of a deployment: leave it as it is until then. */
  | { readonly kind: 'hold' }
  /** StartApplication, kept for compatibility: done at once, the ScaleApplication that follows starts it. */
  | { readonly kind: 'start' };

export interface ControllerInput {
  /** The app as it should be; undefined once removed (then the mode is stop). */
  readonly app: AppDefinition | undefined;
  readonly mode: AppMode;
  /** Every instance Marathon knows of this app. */
  readonly instances: readonly Instance[];
  /** Instances of app.version waiting in the launch queue. */
  readonly queued: number;
  /** Whether an instance passed the app's readiness check (apps with `readinessChecks`). */
  readonly ready?: (instanceId: string) => boolean;
  /** Now, for unreachable instances' strategy (default: never inactive). */
  readonly now?: number;
}

export interface ControllerDecision {
  /** How many instances of app.version should wait in the launch queue (absolute). */
  readonly queue: number;
  readonly kill: string[];
  /** The mode's goal holds (a deployment action may finish). */
  readonly done: boolean;
}

const live = (i: Instance): boolean => i.goal === 'Running' && !isTerminalState(i.state);

/** Running, healthy when the app has health checks, and ready when it has readiness checks. */
export function isServing(i: Instance, app: AppDefinition, ready?: (instanceId: string) => boolean): boolean {
  if (i.state !== 'TASK_RUNNING') return false;
  if (app.healthChecks.length > 0 && isHealthy(i, app.healthChecks.length) !== true) return false;
  return app.readinessChecks.length === 0 || ready === undefined || ready(i.instanceId);
}

export function decide(input: ControllerInput): ControllerDecision {
  const { app, mode } = input;
  // An unreachable instance past inactiveAfterSeconds no longer counts: a replacement is launched.
  const strategy = app?.unreachableStrategy ?? 'disabled';
  const isActive = (i: Instance): boolean =>
    live(i) && (input.now === undefined || !['inactive', 'expunge'].includes(unreachablePhase(i, strategy, input.now)));
  if (!app || mode.kind === 'stop') {
    const kill = input.instances.filter(live).map((i) => i.instanceId);
    return { queue: 0, kill, done: input.instances.every((i) => isTerminalState(i.state)) };
  }
  if (mode.kind === 'hold') return { queue: input.queued, kill: [], done: false };
  if (mode.kind === 'start') return { queue: 0, kill: [], done: true };
  if (mode.kind === 'restart') return restart(app, mode.instances, input);
  const target = mode.kind === 'scale' ? mode.instances : app.instances;
  return scale(app, target, mode.kind === 'scale' ? mode.killInstances : [], input, mode.kind === 'scale', isActive);
}

function scale(app: AppDefinition, target: number, requested: readonly string[], input: ControllerInput, deploying: boolean, isActive: (i: Instance) => boolean): ControllerDecision {
  const active = input.instances.filter(isActive);
  const named = new Set(requested.filter((id) => active.some((i) => i.instanceId === id)));
  const keep = active.filter((i) => !named.has(i.instanceId));
  let queue = Math.max(0, target - keep.length);
  const kill = [...named];
  if (keep.length > target) {
    queue = 0;
    kill.push(...selectScaleDownVictims(keep.map(scaleView), keep.length - target, { killSelection: app.killSelection, constraints: app.constraints }));
  }
  const settled = input.instances.every((i) => live(i) || isTerminalState(i.state));
  const done = deploying && queue === 0 && kill.length === 0 && input.queued === 0 && settled && keep.length === target && keep.every((i) => isServing(i, app, input.ready));
  return { queue, kill, done };
}

function restart(app: AppDefinition, target: number, input: ControllerInput): ControllerDecision {
  const live = input.instances.filter((i) => !isTerminalState(i.state));
  const view = (i: Instance): ReplaceInstance => ({
    id: i.instanceId, healthy: isServing(i, app, input.ready), failing: i.state !== 'TASK_RUNNING' || (app.healthChecks.length > 0 && isFailing(i)), phase: i.goal === 'Running' ? 'active' : 'killing', startedAt: Date.parse(i.stagedAt),
  });
  const waiting = Array.from({ length: input.queued }, (_, n): ReplaceInstance => ({ id: `queued-${n}`, healthy: false, phase: 'active', startedAt: Number.MAX_SAFE_INTEGER }));
  const decision = replaceStep({
    targetInstances: target,
    strategy: app.upgradeStrategy,
    resident: false,
    oldInstances: live.filter((i) => i.version !== app.version).map(view),
    newInstances: [...live.filter((i) => i.version === app.version).map(view), ...waiting],
  });
  return { queue: input.queued + decision.launch, kill: decision.killOld, done: decision.done && input.queued === 0 };
}

function scaleView(i: Instance): { id: string; state: string; stagedAt: number; fields: Record<string, string> } {
  const fields: Record<string, string> = { hostname: i.placement.hostname };
  for (const a of i.placement.attributes) fields[a.name] = constraintValueOf(a);
  return { id: i.instanceId, state: i.state, stagedAt: Date.parse(i.stagedAt), fields };
}

/** What a deployment action still waits for: one instance and the event it waits on. */
export interface AwaitedInstance {
  readonly instanceId: string;
  readonly taskId: string;
  readonly agentId: string;
  readonly host: string;
  readonly state: string;
  readonly goal: string;
  /** `terminal`: to end (killed or replaced); `running`, `healthy`, `ready`: to get there. */
  readonly until: 'terminal' | 'running' | 'healthy' | 'ready';
}

export interface Awaited {
  /** Instances waiting in the launch queue for an offer. */
  readonly scheduled: number;
  readonly instances: readonly AwaitedInstance[];
}

/**
 * Why the mode's goal does not hold yet, instance by instance (GET /v2/deployments shows it, so an
 * action that takes long says on what). Empty once `decide` says done.
 */
export function awaitedBy(input: ControllerInput, decision: ControllerDecision): Awaited {
  const { app, mode } = input;
  if (decision.done || mode.kind === 'hold' || mode.kind === 'steady' || mode.kind === 'start') return { scheduled: 0, instances: [] };
  const entry = (i: Instance, until: AwaitedInstance['until']): AwaitedInstance => ({
    instanceId: i.instanceId, taskId: i.taskId, agentId: i.agentId, host: i.host, state: i.state, goal: i.goal, until,
  });
  const pending = input.instances.filter((i) => !isTerminalState(i.state));
  if (!app || mode.kind === 'stop') return { scheduled: 0, instances: pending.map((i) => entry(i, 'terminal')) };
  const killing = new Set(decision.kill);
  const toCome = (i: Instance): AwaitedInstance['until'] | undefined => {
    if (i.goal !== 'Running' || killing.has(i.instanceId) || (mode.kind === 'restart' && i.version !== app.version)) return 'terminal';
    if (i.state !== 'TASK_RUNNING') return 'running';
    if (app.healthChecks.length > 0 && isHealthy(i, app.healthChecks.length) !== true) return 'healthy';
    if (!isServing(i, app, input.ready)) return 'ready';
    return undefined;
  };
  const instances = pending.flatMap((i) => {
    const until = toCome(i);
    return until ? [entry(i, until)] : [];
  });
  return { scheduled: Math.max(decision.queue, input.queued), instances };
}
