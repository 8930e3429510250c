// What the master's operator events (through Marathon's SSE proxy of SUBSCRIBE) mean for the
// cluster page, and the utilisation history it plots. A task, agent or framework event patches the
// page's copy of the state at once (cluster-patch.ts); /master/roles is read again once per burst,
// and /master/state at most every few seconds while events flow, for what events do not carry
// (outstanding offers, executors' resources). SUBSCRIBED comes first on every (re)connection:
// events may have been missed, so everything is read again. Heartbeats read nothing; they only
// move the chart's clock on.
import type { OperatorEventType } from '@tepui/protocol';
import type { Amounts } from './cluster';

/** The events the page listens to. */
export const CLUSTER_EVENT_TYPES: readonly OperatorEventType[] = [
  'SUBSCRIBED', 'TASK_ADDED', 'TASK_UPDATED', 'AGENT_ADDED', 'AGENT_REMOVED', 'FRAMEWORK_ADDED', 'FRAMEWORK_UPDATED', 'FRAMEWORK_REMOVED', 'HEARTBEAT',
];

export type ClusterEventEffect = 'read-all' | 'patch' | 'sample';

/** Events of a burst are gathered this long before /master/roles is read again. */
export const ROLES_GATHER_MS = 500;
/** While events flow, /master/state is read again at most this often. */
export const STATE_RECONCILE_MS = 5_000;

export function clusterEventEffect(type: string): ClusterEventEffect | undefined {
  switch (type) {
    case 'SUBSCRIBED': return 'read-all';
    case 'HEARTBEAT': return 'sample';
    case 'TASK_ADDED': case 'TASK_UPDATED': case 'AGENT_ADDED': case 'AGENT_REMOVED':
    case 'FRAMEWORK_ADDED': case 'FRAMEWORK_UPDATED': case 'FRAMEWORK_REMOVED':
      return 'patch';
    default: return undefined;
  }
}

export interface UtilisationSample {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Used over total, 0..1, per resource. */
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
}

/** How far back the chart reaches. */
export const HISTORY_MS = 15 * 60_000;
export const MAX_SAMPLES = 600;

export function utilisationOf(used: Amounts, total: Amounts, at: number): UtilisationSample {
  const ratio = (name: string): number => ((total[name] ?? 0) > 0 ? (used[name] ?? 0) / total[name]! : 0);
  return { at, cpus: ratio('cpus'), mem: ratio('mem'), disk: ratio('disk') };
}

/** The history with `sample` added, samples older than the window and beyond the cap dropped. */
export function appendSample(history: readonly UtilisationSample[], sample: UtilisationSample, windowMs = HISTORY_MS): UtilisationSample[] {
  const kept = history.filter((s) => s.at > sample.at - windowMs && s.at <= sample.at);
  kept.push(sample);
  return kept.slice(-MAX_SAMPLES);
}

/** uPlot's columns: seconds, then each series in percent. */
export function chartColumns(history: readonly UtilisationSample[]): [number[], number[], number[], number[]] {
  return [
    history.map((s) => s.at / 1000),
    history.map((s) => s.cpus * 100),
    history.map((s) => s.mem * 100),
    history.map((s) => s.disk * 100),
  ];
}

export type MasterConnection = 'connecting' | 'live' | 'lost' | 'restored';

export function masterBannerText(connection: MasterConnection): string | undefined {
  switch (connection) {
    case 'lost': return 'Connection to the Mesos master lost — reconnecting…';
    case 'restored': return 'Connection to the Mesos master is back; the cluster was read again.';
    default: return undefined;
  }
}
