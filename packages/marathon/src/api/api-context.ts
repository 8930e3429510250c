// What the REST API reads and drives: Marathon's state and services, passed in whole so route
// modules stay free of wiring.
import type { Clock } from '@tepui/protocol';
import type { DeploymentManager } from '../core/deployment-manager';
import type { GroupManager } from '../core/group-manager';
import type { InstanceTracker } from '../core/instance-tracker';
import type { LaunchQueue } from '../core/launch-queue';
import type { ReadinessTracker } from '../core/readiness-tracker';
import type { RootGroup } from '../core/root-group';
import type { SchedulerCore } from '../core/scheduler-core';
import type { TaskFailure } from '../core/status-processor';
import type { EventBus } from '../events/event-bus';
import type { LaunchDelays } from '../queue/launch-delay';

export interface ApiContext {
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly root: RootGroup;
  readonly tracker: InstanceTracker;
  readonly deployments: DeploymentManager;
  readonly groups: GroupManager;
  readonly queue: LaunchQueue;
  readonly delays: LaunchDelays;
  readonly core: SchedulerCore;
  readonly failures: ReadonlyMap<string, TaskFailure>;
  readonly readiness?: Pick<ReadinessTracker, 'resultsOf'>;
  readonly parseOptions: { readonly features: ReadonlySet<string>; readonly defaultRole: string };
  readonly maxRunningDeployments: number;
}
