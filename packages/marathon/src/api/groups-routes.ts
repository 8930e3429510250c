// /v2/groups (reference §2.3): the tree, create, update (definition, scaleBy, version rollback),
// delete, versions. A group definition replaces everything below the group; `?dryRun=true` answers
// the deployment steps it would take and changes nothing.
import { Router, type Request, type Response } from 'express';
import type { AppDefinition } from '@tepui/protocol';
import { stepJson, type RootState } from '../deployment';
import { GroupExists, UnknownGroup, ValidationFailed } from '../errors';
import { buildGroupTree, findGroup, type GroupNode } from '../groups/group-tree';
import { parseGroupUpdate } from '../validation';
import { MAX_INT32 } from '../validation/app-schema';
import type { ApiContext } from './api-context';
import { appInfo } from './apps-routes';
import { parseEmbeds, type AppEmbed } from './app-info';
import { appIdOf, assertDeploymentCapacity, queryFlag, queryList, requireBody, sendDeploymentResult } from './http-helpers';

const below = (id: string, groupId: string): boolean => groupId === '/' || id === groupId || id.startsWith(`${groupId}/`);

function groupJson(ctx: ApiContext, node: GroupNode, embeds: { groups: boolean; apps: boolean; app: ReadonlySet<AppEmbed> }): Record<string, unknown> {
  return {
    id: node.id,
    apps: embeds.apps ? node.apps.map((a) => appInfo(ctx, a, embeds.app)) : [],
    groups: embeds.groups ? node.groups.map((g) => groupJson(ctx, g, embeds)) : [],
    pods: [],
    dependencies: node.dependencies,
    version: node.version,
  };
}

export function groupsRoutes(ctx: ApiContext): Router {
  const router = Router();
  const tree = (): GroupNode => buildGroupTree(ctx.root.allApps(), ctx.root.groups(), ctx.root.version);

  const get = async (req: Request, res: Response): Promise<void> => {
    const segments = (req.params as { path?: string[] }).path ?? [];
    const at = segments.lastIndexOf('versions');
    if (at >= 0 && at >= segments.length - 2) {
      const id = appIdOf(segments.slice(0, at));
      if (!findGroup(tree(), id)) throw new UnknownGroup(id);
      const version = segments[at + 1];
      if (version === undefined) {
        res.json(ctx.root.groupVersions());
        return;
      }
      const state = await ctx.root.stateAt(version);
      const node = state && findGroup(buildGroupTree(state.apps, state.groups.map((g) => ({ ...g, version })), version), id);
      if (!node) throw new UnknownGroup(id, version);
      res.json(groupJson(ctx, node, { groups: true, apps: true, app: new Set() }));
      return;
    }
    const appsOnly = segments[segments.length - 1] === 'apps';
    const id = appIdOf(appsOnly ? segments.slice(0, -1) : segments);
    const node = findGroup(tree(), id);
    if (!node) throw new UnknownGroup(id);
    const embed = queryList(req, 'embed');
    const app = new Set<AppEmbed>([...parseEmbeds(embed, 'group.apps'), 'counts', 'deployments']);
    if (appsOnly) {
      res.json({ apps: node.apps.map((a) => appInfo(ctx, a, app)) });
      return;
    }
    const explicit = embed.some((e) => e.startsWith('group.groups') || e.startsWith('group.apps') || e.startsWith('group.pods'));
    res.json(groupJson(ctx, node, { groups: !explicit || embed.includes('group.groups'), apps: !explicit || embed.some((e) => e.startsWith('group.apps')), app }));
  };
  router.get('/v2/groups', get);
  router.get('/v2/groups/*path', get);

  const change = (create: boolean) => async (req: Request, res: Response): Promise<void> => {
    const segments = (req.params as { path?: string[] }).path ?? [];
    const bodyId = typeof (req.body as { id?: unknown } | undefined)?.id === 'string' ? String((req.body as { id: string }).id) : undefined;
    const id = segments.length > 0 ? appIdOf(segments) : bodyId && bodyId.startsWith('/') ? bodyId : appIdOf((bodyId ?? '').split('/'));
    const update = parseGroupUpdate(requireBody(req), id, ctx.parseOptions);
    const exists = findGroup(tree(), id) !== undefined && (id === '/' || ctx.root.groups().some((g) => g.id === id) || ctx.root.allApps().some((a) => below(a.id, id)));
    if (create && exists && id !== '/') throw new GroupExists(id);
    let target: (root: RootState) => RootState;
    if (update.kind === 'rollback') {
      const state = await ctx.root.stateAt(update.version);
      if (!state) throw new ValidationFailed('Object is not valid', [{ path: '/version', errors: [`Group ${id} has no version ${update.version}`] }]);
      target = (root) => replaceBelow(root, id, state.apps.filter((a) => below(a.id, id)), state.groups.filter((g) => below(g.id, id)));
    } else if (update.kind === 'scale') {
      if (!exists) throw new UnknownGroup(id);
      const scaled = (a: AppDefinition): number => Math.ceil(a.instances * update.scaleBy);
      const tooMany = ctx.root.allApps().find((a) => below(a.id, id) && scaled(a) > MAX_INT32);
      if (tooMany) throw new ValidationFailed('Object is not valid', [{ path: '/scaleBy', errors: [`would give ${tooMany.id} more than ${MAX_INT32} instances`] }]);
      target = (root) => ({ groups: root.groups, apps: root.apps.map((a) => (below(a.id, id) ? { ...a, instances: scaled(a) } : a)) });
    } else {
      target = (root) => replaceBelow(root, id, update.apps, update.groups);
    }
    if (queryFlag(req, 'dryRun')) {
      // Marathon answers `{"steps": [...]}` and stores, deploys and publishes nothing.
      const preview = await ctx.groups.preview(target, { force: queryFlag(req, 'force') });
      res.json({ steps: preview.steps.map(stepJson) });
      return;
    }
    assertDeploymentCapacity(ctx);
    const plan = await ctx.groups.update(target, { force: queryFlag(req, 'force') });
    if (create || !exists) {
      res.setHeader('Location', `${req.protocol}://${req.get('host') ?? 'localhost'}/v2/groups${id}`);
      sendDeploymentResult(res, plan, 201);
    } else sendDeploymentResult(res, plan);
  };
  router.post('/v2/groups', change(true));
  router.post('/v2/groups/*path', change(true));
  router.put('/v2/groups', change(false));
  router.put('/v2/groups/*path', change(false));

  const remove = async (req: Request, res: Response): Promise<void> => {
    const id = appIdOf((req.params as { path?: string[] }).path ?? []);
    if (!findGroup(tree(), id)) throw new UnknownGroup(id);
    assertDeploymentCapacity(ctx);
    const plan = await ctx.groups.update((root) => replaceBelow(root, id, [], [], id !== '/'), { force: queryFlag(req, 'force') });
    sendDeploymentResult(res, plan);
  };
  router.delete('/v2/groups', remove);
  router.delete('/v2/groups/*path', remove);
  return router;
}

/** Everything at or below `groupId` replaced by the given apps and groups. */
function replaceBelow(root: RootState, groupId: string, apps: readonly AppDefinition[], groups: ReadonlyArray<{ readonly id: string; readonly dependencies: readonly string[] }>, dropGroup = false): RootState {
  const keepGroup = (g: { id: string }): boolean => !below(g.id, groupId) || (g.id === groupId && !dropGroup && !groups.some((n) => n.id === groupId));
  return {
    apps: [...root.apps.filter((a) => !below(a.id, groupId)), ...apps],
    groups: [...root.groups.filter(keepGroup), ...groups],
  };
}
