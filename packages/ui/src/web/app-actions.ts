// What the app page's buttons send. Each answers Marathon's reply as a short message; a 409 (the
// app is locked by a deployment) offers to send again with ?force=true, as Marathon's UI does.
import { recordOf, stringOf } from '../model/wire-read';
import { appPath, requestJson, type Answer } from './marathon-client';

export interface ActionOutcome {
  readonly ok: boolean;
  readonly message: string;
  /** Set on a 409: the same request with ?force=true. */
  readonly force?: () => Promise<ActionOutcome>;
}

async function run(describe: string, send: (force: boolean) => Promise<Answer>, force = false): Promise<ActionOutcome> {
  const answer = await send(force);
  if (answer.ok) return { ok: true, message: describe };
  const message = stringOf(recordOf(answer.body).message, `Marathon answered ${answer.status}`);
  if (answer.status === 409 && !force) return { ok: false, message, force: () => run(describe, send, true) };
  return { ok: false, message };
}

const forceQuery = (force: boolean): string => (force ? '?force=true' : '');

export const appActions = {
  scale: (appId: string, instances: number) =>
    run(`Scaling to ${instances} instances`, (force) => requestJson('PUT', `${appPath(appId)}${forceQuery(force)}`, { instances })),
  restart: (appId: string) =>
    run('Restarting', (force) => requestJson('POST', `${appPath(appId)}/restart${forceQuery(force)}`)),
  /** Marathon's rollback: PUT the app with only `version`, which restores that stored definition. */
  rollback: (appId: string, version: string) =>
    run(`Rolling back to ${version}`, (force) => requestJson('PUT', `${appPath(appId)}${forceQuery(force)}`, { version })),
  destroy: (appId: string) =>
    run('Destroying', (force) => requestJson('DELETE', `${appPath(appId)}${forceQuery(force)}`)),
  killTask: (appId: string, taskId: string, scale: boolean) =>
    run(scale ? `Killing ${taskId} and scaling down` : `Killing ${taskId}; Marathon replaces it`, (force) => {
      const query = new URLSearchParams();
      if (scale) query.set('scale', 'true');
      if (force) query.set('force', 'true');
      const text = query.toString();
      return requestJson('DELETE', `${appPath(appId)}/tasks/${encodeURIComponent(taskId)}${text ? `?${text}` : ''}`);
    }),
};
