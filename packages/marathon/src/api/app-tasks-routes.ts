// Tasks: GET /v2/apps/{id}/tasks, GET /v2/tasks (JSON, or the text/plain lines old HAProxy
// bridges read), and killing: DELETE /v2/apps/{id}/tasks[/{taskId}], POST /v2/tasks/delete.
// Without `scale` a killed task is replaced; with `scale=true` the app shrinks by as many.
import { Router, type Request, type Response } from 'express';
import type { AppDefinition } from '@tepui/protocol';
import { servicePortsOf } from '../core/group-manager';
import { BadRequest, UnknownApp, UnknownTask } from '../errors';
import type { Instance } from '../instances/instance';
import { parseTaskId } from '../instances/instance-ids';
import { taskJson, tasksPlainText } from '../instances/task-json';
import type { ApiContext } from './api-context';
import { appIdOf, assertDeploymentCapacity, queryFlag, queryList, sendDeploymentResult } from './http-helpers';

const wantsText = (req: Request): boolean => req.accepts(['application/json', 'text/plain']) === 'text/plain';

function statusFilter(req: Request): (i: Instance) => boolean {
  const wanted = [...queryList(req, 'status'), ...queryList(req, 'status[]')].map((s) => s.toLowerCase());
  if (wanted.length === 0) return () => true;
  return (i) => (wanted.includes('running') && i.state === 'TASK_RUNNING') || (wanted.includes('staging') && (i.state === 'TASK_STAGING' || i.state === 'TASK_STARTING'));
}

export function appTaskRoutes(ctx: ApiContext): Router {
  const router = Router();
  const taskList = (apps: readonly AppDefinition[], req: Request, res: Response): void => {
    const keep = statusFilter(req);
    if (wantsText(req)) {
      res.type('text/plain').send(tasksPlainText(apps.map((a) => ({ id: a.id, servicePorts: servicePortsOf(a), instances: ctx.tracker.ofApp(a.id).filter(keep) }))));
      return;
    }
    res.json({ tasks: apps.flatMap((a) => ctx.tracker.ofApp(a.id).filter(keep).map((i) => taskJson(i, servicePortsOf(a)))) });
  };

  router.get('/v2/tasks', (req, res) => taskList(ctx.root.allApps(), req, res));

  router.get('/v2/apps/*path', (req, res, next) => {
    const segments = (req.params as { path: string[] }).path;
    if (segments[segments.length - 1] !== 'tasks') return next();
    const id = appIdOf(segments.slice(0, -1));
    const app = ctx.root.app(id);
    if (!app) throw new UnknownApp(id);
    taskList([app], req, res);
  });

  /** Kills instances; with scale, the app's instance count drops by as many in one deployment. */
  const kill = async (req: Request, res: Response, instances: readonly Instance[], single: boolean): Promise<void> => {
    const scale = queryFlag(req, 'scale');
    if (scale && queryFlag(req, 'wipe')) throw new BadRequest('You cannot use scale and wipe at the same time.');
    if (scale) {
      assertDeploymentCapacity(ctx);
      const byApp = new Map<string, string[]>();
      for (const i of instances) byApp.set(i.appId, [...(byApp.get(i.appId) ?? []), i.instanceId]);
      const plan = await ctx.groups.update(
        (root) => ({ groups: root.groups, apps: root.apps.map((a) => (byApp.has(a.id) ? { ...a, instances: Math.max(0, a.instances - byApp.get(a.id)!.length) } : a)) }),
        { force: queryFlag(req, 'force'), toKill: byApp },
      );
      sendDeploymentResult(res, plan);
      return;
    }
    for (const i of instances) ctx.core.kill(i, 'killed through the API');
    const json = instances.map((i) => {
      const app = ctx.root.app(i.appId);
      return taskJson(i, app ? servicePortsOf(app) : []);
    });
    res.json(single ? { task: json[0] } : { tasks: json });
  };

  router.delete('/v2/apps/*path', async (req, res, next) => {
    const segments = (req.params as { path: string[] }).path;
    const at = segments.lastIndexOf('tasks');
    if (at < 0 || at < segments.length - 2) return next();
    const id = appIdOf(segments.slice(0, at));
    if (!ctx.root.app(id)) throw new UnknownApp(id);
    const taskId = segments[at + 1];
    if (taskId !== undefined) {
      const instance = ctx.tracker.byTaskId(taskId) ?? ctx.tracker.get(taskId);
      if (!instance || instance.appId !== id) throw new UnknownTask(taskId);
      return kill(req, res, [instance], true);
    }
    const [host] = queryList(req, 'host');
    const all = ctx.tracker.activeOf(id).filter((i) => host === undefined || host === '*' || i.host === host);
    return kill(req, res, all, false);
  });

  router.post('/v2/tasks/delete', async (req, res) => {
    const ids = (req.body as { ids?: unknown } | undefined)?.ids;
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw new BadRequest('Request body must be {"ids": ["<task id>", ...]}');
    const instances: Instance[] = [];
    for (const taskId of ids as string[]) {
      if (!parseTaskId(taskId)) throw new BadRequest(`Invalid task id '${taskId}'. [${taskId}] is not a valid task id`);
      const instance = ctx.tracker.byTaskId(taskId) ?? ctx.tracker.get(taskId);
      if (instance) instances.push(instance); // unknown ids are skipped, as Marathon does
    }
    return kill(req, res, instances, false);
  });
  return router;
}
