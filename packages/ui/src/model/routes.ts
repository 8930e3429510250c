// The UI's URLs, so every page is a link: /ui/ (apps, filter in the query), /ui/apps/<app id>
// (an app; its id keeps its slashes), /ui/create (the create form), /ui/apps/<app id>/edit (the
// edit form: a trailing /edit names the form, as Marathon's /v2/apps/<id>/restart names an action),
// /ui/deployments (running deployments), /ui/cluster (the Mesos cluster: agents, roles, frameworks).
import { parseAppFilter, type AppFilter } from './app-filter';

export const UI_BASE = '/ui';

export type Route =
  | { readonly page: 'apps'; readonly filter: AppFilter }
  | { readonly page: 'app'; readonly appId: string }
  | { readonly page: 'create' }
  | { readonly page: 'edit'; readonly appId: string }
  | { readonly page: 'deployments' }
  | { readonly page: 'cluster' }
  | { readonly page: 'not-found'; readonly path: string };

export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.startsWith(`${UI_BASE}/`) ? pathname.slice(UI_BASE.length) : pathname === UI_BASE ? '/' : pathname;
  if (path === '/' || path === '') return { page: 'apps', filter: parseAppFilter(search) };
  if (path === '/create' || path === '/create/') return { page: 'create' };
  if (path === '/deployments' || path === '/deployments/') return { page: 'deployments' };
  if (path === '/cluster' || path === '/cluster/') return { page: 'cluster' };
  if (path.startsWith('/apps/')) {
    const parts = path.slice('/apps/'.length).split('/').filter(Boolean).map(safeDecode);
    if (parts.length > 1 && parts[parts.length - 1] === 'edit') return { page: 'edit', appId: `/${parts.slice(0, -1).join('/')}` };
    if (parts.length > 0) return { page: 'app', appId: `/${parts.join('/')}` };
  }
  return { page: 'not-found', path };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a malformed escape is kept as typed, and the app lookup will say it is unknown
  }
}

export function appHref(appId: string): string {
  return `${UI_BASE}/apps/${appId.split('/').filter(Boolean).map(encodeURIComponent).join('/')}`;
}

export function appsHref(query = ''): string {
  return `${UI_BASE}/${query}`;
}

export const CREATE_HREF = `${UI_BASE}/create`;

export const DEPLOYMENTS_HREF = `${UI_BASE}/deployments`;

export const CLUSTER_HREF = `${UI_BASE}/cluster`;

export function editHref(appId: string): string {
  return `${appHref(appId)}/edit`;
}
