// /metrics (Marathon's Dropwizard-shaped JSON) and /metrics/prometheus (prom-client text). The
// values are read from Marathon's state when scraped, so there is nothing to keep in sync.
import { Router } from 'express';
import { Gauge, Registry } from 'prom-client';
import { isTerminalState } from '@tepui/protocol';
import type { ApiContext } from './api-context';

function values(ctx: ApiContext): Record<string, number> {
  const instances = ctx.tracker.all();
  return {
    'marathon.apps.active.gauge': ctx.root.allApps().length,
    'marathon.groups.active.gauge': ctx.root.groups().length,
    'marathon.deployments.active.gauge': ctx.deployments.list().length,
    'marathon.instances.running.gauge': instances.filter((i) => i.state === 'TASK_RUNNING').length,
    'marathon.instances.staged.gauge': instances.filter((i) => i.state === 'TASK_STAGING' || i.state === 'TASK_STARTING').length,
    'marathon.instances.launch-queue.gauge': ctx.queue.list().reduce((n, e) => n + e.count, 0),
    'marathon.instances.inflight-kills.gauge': instances.filter((i) => i.goal === 'Decommissioned' && !isTerminalState(i.state)).length,
    'marathon.http.event-streams.active.gauge': ctx.bus.subscriberCount,
  };
}

export function metricsRoutes(ctx: ApiContext): Router {
  const router = Router();
  const registry = new Registry();
  for (const name of Object.keys(values(ctx))) {
    const promName = name.replace(/[.-]/g, '_').replace(/_gauge$/, '');
    new Gauge({
      name: promName, help: `Marathon ${name}`, registers: [registry],
      collect() {
        this.set(values(ctx)[name] ?? 0);
      },
    });
  }
  router.get('/metrics', (_req, res) => {
    const gauges = Object.fromEntries(Object.entries(values(ctx)).map(([k, v]) => [k, { value: v }]));
    res.json({ version: '4.0.0', gauges, counters: {}, histograms: {}, meters: {}, timers: {} });
  });
  router.get('/metrics/prometheus', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
