// Group bodies (PUT/POST /v2/groups, Marathon's GroupUpdate): `{version}` rolls back, `{scaleBy}`
// scales, anything else is a definition whose nested groups and apps are flattened with absolute
// ids. Every field of the wrong type, and every field Tepui does not act on, is a 422 naming it.
import type { AppDefinition } from '@tepui/protocol';
import { ValidationFailed } from '../errors';
import { resolvePath } from '../groups/group-tree';
import { addDetail, idErrors, type Details } from './app-rules';
import { parseAppDefinition, type AppParseOptions } from './app-body';
import { notYet } from './unsupported';

export type GroupUpdate =
  | { kind: 'rollback'; version: string }
  | { kind: 'scale'; scaleBy: number }
  | { kind: 'definition'; id: string; apps: AppDefinition[]; groups: Array<{ id: string; dependencies: string[] }> };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function parseGroupUpdate(body: unknown, groupId: string, opts: Pick<AppParseOptions, 'features' | 'defaultRole'> = {}): GroupUpdate {
  if (!isObject(body)) throw new ValidationFailed('Invalid JSON', [{ path: '/', errors: ['error.expected.jsobject'] }]);
  if (body.version !== undefined) {
    if (typeof body.version !== 'string' || Number.isNaN(Date.parse(body.version))) throw new ValidationFailed('Invalid JSON', [{ path: '/version', errors: ['error.expected.jsstring'] }]);
    return { kind: 'rollback', version: new Date(Date.parse(body.version)).toISOString() };
  }
  if (body.scaleBy !== undefined) {
    if (typeof body.scaleBy !== 'number' || !(body.scaleBy >= 0)) throw new ValidationFailed('Invalid JSON', [{ path: '/scaleBy', errors: ['error.expected.jsnumber'] }]);
    return { kind: 'scale', scaleBy: body.scaleBy };
  }
  const apps: AppDefinition[] = [];
  const groups: Array<{ id: string; dependencies: string[] }> = [];
  const details: Details = [];
  const add = (path: string, error: string): void => addDetail(details, path, error);
  const list = (g: Record<string, unknown>, key: string, path: string): unknown[] => {
    const value = g[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    add(`${path}/${key}`, 'error.expected.jsarray');
    return [];
  };
  const walk = (g: Record<string, unknown>, id: string, path: string): void => {
    if (g.id !== undefined && typeof g.id !== 'string') add(`${path}/id`, 'error.expected.jsstring');
    for (const e of idErrors(id === '/' ? '/x' : id)) add(`${path}/id`, e);
    const deps = list(g, 'dependencies', path);
    deps.forEach((d, n) => typeof d !== 'string' && add(`${path}/dependencies(${n})`, 'error.expected.jsstring'));
    groups.push({ id, dependencies: deps.filter((d): d is string => typeof d === 'string').map((d) => resolvePath(d, id)) });
    if (g.enforceRole !== undefined && typeof g.enforceRole !== 'boolean') add(`${path}/enforceRole`, 'error.expected.jsboolean');
    if (g.enforceRole === true) add(`${path}/enforceRole`, notYet('group roles (enforceRole)', 'offers are matched under --mesos_role only'));
    if (list(g, 'pods', path).length > 0) add(`${path}/pods`, notYet('pods'));
    list(g, 'apps', path).forEach((app, n) => {
      try {
        const parsed = parseAppDefinition(app, { ...opts, base: id }, `${path}/apps(${n})`);
        if (!parsed.id.startsWith(`${id === '/' ? '' : id}/`)) add(`${path}/apps(${n})/id`, `App ${parsed.id} is not a member of group ${id}`);
        apps.push(parsed);
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err;
        for (const d of err.details) for (const e of d.errors) add(d.path, e);
      }
    });
    list(g, 'groups', path).forEach((child, n) => {
      const at = `${path}/groups(${n})`;
      if (!isObject(child)) add(at, 'error.expected.jsobject');
      else if (typeof child.id !== 'string') add(`${at}/id`, child.id === undefined ? 'error.path.missing' : 'error.expected.jsstring');
      else walk(child, resolvePath(child.id, id), at);
    });
  };
  walk(body, groupId, '');
  if (details.length > 0) throw new ValidationFailed('Object is not valid', details);
  return { kind: 'definition', id: groupId, apps, groups };
}
