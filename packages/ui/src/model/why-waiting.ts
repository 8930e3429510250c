// The launch queue's answer to "why is this app waiting?", in words. Marathon's GET /v2/queue gives
// every step of its reason funnel for the last offer of each agent
// (processedOffersSummary.rejectSummaryLastOffers: `declined` counts the offers whose first failed
// check it was, `processed` the offers that reached it); the counts alone do not say what to change, so each reason is read against what the app
// asks for ("needs 64 CPUs per instance; no offer had that many free").
import { formatMem, formatNumber } from './format';
import type { AppSummary, QueueSummary } from './marathon-wire';
import { arrayOf, recordOf, stringOf } from './wire-read';

export interface WaitingReason {
  /** Marathon's name of the reason, e.g. InsufficientCpus. */
  readonly reason: string;
  /** Offers declined for this reason (their first failed check). */
  readonly declined: number;
  /** Offers that reached this check (not declined by an earlier one). */
  readonly processed: number;
  /** What the app asks for that the offers did not have. */
  readonly reading: string;
}

export interface WhyWaitingView {
  /** Waiting: no offer fitted yet. Delayed: launches are held back after failures. */
  readonly waiting: boolean;
  readonly heading: string;
  /** "2 instances to launch. No offer has fitted yet." */
  readonly state: string;
  readonly offersSeen: number;
  readonly offersUsed: number;
  /** "12 offers seen, none used." */
  readonly offers: string;
  /** The reasons, most offers declined first. */
  readonly reasons: readonly WaitingReason[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The app's constraints as Marathon's shorthand, e.g. "hostname LIKE nowhere". */
export function constraintTexts(definition: Readonly<Record<string, unknown>>): string[] {
  return arrayOf(definition.constraints)
    .map((c) => arrayOf(c).map((part) => stringOf(part)).filter(Boolean).join(' '))
    .filter(Boolean);
}

/** Host ports an instance takes: one per port definition (host networking), one per container port mapping with a hostPort. */
function hostPortCount(definition: Readonly<Record<string, unknown>>): number {
  const mappings = arrayOf(recordOf(definition.container).portMappings).filter((m) => recordOf(m).hostPort !== undefined);
  return arrayOf(definition.portDefinitions).length + mappings.length;
}

/** What a reason means for this app. Unknown reasons (a newer Marathon) are shown by name. */
export function readReason(reason: string, app: AppSummary): string {
  const def = app.definition;
  switch (reason) {
    case 'InsufficientCpus':
      return `needs ${formatNumber(app.cpus)} CPUs per instance; no offer had that many free`;
    case 'InsufficientMemory':
      return `needs ${formatMem(app.mem)} of memory per instance; no offer had that much free`;
    case 'InsufficientDisk':
      return `needs ${formatMem(app.disk)} of disk per instance; no offer had that much free`;
    case 'InsufficientGpus':
      return `needs ${formatNumber(typeof def.gpus === 'number' ? def.gpus : 0)} GPUs per instance; no offer had that many free`;
    case 'InsufficientPorts':
      return `needs ${plural(hostPortCount(def), 'host port')}; the offers did not have them free`;
    case 'UnfulfilledConstraint': {
      const constraints = constraintTexts(def);
      return constraints.length === 0 ? 'a placement constraint was not met by the offering agents'
        : `constraint ${constraints.join(', ')} not met by the offering agents`;
    }
    case 'UnfulfilledRole': {
      const roles = arrayOf(def.acceptedResourceRoles).map((r) => stringOf(r)).filter(Boolean);
      return roles.length === 0 ? 'the offers had no resources for a role the app accepts'
        : `accepts resources of role ${roles.join(', ')} only; the offers had none`;
    }
    case 'NoCorrespondingReservationFound':
      return 'needs its reserved resources (persistent volumes); no offer carried them';
    case 'AgentMaintenance':
      return 'the offers came from agents under maintenance';
    case 'DeclinedScarceResources':
      return 'the offers held scarce resources (GPUs) the app does not use; they are kept for apps that do';
    default:
      return reason;
  }
}

export function whyWaiting(app: AppSummary, queued: QueueSummary): WhyWaitingView {
  const waiting = queued.delay.overdue;
  const used = Math.max(0, queued.processedOffers - queued.unusedOffers);
  const toLaunch = `${plural(queued.count, 'instance')} to launch.`;
  const state = waiting
    ? `${toLaunch} ${queued.processedOffers === 0 ? 'No offer has come in yet.' : 'No offer has fitted yet.'}`
    : `${toLaunch} Launches are held back for ${queued.delay.timeLeftSeconds} s after failures (backoff).`;
  const offers = `${plural(queued.processedOffers, 'offer')} seen, ${used === 0 ? 'none' : used} used.`;
  const reasons = queued.rejectReasons
    .filter((r) => r.declined > 0)
    .map((r) => ({ ...r, reading: readReason(r.reason, app) }))
    .sort((a, b) => b.declined - a.declined || b.processed - a.processed);
  return { waiting, heading: waiting ? 'Waiting for offers' : 'Delayed', state, offersSeen: queued.processedOffers, offersUsed: used, offers, reasons };
}
