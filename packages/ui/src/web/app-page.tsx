// An app's page: status and counts, scale / restart / suspend / destroy, "why is it waiting"
// from the launch queue, the last task failure, the tasks (host:port links, state, health, start
// time; kill, or kill and scale down) and the definition.
import { useEffect, useState } from 'preact/hooks';
import { appStatus } from '../model/app-status';
import { formatAge, formatMem, formatNumber } from '../model/format';
import type { AppSummary } from '../model/marathon-wire';
import { appsHref, DEPLOYMENTS_HREF, editHref } from '../model/routes';
import { taskRows } from '../model/task-rows';
import { appActions, type ActionOutcome } from './app-actions';
import { AppVersions } from './app-versions';
import { ConfirmButton } from './confirm-button';
import type { LiveStore } from './live-store';
import { Link, navigate } from './router';
import { StatusBadge } from './status-badge';
import { TaskLogPanel } from './task-log';
import { useNow, useStoreRevision } from './use-store';
import { WhyWaitingPanel } from './why-waiting-panel';

const groupOf = (appId: string): string => appId.slice(0, Math.max(1, appId.lastIndexOf('/')));

export function AppPage({ store, appId }: { readonly store: LiveStore; readonly appId: string }) {
  useStoreRevision(store);
  useEffect(() => store.watchApp(appId), [store, appId]);
  const [outcome, setOutcome] = useState<ActionOutcome | undefined>(undefined);
  const app = store.apps.get(appId);
  const act = async (action: Promise<ActionOutcome>, after?: () => void) => {
    const result = await action;
    setOutcome(result);
    store.markStale([appId]);
    if (result.ok) after?.();
  };
  useEffect(() => setOutcome(undefined), [appId]);

  if (!app) {
    return (
      <section class="app-page">
        <p><Link href={appsHref(groupOf(appId) === '/' ? '' : `?group=${encodeURIComponent(groupOf(appId))}`)}>← Applications</Link></p>
        <h1>{appId}</h1>
        <p class="muted" id="app-missing">{store.missing.has(appId) ? 'This app does not exist (any more).' : 'Loading…'}</p>
      </section>
    );
  }
  const queued = store.queue.get(appId);
  const status = appStatus(app, queued);
  return (
    <section class="app-page" aria-labelledby="app-title" data-app-id={appId}>
      <p><Link href={appsHref(groupOf(appId) === '/' ? '' : `?group=${encodeURIComponent(groupOf(appId))}`)}>← Applications</Link></p>
      <div class="page-head">
        <h1 id="app-title">{app.id}</h1>
        <StatusBadge status={status} />
      </div>
      <p class="summary" id="app-summary">
        <span id="app-instances" data-running={app.tasksRunning} data-target={app.instances}>{app.tasksRunning} of {app.instances} running</span>
        {app.tasksStaged > 0 && <>, {app.tasksStaged} staged</>}
        {app.healthCheckCount > 0 && <>, {app.tasksHealthy} healthy, {app.tasksUnhealthy} unhealthy</>}
        {' · '}{formatNumber(app.cpus)} CPU, {formatMem(app.mem)} per instance
        {app.deploymentIds.length > 0 && <> · <Link href={DEPLOYMENTS_HREF} id="app-deploying">deploying</Link></>}
      </p>
      <AppControls app={app} act={act} />
      {outcome && (
        <div class={`outcome ${outcome.ok ? 'ok' : 'error'}`} role="status" id="action-outcome">
          {outcome.message}
          {outcome.force && <button type="button" class="small danger" onClick={() => void act(outcome.force!())}>Force (cancels the running deployment)</button>}
        </div>
      )}
      {queued && <WhyWaitingPanel store={store} app={app} queued={queued} />}
      {app.lastTaskFailure && <LastFailure app={app} />}
      <TaskTable app={app} act={act} />
      <TaskLogPanel tasks={app.tasks ?? []} />
      <AppVersions app={app} rollBack={(version) => void act(appActions.rollback(app.id, version))} />
      <details class="config">
        <summary>Configuration</summary>
        <pre>{JSON.stringify(app.definition, null, 2)}</pre>
      </details>
    </section>
  );
}

type Act = (action: Promise<ActionOutcome>, after?: () => void) => Promise<void>;

function AppControls({ app, act }: { readonly app: AppSummary; readonly act: Act }) {
  const [instances, setInstances] = useState(String(app.instances));
  useEffect(() => setInstances(String(app.instances)), [app.id, app.instances]);
  const target = Number(instances);
  const valid = instances.trim() !== '' && Number.isInteger(target) && target >= 0;
  return (
    <div class="controls">
      <form class="scale" onSubmit={(e) => {
        e.preventDefault();
        if (valid) void act(appActions.scale(app.id, target));
      }}>
        <label for="scale-instances">Instances</label>
        <input id="scale-instances" type="number" min="0" step="1" inputMode="numeric" value={instances} onInput={(e) => setInstances(e.currentTarget.value)} />
        <button type="submit" id="scale-submit" disabled={!valid || target === app.instances}>Scale</button>
      </form>
      <ConfirmButton label="Restart" question={<>Restart every instance of <b>{app.id}</b> (a rolling restart within its upgrade strategy)?</>}
        confirmLabel="Restart" onConfirm={() => void act(appActions.restart(app.id))} />
      <Link href={editHref(app.id)} class="button" id="edit-app">Edit</Link>
      <ConfirmButton label="Suspend" question={<>Scale <b>{app.id}</b> to 0 instances? Its tasks are killed.</>}
        confirmLabel="Suspend" danger disabled={app.instances === 0} onConfirm={() => void act(appActions.scale(app.id, 0))} />
      <ConfirmButton label="Destroy" question={<>Destroy <b>{app.id}</b>? Its tasks are killed and its definition is deleted.</>}
        confirmLabel="Destroy" danger onConfirm={() => void act(appActions.destroy(app.id), () => navigate(appsHref()))} />
    </div>
  );
}

function LastFailure({ app }: { readonly app: AppSummary }) {
  const now = useNow(10_000);
  const failure = app.lastTaskFailure!;
  return (
    <section class="last-failure" aria-labelledby="failure-title">
      <h2 id="failure-title">Last task failure</h2>
      <p><b>{failure.state}</b> {formatAge(failure.timestamp, now)} on {failure.host}: {failure.message || <span class="muted">no message</span>}</p>
      <p class="muted">{failure.taskId} · version {failure.version}</p>
    </section>
  );
}

function TaskTable({ app, act }: { readonly app: AppSummary; readonly act: Act }) {
  const now = useNow(10_000);
  const rows = taskRows(app.tasks ?? [], now);
  return (
    <section aria-labelledby="tasks-title">
      <h2 id="tasks-title">Tasks</h2>
      {rows.length === 0 ? <p class="muted" id="tasks-empty">No tasks.</p> : (
        <table class="tasks" id="tasks-table">
          <thead>
            <tr>
              <th scope="col">Task</th><th scope="col">Host</th><th scope="col">State</th><th scope="col">Health</th>
              <th scope="col">Started</th><th scope="col" class="wide-only">Version</th><th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id} class="task-row" data-task-id={t.id} data-state={t.state}>
                <th scope="row" class="task-id">{t.id}</th>
                <td data-label="Host">{t.links.length === 0 ? t.host : t.links.map((l) => <a key={l.href} href={l.href} target="_blank" rel="noopener">{l.label}</a>)}</td>
                <td data-label="State">{t.state}</td>
                <td data-label="Health" class={`health-${t.health}`}>{t.health === 'none' ? '—' : t.health}</td>
                <td data-label="Started" title={t.startedAt}>{t.started}</td>
                <td class="wide-only muted">{t.version}</td>
                <td class="row-actions">
                  <ConfirmButton small label="Kill" question={<>Kill task <b>{t.id}</b>? Marathon starts a replacement.</>} confirmLabel="Kill" danger
                    onConfirm={() => void act(appActions.killTask(app.id, t.id, false))} />
                  <ConfirmButton small label="Kill & scale" question={<>Kill task <b>{t.id}</b> and scale {app.id} down by one?</>} confirmLabel="Kill and scale" danger
                    onConfirm={() => void act(appActions.killTask(app.id, t.id, true))} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
