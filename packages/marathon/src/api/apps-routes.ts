// /v2/apps (reference §2.1): list, create, update (PUT/PATCH, single and bulk), delete, restart,
// versions. Every change becomes a new root group and one deployment (core/group-manager).
import { Router, type Request, type Response } from 'express';
import type { AppDefinition } from '@tepui/protocol';
import type { RootState } from '../deployment';
import { AppExists, UnknownApp, ValidationFailed } from '../errors';
import { pathConflict } from '../groups/group-tree';
import { appDefinitionJson, parseAppDefinition, parseAppUpdate, type AppParseOptions } from '../validation';
import type { ApiContext } from './api-context';
import { appInfoJson, parseEmbeds, type AppEmbed, type AppInfoContext } from './app-info';
import { appListBody, type AppListCache } from './app-info-text';
import { appTaskRoutes } from './app-tasks-routes';
import { appIdOf, assertDeploymentCapacity, clientIp, queryFlag, queryList, requireBody, sendDeploymentResult } from './http-helpers';
import { matchesLabels, parseLabelSelector } from './label-selector';

/** counts and deployments are always embedded in lists (reference §2.1). */
const LIST_DEFAULT: AppEmbed[] = ['counts', 'deployments'];
/** A single app always carries counts, tasks, lastTaskFailure and deployments. */
const SINGLE_DEFAULT: AppEmbed[] = ['counts', 'tasks', 'lastTaskFailure', 'deployments'];

function infoContext(ctx: ApiContext, app: AppDefinition): AppInfoContext {
  const instances = ctx.tracker.ofApp(app.id);
  return {
    instances,
    ...(ctx.readiness && app.readinessChecks.length > 0 ? { readinessResults: ctx.readiness.resultsOf(instances) } : {}),
    deploymentIds: ctx.deployments.conflicts([app.id]),
    ...(ctx.failures.get(app.id) ? { lastTaskFailure: ctx.failures.get(app.id)! } : {}),
    now: ctx.clock.now(),
  };
}

export function appInfo(ctx: ApiContext, app: AppDefinition, embeds: ReadonlySet<AppEmbed>): Record<string, unknown> {
  return appInfoJson(app, embeds, infoContext(ctx, app));
}

function withApp(root: RootState, app: AppDefinition): RootState {
  return { groups: root.groups, apps: [...root.apps.filter((a) => a.id !== app.id), app] };
}

function assertNoPathConflict(root: RootState, app: AppDefinition): void {
  const groupIds = root.groups.map((g) => g.id);
  const clash = pathConflict(root.apps.filter((a) => a.id !== app.id).map((a) => a.id), app.id) ?? groupIds.find((g) => g === app.id);
  if (clash) throw new ValidationFailed('Object is not valid', [{ path: '/id', errors: [`Path ${app.id} conflicts with the existing app or group ${clash}`] }]);
}

export function appsRoutes(ctx: ApiContext): Router {
  const router = Router();
  const listCache: AppListCache = {};
  const parseOptions = (extra: AppParseOptions = {}): AppParseOptions => ({ ...ctx.parseOptions, ...extra });

  router.get('/v2/apps', (req, res) => {
    const embeds = parseEmbeds(queryList(req, 'embed'), 'apps');
    for (const e of LIST_DEFAULT) embeds.add(e);
    const [id] = queryList(req, 'id');
    const [cmd] = queryList(req, 'cmd');
    const [label] = queryList(req, 'label');
    const selector = label ? parseLabelSelector(label) : undefined;
    const apps = ctx.root.allApps().filter((a) =>
      (!id || a.id.toLowerCase().includes(id.toLowerCase())) &&
      (!cmd || (a.cmd ?? '').toLowerCase().includes(cmd.toLowerCase())) &&
      (!selector || matchesLabels(selector, a.labels)));
    res.type('application/json').send(appListBody(listCache, apps, embeds, (a) => infoContext(ctx, a), (a) => ctx.tracker.revision(a.id)));
  });

  router.post('/v2/apps', async (req, res) => {
    const app = parseAppDefinition(requireBody(req), parseOptions());
    if (ctx.root.app(app.id)) throw new AppExists(app.id);
    assertNoPathConflict(ctx.root.state(), app);
    assertDeploymentCapacity(ctx);
    const plan = await ctx.groups.update((root) => withApp(root, app), { force: queryFlag(req, 'force') });
    const created = ctx.root.app(app.id)!;
    ctx.bus.publish({ eventType: 'api_post_event', clientIp: clientIp(req), uri: req.path, appDefinition: appInfo(ctx, created, new Set()) });
    res.setHeader('Location', `${req.protocol}://${req.get('host') ?? 'localhost'}/v2/apps${created.id}`);
    res.setHeader('Marathon-Deployment-Id', plan.id);
    res.status(201).json({ ...appInfo(ctx, created, new Set(LIST_DEFAULT)), deployments: [{ id: plan.id }] });
  });

  const bulk = (partial: boolean) => async (req: Request, res: Response) => {
    if (!Array.isArray(requireBody(req))) throw new ValidationFailed('Invalid JSON', [{ path: '/', errors: ['error.expected.jsarray'] }]);
    const apps = (req.body as unknown[]).map((body, n) => {
      const id = typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'string' ? (body as { id: string }).id : undefined;
      const existing = id ? ctx.root.app(appIdOf(id.split('/'))) : undefined;
      try {
        return parseAppDefinition(body, parseOptions(partial && existing ? { existing } : {}));
      } catch (err) {
        if (err instanceof ValidationFailed) throw new ValidationFailed(err.message as 'Object is not valid', err.details.map((d) => ({ path: `/(${n})${d.path === '/' ? '' : d.path}`, errors: d.errors })));
        throw err;
      }
    });
    for (const app of apps) assertNoPathConflict(ctx.root.state(), app);
    assertDeploymentCapacity(ctx);
    const plan = await ctx.groups.update((root) => apps.reduce(withApp, root), { force: queryFlag(req, 'force') });
    for (const app of apps) ctx.bus.publish({ eventType: 'api_post_event', clientIp: clientIp(req), uri: req.path, appDefinition: appInfo(ctx, ctx.root.app(app.id)!, new Set()) });
    sendDeploymentResult(res, plan);
  };
  router.put('/v2/apps', bulk(true));
  router.patch('/v2/apps', bulk(true));

  router.use(appTaskRoutes(ctx));

  router.get('/v2/apps/*path', (req, res) => {
    const segments = (req.params as { path: string[] }).path;
    const last = segments[segments.length - 1];
    if (last === 'versions' || segments[segments.length - 2] === 'versions') return versions(ctx, segments, res);
    if (last === '*') {
      const group = appIdOf(segments.slice(0, -1));
      const embeds = new Set<AppEmbed>([...parseEmbeds(queryList(req, 'embed'), 'apps'), ...LIST_DEFAULT]);
      const below = ctx.root.allApps().filter((a) => group === '/' || a.id.startsWith(`${group}/`));
      res.json({ '*': below.map((a) => appInfo(ctx, a, embeds)) });
      return;
    }
    const id = appIdOf(segments);
    const app = ctx.root.app(id);
    if (!app) throw new UnknownApp(id);
    const embeds = new Set<AppEmbed>([...parseEmbeds(queryList(req, 'embed'), 'app'), ...SINGLE_DEFAULT]);
    res.json({ app: appInfo(ctx, app, embeds) });
  });

  const update = (patch: boolean) => async (req: Request, res: Response) => {
    const id = appIdOf((req.params as { path: string[] }).path);
    const existing = ctx.root.app(id);
    if (patch && !existing) throw new UnknownApp(id);
    const partial = patch || !queryFlag(req, 'partialUpdate', true) ? patch : true;
    // Lenient extension: a body that carries the app's current version (GET → PUT) is an update, not a rollback.
    const body = stripCurrentVersion(requireBody(req), existing);
    const parsed = parseAppUpdate(body, parseOptions({ idFromUrl: id, ...(partial && existing ? { existing } : {}) }));
    let app: AppDefinition;
    if (parsed.kind === 'rollback') {
      const old = await ctx.root.versionOf(id, parsed.version);
      if (!old) throw new UnknownApp(id, parsed.version);
      app = old;
    } else app = parsed.app;
    assertNoPathConflict(ctx.root.state(), app);
    assertDeploymentCapacity(ctx);
    const plan = await ctx.groups.update((root) => withApp(root, { ...app, id }), { force: queryFlag(req, 'force') });
    ctx.bus.publish({ eventType: 'api_post_event', clientIp: clientIp(req), uri: req.path, appDefinition: appInfo(ctx, ctx.root.app(id)!, new Set()) });
    if (!existing) res.setHeader('Location', `${req.protocol}://${req.get('host') ?? 'localhost'}/v2/apps${id}`);
    sendDeploymentResult(res, plan, existing ? 200 : 201);
  };
  router.put('/v2/apps/*path', update(false));
  router.patch('/v2/apps/*path', update(true));

  router.delete('/v2/apps/*path', async (req, res) => {
    const id = appIdOf((req.params as { path: string[] }).path);
    if (!ctx.root.app(id)) throw new UnknownApp(id);
    // Marathon 1.4–1.10 deletes with force unless told otherwise.
    const plan = await ctx.groups.update((root) => ({ groups: root.groups, apps: root.apps.filter((a) => a.id !== id) }), { force: queryFlag(req, 'force', true) });
    sendDeploymentResult(res, plan);
  });

  router.post('/v2/apps/*path', async (req, res) => {
    const segments = (req.params as { path: string[] }).path;
    if (segments[segments.length - 1] !== 'restart') throw new UnknownApp(appIdOf(segments));
    const id = appIdOf(segments.slice(0, -1));
    if (!ctx.root.app(id)) throw new UnknownApp(id);
    assertDeploymentCapacity(ctx);
    const plan = await ctx.groups.update((root) => root, { force: queryFlag(req, 'force'), restart: [id] });
    sendDeploymentResult(res, plan);
  });
  return router;
}

async function versions(ctx: ApiContext, segments: readonly string[], res: Response): Promise<void> {
  const at = segments.lastIndexOf('versions');
  const id = appIdOf(segments.slice(0, at));
  if (!ctx.root.app(id)) throw new UnknownApp(id);
  const version = segments[at + 1];
  if (version === undefined) {
    res.json({ versions: await ctx.root.appVersions(id) });
    return;
  }
  const app = await ctx.root.versionOf(id, version);
  if (!app) throw new UnknownApp(id, version);
  res.json(appDefinitionJson(app));
}

function stripCurrentVersion(body: unknown, existing: AppDefinition | undefined): unknown {
  if (!existing || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { version, ...rest } = body as Record<string, unknown>;
  const otherKeys = Object.keys(rest).filter((k) => k !== 'id');
  return version === existing.version && otherKeys.length > 0 ? rest : body;
}
