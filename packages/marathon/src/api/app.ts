// Builds Marathon's HTTP API from its dependencies, so tests can serve it on port 0.
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '@tepui/protocol';
import type { EventBus } from '../events/event-bus';
import { UnknownRoute } from '../errors';
import { marathonErrorHandler } from './error-handler';
import { jsonBody } from './json-body';
import { acceptsEventStream, serveEventStream } from './events-sse';
import { systemRoutes, type SystemInfo } from './system';
import type { ApiContext } from './api-context';
import { appsRoutes } from './apps-routes';
import { deploymentsRoutes } from './deployments-routes';
import { groupsRoutes } from './groups-routes';
import { refuseDryRunOutsideGroups } from './http-helpers';
import { metricsRoutes } from './metrics-routes';
import { podsRoutes } from './pods-routes';
import { uiRoutes } from './ui-static';
import type { MasterUpstream } from './master-upstream';
import { uiApiRoutes } from './ui-api-routes';

export interface MarathonAppDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly system: SystemInfo;
  /** Marathon's state and services; without it only the system endpoints are served. */
  readonly api?: ApiContext;
  /** The built web UI (index.html, assets/), served at /ui/; without it /ui/ is not served. */
  readonly uiBundleDir?: string;
  /** The leading Mesos master, for the UI's read-only proxy of it and task output; without it neither is served. */
  readonly masterUpstream?: MasterUpstream;
}

/** Marathon caps request bodies; a 1 MB app definition is refused with a clear error. */
export const MAX_BODY = '1mb';

export function createMarathonApp(deps: MarathonAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Marathon sends no ETag, and hashing multi-megabyte app lists costs more than it saves.
  app.set('etag', false);
  app.use((_req, res, next) => {
    const leader = deps.system.leader();
    if (leader) res.setHeader('X-Marathon-Leader', `http://${leader}`);
    res.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
    next();
  });
  // Before the body parser: the proxy reads no bodies, so it refuses a write by its path and method alone.
  if (deps.masterUpstream !== undefined) app.use(uiApiRoutes(deps.masterUpstream, deps.api?.tracker, deps.log));
  app.use(jsonBody(MAX_BODY));
  app.use(systemRoutes(deps.system));
  if (deps.uiBundleDir !== undefined) app.use(uiRoutes(deps.uiBundleDir));
  app.use(podsRoutes());
  if (deps.api) {
    app.use(refuseDryRunOutsideGroups);
    app.use(appsRoutes(deps.api));
    app.use(groupsRoutes(deps.api));
    app.use(deploymentsRoutes(deps.api));
    app.use(metricsRoutes(deps.api));
  }
  app.get('/', (_req, res) => res.redirect(302, '/ui/'));
  app.get('/v2/events', (req, res) => {
    if (!acceptsEventStream(req.headers.accept)) {
      res.status(405).json({ message: 'GET /v2/events needs Accept: text/event-stream' });
      return;
    }
    serveEventStream(req, res, deps.bus, deps.clock);
  });
  app.use((req) => {
    throw new UnknownRoute(req.path);
  });
  app.use(marathonErrorHandler(deps.log));
  return app;
}
