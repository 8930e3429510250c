// Running deployments: the apps each one affects (linked), step n of m with a progress bar, the
// actions of the current step; "Roll back" (DELETE /v2/deployments/{id}: Marathon starts a
// deployment back to the previous definitions) and "Force cancel" (?force=true: stops it where it
// is, without rolling back), each asked first. Live from the event stream.
import { useState } from 'preact/hooks';
import { deploymentProgress, type DeploymentView } from '../model/deployments';
import { formatAge } from '../model/format';
import { appHref } from '../model/routes';
import { recordOf, stringOf } from '../model/wire-read';
import { ConfirmButton } from './confirm-button';
import { useDeployments } from './deployments-feed';
import type { LiveStore } from './live-store';
import { requestJson } from './marathon-client';
import { Link } from './router';
import { useNow } from './use-store';

interface Outcome {
  readonly ok: boolean;
  readonly message: string;
}

async function cancelDeployment(id: string, force: boolean): Promise<Outcome> {
  const answer = await requestJson('DELETE', `/v2/deployments/${encodeURIComponent(id)}${force ? '?force=true' : ''}`);
  if (answer.ok) return { ok: true, message: force ? `Cancelled ${id} without rolling back` : `Rolling back ${id}` };
  return { ok: false, message: stringOf(recordOf(answer.body).message, `Marathon answered ${answer.status}`) };
}

export function DeploymentsPage({ store }: { readonly store: LiveStore }) {
  const feed = useDeployments(store);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const cancel = async (id: string, force: boolean) => {
    setOutcome(await cancelDeployment(id, force));
    feed.refresh();
  };
  const { running, loaded } = feed.state;
  return (
    <section class="deployments-page" aria-labelledby="deployments-title">
      <div class="page-head">
        <h1 id="deployments-title">Deployments</h1>
        <span class="muted" id="deployments-count" data-count={running.length}>{loaded ? `${running.length} running` : 'Loading…'}</span>
      </div>
      {outcome && <div class={`outcome ${outcome.ok ? 'ok' : 'error'}`} role="status" id="deployment-outcome">{outcome.message}</div>}
      {feed.error && <p class="outcome error" role="alert">{feed.error}</p>}
      {loaded && running.length === 0 && <p class="muted" id="deployments-empty">No deployments are running.</p>}
      {running.length > 0 && (
        <table class="deployments" id="deployments-table">
          <thead>
            <tr>
              <th scope="col">Apps</th><th scope="col">Progress</th><th scope="col">Current step</th>
              <th scope="col" class="wide-only">Started</th><th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>{running.map((d) => <DeploymentRow key={d.id} deployment={d} cancel={cancel} />)}</tbody>
        </table>
      )}
    </section>
  );
}

function DeploymentRow({ deployment: d, cancel }: { readonly deployment: DeploymentView; readonly cancel: (id: string, force: boolean) => Promise<void> }) {
  const now = useNow(10_000);
  const progress = deploymentProgress(d);
  const apps = d.affectedApps.join(', ');
  return (
    <tr class="deployment-row" data-deployment-id={d.id} data-step={d.currentStep} data-total-steps={d.totalSteps}>
      <th scope="row">
        {d.affectedApps.map((app) => <Link key={app} href={appHref(app)} class="affected-app">{app}</Link>)}
        <div class="muted deployment-id">{d.id}</div>
      </th>
      <td>
        <span class="step-label">{progress.label}</span>
        <progress class="deployment-progress" max={Math.max(progress.total, 1)} value={progress.done} aria-label={`Deployment ${d.id}: ${progress.label}`} />
      </td>
      <td class="current-actions">
        {d.currentActions.length === 0 ? <span class="muted">—</span> : (
          <ul>{d.currentActions.map((a) => (
            <li key={`${a.action}${a.app}`}>{a.action} <Link href={appHref(a.app)}>{a.app}</Link>{a.readinessResults > 0 && <span class="muted"> · {a.readinessResults} readiness results</span>}</li>
          ))}</ul>
        )}
      </td>
      <td class="wide-only" title={d.version}>{formatAge(d.version, now) || d.version}</td>
      <td class="row-actions">
        <ConfirmButton small label="Roll back" confirmLabel="Roll back"
          question={<>Roll back deployment <b>{d.id}</b>? Marathon starts a new deployment that returns {apps} to their previous definitions.</>}
          onConfirm={() => void cancel(d.id, false)} />
        <ConfirmButton small danger label="Force cancel" confirmLabel="Force cancel"
          question={<>Cancel deployment <b>{d.id}</b> where it is, without rolling back? {apps} may be left half changed.</>}
          onConfirm={() => void cancel(d.id, true)} />
      </td>
    </tr>
  );
}
