// The JSON clients read about a deployment: the "light" plan of deployment events (reference §8;
// Marathon 1.8+ dropped `original` and `target`) and one element of GET /v2/deployments (§2.4).
import type { DeploymentPlanJson, DeploymentStepJson } from '@tepui/protocol';
import type { DeploymentPlan, DeploymentStep } from './plan';

export function stepJson(step: DeploymentStep): DeploymentStepJson {
  return { actions: step.actions.map((a) => ({ action: a.action, app: a.app })) };
}

/** `{id, steps:[{actions:[{action, app}]}], version}` in Marathon's key order. */
export function planJson(plan: DeploymentPlan): DeploymentPlanJson {
  return { id: plan.id, steps: plan.steps.map(stepJson), version: plan.version };
}

/**
 * One element of GET /v2/deployments. `currentStep` is 1-based; 0 (or anything outside the plan)
 * renders as Marathon does before the first step: currentStep 0 with no current actions.
 */
export function deploymentStepInfoJson(plan: DeploymentPlan, currentStep: number): Record<string, unknown> {
  const current = Number.isInteger(currentStep) && currentStep >= 1 ? plan.steps[currentStep - 1] : undefined;
  return {
    id: plan.id,
    version: plan.version,
    affectedApps: [...plan.affectedApps],
    affectedPods: [],
    steps: plan.steps.map(stepJson),
    currentActions: (current?.actions ?? []).map((a) => ({ action: a.action, app: a.app, readinessCheckResults: [] })),
    currentStep: current ? currentStep : 0,
    totalSteps: plan.steps.length,
  };
}
