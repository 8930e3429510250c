// The cluster page's copy of the leading master's state, kept current by the master's operator
// event stream (SUBSCRIBE, re-sent by Marathon as Server-Sent Events). Events patch the copy at
// once; a burst of them costs one read of /master/roles, and while they flow /master/state is read
// again at most every STATE_RECONCILE_MS for what events do not carry. After the stream dropped,
// everything is read again. Nothing polls: an idle cluster costs one open stream. It lives only
// while the cluster page is open.
import { applyOperatorEvent } from '../model/cluster-patch';
import {
  appendSample, CLUSTER_EVENT_TYPES, clusterEventEffect, ROLES_GATHER_MS, STATE_RECONCILE_MS, utilisationOf, type MasterConnection, type UtilisationSample,
} from '../model/cluster-live';
import { clusterView, decodeClusterState, type ClusterState, type ClusterView } from '../model/cluster';
import { recordOf, stringOf } from '../model/wire-read';
import { requestJson, type Answer } from './marathon-client';
import { followEventStream } from './shared-event-source';

const MASTER = '/ui/api/mesos';
const RESTORED_BANNER_MS = 5_000;

/** One kind of read: at most one in flight, one more queued behind it, none while stopped. */
class ReadLoop {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  lastAt = 0;

  constructor(private readonly read: () => Promise<void>) {}

  schedule(delayMs: number): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, Math.max(0, delayMs));
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    this.running = true;
    this.again = false;
    this.lastAt = Date.now();
    await this.read();
    this.running = false;
    if (this.again) this.schedule(0);
  }
}

export class ClusterStore {
  view: ClusterView | undefined;
  error: string | undefined;
  connection: MasterConnection = 'connecting';
  history: UtilisationSample[] = [];
  revision = 0;

  private state: ClusterState | undefined;
  private roles: unknown;
  private readonly listeners = new Set<() => void>();
  private stopStream: (() => void) | undefined;
  private stopped = false;
  private readonly stateReads = new ReadLoop(() => this.readState());
  private readonly rolesReads = new ReadLoop(() => this.readRoles());

  start(): void {
    this.openStream();
    this.stateReads.schedule(0);
    this.rolesReads.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.stopStream?.();
    this.stopStream = undefined;
    this.stateReads.cancel();
    this.rolesReads.cancel();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.revision += 1;
    for (const listener of this.listeners) listener();
  }

  /** The view from the kept state and roles, with a utilisation sample when `sample`. */
  private derive(sample: boolean): void {
    if (this.state === undefined || this.roles === undefined) return;
    this.view = clusterView(this.state, this.roles);
    if (sample) this.history = appendSample(this.history, utilisationOf(this.view.used, this.view.total, Date.now()));
  }

  private failed(answer: Answer): void {
    this.error = stringOf(recordOf(answer.body).message, `Marathon answered ${answer.status}`);
    this.changed();
  }

  private async readState(): Promise<void> {
    const answer = await requestJson('GET', `${MASTER}/master/state`);
    if (this.stopped) return;
    if (!answer.ok) return this.failed(answer);
    this.state = decodeClusterState(answer.body);
    this.error = undefined;
    this.derive(true);
    this.changed();
  }

  private async readRoles(): Promise<void> {
    const answer = await requestJson('GET', `${MASTER}/master/roles`);
    if (this.stopped) return;
    if (!answer.ok) return this.failed(answer);
    this.roles = answer.body;
    this.derive(false);
    this.changed();
  }

  private openStream(): void {
    if (this.stopped) return;
    // Shared by every tab (a browser holds at most six connections to Marathon).
    this.stopStream = followEventStream(`${MASTER}/events`, {
      opened: () => this.setConnection(this.connection === 'lost' ? 'restored' : 'live'),
      lost: () => this.setConnection('lost'),
      events: Object.fromEntries(CLUSTER_EVENT_TYPES.map((type) => [type, (data: string) => this.onEvent(type, data)])),
    });
  }

  private onEvent(type: string, data: string): void {
    switch (clusterEventEffect(type)) {
      case 'read-all':
        // Every (re)subscription: what happened while the stream was down was missed.
        this.stateReads.schedule(0);
        this.rolesReads.schedule(0);
        break;
      case 'patch': {
        let event: unknown;
        try {
          event = JSON.parse(data);
        } catch {
          event = undefined; // Marathon writes JSON; an unreadable event is caught up by the reads below
        }
        if (this.state !== undefined && event !== undefined) {
          this.state = applyOperatorEvent(this.state, event);
          this.derive(true);
          this.changed();
        }
        this.rolesReads.schedule(ROLES_GATHER_MS);
        this.stateReads.schedule(this.stateReads.lastAt + STATE_RECONCILE_MS - Date.now());
        break;
      }
      case 'sample':
        if (this.view) {
          this.history = appendSample(this.history, utilisationOf(this.view.used, this.view.total, Date.now()));
          this.changed();
        }
        break;
      default:
        break;
    }
  }

  private setConnection(next: MasterConnection): void {
    if (next === this.connection) return;
    this.connection = next;
    if (next === 'restored') {
      setTimeout(() => {
        if (this.connection === 'restored') this.setConnection('live');
      }, RESTORED_BANNER_MS);
    }
    this.changed();
  }
}
