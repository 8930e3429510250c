// The generator's own HTTP endpoint: the configuration HAProxy runs and its generation, the state
// of the Marathon stream, the last error, the apps left out and why, the backends' slots, and
// Prometheus metrics.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { slotName } from '../model/layout';
import type { LbController } from '../sync/lb-controller';

export interface LbHttpApiOptions {
  readonly controller: LbController;
  /** The Marathon follower's status, shown as is. */
  readonly marathon: () => object;
  readonly haproxyPid: () => number | undefined;
  readonly registry: Registry;
  readonly now?: () => number;
}

export function createLbHttpApi(options: LbHttpApiOptions): Server {
  const now = options.now ?? Date.now;
  const routes: Record<string, (res: ServerResponse) => void | Promise<void>> = {
    '/v1/config': (res) => {
      const text = options.controller.currentConfig();
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Tepui-Lb-Generation': String(options.controller.status().generation) });
      res.end(text);
    },
    '/v1/status': (res) => json(res, 200, statusView(options, now())),
    '/v1/backends': (res) => json(res, 200, backendsView(options.controller)),
    '/health': (res) => {
      const started = options.controller.status().lastAppliedMs !== undefined;
      json(res, started ? 200 : 503, { healthy: started });
    },
    '/metrics': async (res) => {
      const text = await options.registry.metrics();
      res.writeHead(200, { 'Content-Type': options.registry.contentType });
      res.end(text);
    },
  };
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes[path];
    if (!route) return json(res, 404, { message: `No route for ${path}` });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return json(res, 405, { message: `${req.method} is not allowed on ${path}` });
    }
    Promise.resolve(route(res)).catch((err: unknown) => json(res, 500, { message: err instanceof Error ? err.message : String(err) }));
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function statusView(options: LbHttpApiOptions, now: number) {
  const status = options.controller.status();
  return {
    generation: status.generation,
    reloads: status.reloads,
    runtimeUpdates: status.runtimeUpdates,
    lastUpdate: status.lastAppliedMs === undefined ? null : new Date(status.lastAppliedMs).toISOString(),
    lastUpdateAgeSeconds: status.lastAppliedMs === undefined ? null : (now - status.lastAppliedMs) / 1000,
    lastError: status.lastError ? { message: status.lastError.message, at: new Date(status.lastError.atMs).toISOString() } : null,
    excluded: status.excluded,
    backends: status.backends,
    endpoints: status.endpoints,
    haproxyPid: options.haproxyPid() ?? null,
    marathon: options.marathon(),
  };
}

function backendsView(controller: LbController) {
  return controller.layouts().map(({ service, slots }) => ({
    backend: service.backend,
    appId: service.appId,
    portIndex: service.portIndex,
    servicePort: service.servicePort,
    mode: service.mode,
    vhosts: service.vhosts,
    slots: slots.length,
    servers: slots.flatMap((e, i) => (e ? [{ server: slotName(i), taskId: e.taskId, host: e.host, ip: e.ip, port: e.port, draining: e.draining }] : [])),
  }));
}
