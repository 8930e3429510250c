export { SchedulerDriver, type SchedulerDriverOptions, type SchedulerHandlers, type SubscribedInfo, type Logger } from './scheduler-driver';
export { SchedulerCallError } from './calls';
export { OfferResources, buildTaskInfo, type TaskNeeds, type TaskSpec } from './offer-helpers';
export { TaskReconciler, type ReconcilerOptions } from './reconciliation';
export { Backoff, type BackoffOptions } from './backoff';
