// App bodies as Marathon processes them: structure (ajv) → deprecated combinations →
// normalisation with defaults → semantic rules and the fields Tepui does not act on yet. Errors
// are Marathon's 422 bodies naming each field.
import type { AppDefinition } from '@tepui/protocol';
import { ValidationFailed } from '../errors';
import { appDefinitionJson } from './app-json';
import { addDetail, appRuleErrors } from './app-rules';
import { assertAppStructure } from './app-schema';
import { normalizeApp, type AppInput } from './normalize-app';
import { unsupportedFieldErrors } from './unsupported';

export interface AppParseOptions {
  /** Group that relative ids resolve against (default `/`). */
  readonly base?: string;
  /** PUT /v2/apps/{id}: the URL's id wins. */
  readonly idFromUrl?: string;
  /** Partial update: the body's fields are merged onto this app first. */
  readonly existing?: AppDefinition;
  readonly features?: ReadonlySet<string>;
  readonly defaultRole?: string;
}

/** What GET adds; clients send it back and Marathon ignores it. */
const READ_ONLY = ['tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'deployments', 'tasks', 'lastTaskFailure', 'taskStats', 'tasksStats', 'readinessCheckResults', 'versionInfo'];

function withPrefix(err: unknown, prefix: string): never {
  if (err instanceof ValidationFailed && prefix) {
    throw new ValidationFailed(err.message as 'Invalid JSON', err.details.map((d) => ({ path: d.path === '/' ? prefix : `${prefix}${d.path}`, errors: d.errors })));
  }
  throw err;
}

/** The existing app's fields under the body's, minding fields whose deprecated spelling the body uses. */
function merge(existing: AppDefinition, body: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...appDefinitionJson(existing), ...body };
  delete merged.version;
  if ('ports' in body) delete merged.portDefinitions;
  if ('uris' in body) delete merged.fetch;
  const docker = (body.container as { docker?: { network?: unknown } } | undefined)?.docker;
  if ((docker?.network !== undefined || 'ipAddress' in body) && !('networks' in body)) delete merged.networks;
  if (!('portDefinitions' in body) && !('ports' in body) && ('networks' in body || docker?.network !== undefined)) delete merged.portDefinitions;
  return merged;
}

export function parseAppDefinition(body: unknown, opts: AppParseOptions = {}, pathPrefix = ''): AppDefinition {
  try {
    assertAppStructure(body);
    const raw = { ...(body as Record<string, unknown>) };
    for (const key of READ_ONLY) delete raw[key];
    const input = (opts.existing ? merge(opts.existing, raw) : raw) as AppInput;
    if (input.id === undefined && opts.idFromUrl === undefined) throw new ValidationFailed('Invalid JSON', [{ path: '/id', errors: ['error.path.missing'] }]);
    const app = normalizeApp(input, { base: opts.base ?? '/', ...(opts.idFromUrl ? { idFromUrl: opts.idFromUrl } : {}), defaultRole: opts.defaultRole ?? '*' });
    const features = opts.features ?? new Set<string>();
    const details = appRuleErrors(app, features);
    for (const d of unsupportedFieldErrors(input, app, { role: opts.defaultRole ?? '*', features })) for (const e of d.errors) addDetail(details, d.path, e);
    if (details.length > 0) throw new ValidationFailed('Object is not valid', details);
    return app;
  } catch (err) {
    return withPrefix(err, pathPrefix);
  }
}

export function parseAppUpdate(body: unknown, opts: AppParseOptions = {}): { kind: 'rollback'; version: string } | { kind: 'update'; app: AppDefinition } {
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'version' in body) {
    const { version, ...rest } = body as Record<string, unknown>;
    const others = Object.keys(rest).filter((k) => k !== 'id' && !READ_ONLY.includes(k));
    if (others.length > 0) throw new ValidationFailed('Object is not valid', [{ path: '/', errors: ["The 'version' field may only be combined with the 'id' field."] }]);
    if (typeof version !== 'string' || Number.isNaN(Date.parse(version))) throw new ValidationFailed('Invalid JSON', [{ path: '/version', errors: ['error.expected.jsstring'] }]);
    return { kind: 'rollback', version: new Date(Date.parse(version)).toISOString() };
  }
  return { kind: 'update', app: parseAppDefinition(body, opts) };
}
