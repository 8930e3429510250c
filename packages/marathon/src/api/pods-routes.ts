// /v2/pods (multi-container instances): Tepui provides none yet. Reads answer as an empty
// Marathon does (`[]`, 404 for an id); creating or changing a pod is refused with a 422 saying
// so, never accepted and dropped.
import { Router, type Request } from 'express';
import { UnknownPod, ValidationFailed } from '../errors';
import { notYet } from '../validation/unsupported';
import { appIdOf, requireBody } from './http-helpers';

const podIdOf = (req: Request): string => appIdOf((req.params as { path: string[] }).path).replace(/::[a-z]+$/, '');

export function podsRoutes(): Router {
  const router = Router();
  router.get('/v2/pods', (_req, res) => {
    res.json([]);
  });
  router.get('/v2/pods/*path', (req, res) => {
    if (podIdOf(req) !== '/') throw new UnknownPod(podIdOf(req));
    res.json([]); // /v2/pods/::status: the status of every pod
  });
  router.delete('/v2/pods/*path', (req) => {
    throw new UnknownPod(podIdOf(req));
  });
  const refuse = (req: Request): never => {
    requireBody(req);
    throw new ValidationFailed('Object is not valid', [{ path: '/', errors: [notYet('pods', 'run each container as an app')] }]);
  };
  router.post('/v2/pods', refuse);
  router.put('/v2/pods/*path', refuse);
  router.patch('/v2/pods/*path', refuse);
  return router;
}
