// The deployments page's copy of GET /v2/deployments. Deployment events patch it at once (progress
// moves the moment Marathon reports it) and each one also asks for a read of the list, for what
// events do not carry (readiness results, deployments started while the stream was down). Reads go
// one at a time; requests made during a read fold into one more. Nothing polls.
import { useEffect, useState } from 'preact/hooks';
import { DEPLOYMENT_EVENT_TYPES, NO_DEPLOYMENTS, patchDeployments, readDeployments, type DeploymentsState } from '../model/deployments';
import { recordOf, stringOf } from '../model/wire-read';
import type { LiveStore } from './live-store';
import { requestJson } from './marathon-client';

const EVENT_TYPES: ReadonlySet<string> = new Set(DEPLOYMENT_EVENT_TYPES);

export interface DeploymentsFeedView {
  readonly state: DeploymentsState;
  readonly error: string | undefined;
  /** After the user changed something: read the list now rather than at the next event. */
  readonly refresh: () => void;
}

class DeploymentsFeed {
  state: DeploymentsState = NO_DEPLOYMENTS;
  error: string | undefined;
  private reading = false;
  private readAgain = false;
  private stopped = false;

  constructor(private readonly store: LiveStore, private readonly changed: () => void) {}

  start(): () => void {
    let connection = this.store.connection.kind;
    const offEvents = this.store.onEvent((type, data) => {
      if (!EVENT_TYPES.has(type)) return;
      this.state = patchDeployments(this.state, type, data);
      this.changed();
      this.read();
    });
    // Back after the stream dropped: events were missed, so read the list again.
    const offStore = this.store.subscribe(() => {
      const now = this.store.connection.kind;
      if (now !== connection && connection === 'lost') this.read();
      connection = now;
    });
    this.read();
    return () => {
      this.stopped = true;
      offEvents();
      offStore();
    };
  }

  read(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    void requestJson('GET', '/v2/deployments').then((answer) => {
      this.reading = false;
      if (this.stopped) return;
      if (answer.ok) {
        this.state = readDeployments(this.state, answer.body);
        this.error = undefined;
      } else this.error = stringOf(recordOf(answer.body).message, `Marathon answered ${answer.status} to /v2/deployments`);
      this.changed();
      if (this.readAgain) {
        this.readAgain = false;
        this.read();
      }
    });
  }
}

export function useDeployments(store: LiveStore): DeploymentsFeedView {
  const [, setRevision] = useState(0);
  const [feed] = useState(() => new DeploymentsFeed(store, () => setRevision((n) => n + 1)));
  useEffect(() => feed.start(), [feed]);
  return { state: feed.state, error: feed.error, refresh: () => feed.read() };
}
