// @tepui/sdk: write a Mesos v1 framework in a few dozen lines.
export {
  SchedulerDriver, type SchedulerDriverOptions, type SchedulerHandlers, type SubscribedInfo, type DriverStopReason,
} from './scheduler-driver';
export type { DriverEvent, ExecutorMessage, FailureInfo, SubscribedEvent } from './event-decoder';
export {
  SdkError, SchedulerCallError, NotSubscribedError, FrameworkRemovedError, DriverStoppedError, InvalidEventError,
  InvalidMasterUrlError,
} from './errors';
export {
  OfferResources, buildTaskInfo, commandTask, killPolicy, type Claim, type TaskNeeds, type TaskSpec, type TaskCommand,
  type TaskOptions, type CommandTaskSpec, type OfferResourcesOptions,
} from './offer-helpers';
export {
  TaskReconciler, ReconciliationRound, DEFAULT_RECONCILE_BACKOFF, type ReconcileTarget, type ReconcilingDriver,
  type TaskReconcilerOptions,
} from './reconciliation';
export { Backoff, backoffDelay, DEFAULT_RECONNECT_BACKOFF, type BackoffOptions } from './backoff';
export { toId, type IdLike, type ReconcileTask } from './calls';
export type { Logger } from './logger';
