// Deployment locking (reference §4.4): two deployments conflict when they touch a common app.
// Without force the API answers 409 naming the conflicting ones; with force they are canceled.
import type { PathId } from '@tepui/protocol';
import type { DeploymentPlan } from './plan';

/** Ids of `running` plans that touch any app in `affected`, in the order given. */
export function conflictingDeployments(running: readonly DeploymentPlan[], affected: readonly PathId[]): string[] {
  const wanted = new Set(affected);
  return running.filter((p) => p.affectedApps.some((app) => wanted.has(app))).map((p) => p.id);
}
