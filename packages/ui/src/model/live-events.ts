// What an event from Marathon's /v2/events means for the views. Following the Kubernetes
// controllers' rule (STYLE §1), an event only marks apps stale; the store then re-reads those apps,
// so the counts shown are Marathon's own and never drift from replaying events by hand.
import type { MarathonEvent } from '@tepui/protocol';
import { arrayOf, isRecord, recordOf, stringOf } from './wire-read';

/** The event types the UI subscribes to (`/v2/events?event_type=…`); others cannot change a view. */
export const UI_EVENT_TYPES: ReadonlyArray<MarathonEvent['eventType']> = [
  'status_update_event', 'instance_changed_event', 'instance_health_changed_event', 'health_status_changed_event',
  'unhealthy_instance_kill_event', 'failed_health_check_event',
  'deployment_info', 'deployment_success', 'deployment_failed', 'deployment_step_success', 'deployment_step_failure',
  'group_change_success', 'app_terminated_event', 'api_post_event',
];

export interface EventEffects {
  /** Apps to read again (GET /v2/apps/{id}); one that is gone answers 404 and leaves the views. */
  readonly staleApps: readonly string[];
  /** Read the whole list again: the event does not say which apps changed. */
  readonly staleAll: boolean;
  /** Running deployments changed. */
  readonly deploymentsChanged: boolean;
}

const NOTHING: EventEffects = { staleApps: [], staleAll: false, deploymentsChanged: false };

function appsOfPlan(plan: unknown): string[] {
  const ids = new Set<string>();
  for (const step of arrayOf(recordOf(plan).steps)) {
    for (const action of arrayOf(recordOf(step).actions)) {
      const app = stringOf(recordOf(action).app);
      if (app) ids.add(app);
    }
  }
  return [...ids];
}

/** `data` is the event's JSON, parsed but not trusted. */
export function eventEffects(eventType: string, data: unknown): EventEffects {
  if (!isRecord(data)) return NOTHING;
  switch (eventType) {
    case 'status_update_event':
    case 'health_status_changed_event':
    case 'unhealthy_instance_kill_event':
    case 'failed_health_check_event':
    case 'app_terminated_event':
      return { ...NOTHING, staleApps: nonEmpty(stringOf(data.appId)) };
    case 'instance_changed_event':
    case 'instance_health_changed_event':
      return { ...NOTHING, staleApps: nonEmpty(stringOf(data.runSpecId)) };
    case 'api_post_event':
      return { ...NOTHING, staleApps: nonEmpty(stringOf(recordOf(data.appDefinition).id)) };
    case 'deployment_info':
    case 'deployment_success':
    case 'deployment_failed':
    case 'deployment_step_success':
    case 'deployment_step_failure':
      return { staleApps: appsOfPlan(data.plan), staleAll: false, deploymentsChanged: true };
    case 'group_change_success':
      return { ...NOTHING, staleAll: true };
    default:
      return NOTHING;
  }
}

function nonEmpty(id: string): string[] {
  return id === '' ? [] : [id];
}
