// The deployments page as data: the running deployments read from GET /v2/deployments, patched by
// the deployment events of /v2/events so progress moves the moment Marathon reports it, and read
// again after each event for what events do not carry (readiness results). A deployment that an
// event said has ended stays gone, even if a read that was already under way still lists it.
import type { MarathonEvent } from '@tepui/protocol';
import { arrayOf, isRecord, numberOf, recordOf, stringOf } from './wire-read';

export interface DeploymentAction {
  readonly action: string;
  readonly app: string;
}

export interface CurrentAction extends DeploymentAction {
  /** How many readiness check results Marathon reports for this action's app. */
  readonly readinessResults: number;
}

export interface DeploymentView {
  readonly id: string;
  /** The target root group's version: when the deployment was planned (ISO-8601, sorts in time order). */
  readonly version: string;
  readonly affectedApps: readonly string[];
  readonly steps: readonly (readonly DeploymentAction[])[];
  /** 1-based, as Marathon counts; 0 before the first step starts. */
  readonly currentStep: number;
  readonly totalSteps: number;
  readonly currentActions: readonly CurrentAction[];
}

export interface DeploymentsState {
  /** Oldest first, then by id: a stable order, so rows do not jump while they progress. */
  readonly running: readonly DeploymentView[];
  /** Ids of deployments an event reported as ended. */
  readonly ended: ReadonlySet<string>;
  /** False until the first read answered. */
  readonly loaded: boolean;
}

export const NO_DEPLOYMENTS: DeploymentsState = { running: [], ended: new Set(), loaded: false };

export type DeploymentEventType = Extract<MarathonEvent['eventType'], `deployment_${string}`>;

export const DEPLOYMENT_EVENT_TYPES: readonly DeploymentEventType[] = [
  'deployment_info', 'deployment_step_success', 'deployment_step_failure', 'deployment_success', 'deployment_failed',
];

function decodeActions(step: unknown): DeploymentAction[] {
  return arrayOf(recordOf(step).actions).map((a) => ({ action: stringOf(recordOf(a).action), app: stringOf(recordOf(a).app) })).filter((a) => a.app !== '');
}

function byAge(a: DeploymentView, b: DeploymentView): number {
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** One element of GET /v2/deployments. */
export function decodeDeployment(value: unknown): DeploymentView | undefined {
  if (!isRecord(value) || typeof value.id !== 'string') return undefined;
  const steps = arrayOf(value.steps).map(decodeActions);
  return {
    id: value.id,
    version: stringOf(value.version),
    affectedApps: arrayOf(value.affectedApps).map((a) => stringOf(a)).filter(Boolean),
    steps,
    currentStep: numberOf(value.currentStep),
    totalSteps: numberOf(value.totalSteps, steps.length),
    currentActions: arrayOf(value.currentActions).map((a) => {
      const action = recordOf(a);
      return { action: stringOf(action.action), app: stringOf(action.app), readinessResults: arrayOf(action.readinessCheckResults).length };
    }),
  };
}

/** The state after a GET /v2/deployments answered `body`. */
export function readDeployments(state: DeploymentsState, body: unknown): DeploymentsState {
  const running = arrayOf(body).map(decodeDeployment).filter((d): d is DeploymentView => d !== undefined && !state.ended.has(d.id));
  return { ...state, running: running.sort(byAge), loaded: true };
}

const sameStep = (a: readonly DeploymentAction[], b: readonly DeploymentAction[]): boolean =>
  a.length === b.length && a.every((x, i) => x.action === b[i]!.action && x.app === b[i]!.app);

/**
 * The 1-based position of `step` in `steps`, searching from `from` (a plan may repeat a step, and
 * progress only moves forward); 0 when it is not there.
 */
function stepPosition(steps: readonly (readonly DeploymentAction[])[], step: readonly DeploymentAction[], from: number): number {
  for (let i = Math.max(0, from - 1); i < steps.length; i++) if (sameStep(steps[i]!, step)) return i + 1;
  return 0;
}

function fromPlan(plan: unknown, previous: DeploymentView | undefined): DeploymentView {
  const record = recordOf(plan);
  const steps = arrayOf(record.steps).map(decodeActions);
  const apps = new Set<string>();
  for (const step of steps) for (const a of step) apps.add(a.app);
  return {
    id: stringOf(record.id), version: stringOf(record.version), affectedApps: previous?.affectedApps ?? [...apps].sort(), steps,
    currentStep: previous?.currentStep ?? 0, totalSteps: steps.length, currentActions: previous?.currentActions ?? [],
  };
}

function atStep(deployment: DeploymentView, step: number): DeploymentView {
  const actions = deployment.steps[step - 1] ?? [];
  return { ...deployment, currentStep: step, currentActions: actions.map((a) => ({ ...a, readinessResults: 0 })) };
}

/** The state after a deployment event; `data` is the event's JSON, parsed but not trusted. */
export function patchDeployments(state: DeploymentsState, eventType: string, data: unknown): DeploymentsState {
  const event = recordOf(data);
  const plan = recordOf(event.plan);
  const id = stringOf(plan.id, stringOf(event.id));
  if (id === '') return state;
  const others = state.running.filter((d) => d.id !== id);
  const previous = state.running.find((d) => d.id === id);
  switch (eventType) {
    case 'deployment_success':
    case 'deployment_failed':
      return { ...state, running: others, ended: new Set([...state.ended, id]) };
    case 'deployment_info':
    case 'deployment_step_success': {
      if (state.ended.has(id)) return state;
      const deployment = fromPlan(plan, previous);
      const current = decodeActions(event.currentStep);
      const position = stepPosition(deployment.steps, current, previous?.currentStep ?? 1);
      // deployment_info announces the step that starts; a step's success moves on to the next one.
      const step = eventType === 'deployment_info' ? Math.max(position, 1) : Math.min(position + 1, deployment.totalSteps);
      const next = atStep(deployment, Math.max(step, previous?.currentStep ?? 0));
      return { ...state, running: [...others, next].sort(byAge) };
    }
    default:
      return state; // a step failure is followed by deployment_failed
  }
}

export interface DeploymentProgress {
  /** "Step 2 of 3", or "Starting" before the first step. */
  readonly label: string;
  /** Steps finished, for a <progress> element. */
  readonly done: number;
  readonly total: number;
}

export function deploymentProgress(deployment: DeploymentView): DeploymentProgress {
  const total = Math.max(deployment.totalSteps, 0);
  if (deployment.currentStep < 1) return { label: 'Starting', done: 0, total };
  return { label: `Step ${deployment.currentStep} of ${total}`, done: Math.min(deployment.currentStep - 1, total), total };
}
