// Everything the web UI reads under /ui/api/ besides Marathon's v2 API: the master proxy and task
// output. Mounted before the UI's files, so an unknown /ui/api/ path is a 404, not the UI's page.
import { Router } from 'express';
import type { Logger } from 'pino';
import type { InstanceTracker } from '../core/instance-tracker';
import { UnknownRoute } from '../errors';
import { masterProxyRoutes } from './master-proxy';
import type { MasterUpstream } from './master-upstream';
import { taskFilesRoutes } from './task-files-routes';

export function uiApiRoutes(upstream: MasterUpstream, tracker: Pick<InstanceTracker, 'byTaskId'> | undefined, log: Logger): Router {
  const router = Router();
  router.use(masterProxyRoutes(upstream, log));
  if (tracker) router.use(taskFilesRoutes(tracker, upstream));
  router.all('/ui/api/*path', (req) => {
    throw new UnknownRoute(req.path);
  });
  return router;
}
