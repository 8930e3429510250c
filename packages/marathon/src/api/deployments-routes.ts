// /v2/deployments (reference §2.4) and /v2/queue (§2.5, §7).
import { Router } from 'express';
import { revertPlan } from '../deployment';
import { NotInQueue, UnknownDeployment } from '../errors';
import { declinedOfferSteps, lastOffersDeclined } from '../core/launch-queue';
import { appDefinitionJson } from '../validation';
import type { ApiContext } from './api-context';
import { appIdOf, queryFlag, queryList, sendDeploymentResult } from './http-helpers';
import { unusedOfferJson } from './unused-offer-json';

export function deploymentsRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.get('/v2/deployments', (_req, res) => {
    res.json(ctx.deployments.json((appId) => ctx.readiness?.resultsOf(ctx.tracker.ofApp(appId)) ?? [], (appId) => ctx.core.awaitedOf(appId)));
  });

  router.delete('/v2/deployments/:id', async (req, res) => {
    const plan = ctx.deployments.get(req.params.id);
    if (!plan) throw new UnknownDeployment(req.params.id);
    if (queryFlag(req, 'force')) {
      await ctx.deployments.cancel(plan.id);
      res.status(202).end();
      return;
    }
    const rollback = await ctx.groups.update((current) => revertPlan(plan, current), { force: true });
    sendDeploymentResult(res, rollback);
  });

  router.get('/v2/queue', (req, res) => {
    const now = ctx.clock.now();
    const withLastUnused = queryList(req, 'embed').includes('lastUnusedOffers');
    res.json({
      queue: ctx.queue.list().map((e) => {
        const stats = e.stats;
        return {
          app: appDefinitionJson(e.app),
          count: e.count,
          role: e.app.role ?? '*',
          delay: ctx.delays.queueDelay(e.app, now),
          since: new Date(e.since).toISOString(),
          processedOffersSummary: {
            processedOffersCount: stats.processed,
            unusedOffersCount: stats.unused,
            ...(stats.lastUnusedAt !== undefined ? { lastUnusedOfferAt: new Date(stats.lastUnusedAt).toISOString() } : {}),
            ...(stats.lastUsedAt !== undefined ? { lastUsedOfferAt: new Date(stats.lastUsedAt).toISOString() } : {}),
            rejectSummaryLastOffers: declinedOfferSteps(stats.lastByAgent.size, lastOffersDeclined(stats)),
            rejectSummaryLaunchAttempt: declinedOfferSteps(stats.processed, stats.launchAttempt),
          },
          ...(withLastUnused ? { lastUnusedOffers: [...stats.lastByAgent.values()].map(unusedOfferJson) } : {}),
        };
      }),
    });
  });

  router.delete('/v2/queue/*path', (req, res) => {
    const segments = (req.params as { path: string[] }).path;
    if (segments[segments.length - 1] !== 'delay') throw new NotInQueue(appIdOf(segments));
    const id = appIdOf(segments.slice(0, -1));
    if (!ctx.queue.get(id)) throw new NotInQueue(id);
    ctx.delays.reset(id);
    ctx.core.changed(id);
    res.status(204).end();
  });
  return router;
}
