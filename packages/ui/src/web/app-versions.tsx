// An app's stored versions (GET /v2/apps/{id}/versions, newest first): pick any two to see what
// changed between them, field by field; roll back to one (PUT {"version": …}), asked first. The
// list is read again whenever the app's version changes (an edit, a rollback, a scale).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppSummary } from '../model/marathon-wire';
import { diffDefinitions, formatDiffValue, type FieldChange } from '../model/version-diff';
import { arrayOf, isRecord, recordOf, stringOf } from '../model/wire-read';
import { ConfirmButton } from './confirm-button';
import { appPath, requestJson } from './marathon-client';

type Definition = Readonly<Record<string, unknown>>;

export function AppVersions({ app, rollBack }: { readonly app: AppSummary; readonly rollBack: (version: string) => void }) {
  const [versions, setVersions] = useState<readonly string[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  useEffect(() => {
    let current = true;
    void requestJson('GET', `${appPath(app.id)}/versions`).then((answer) => {
      if (!current) return;
      if (!answer.ok) return setError(stringOf(recordOf(answer.body).message, `Marathon answered ${answer.status}`));
      const list = arrayOf(recordOf(answer.body).versions).map((v) => stringOf(v)).filter(Boolean).sort().reverse();
      setVersions(list);
      setError(undefined);
      // Newest against the one before it, until the user picks others (kept while they still exist).
      setTo((picked) => (list.includes(picked) ? picked : list[0] ?? ''));
      setFrom((picked) => (list.includes(picked) ? picked : list[1] ?? list[0] ?? ''));
    });
    return () => {
      current = false;
    };
  }, [app.id, app.version]);

  return (
    <section class="versions" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      {error && <p class="outcome error" role="alert">{error}</p>}
      {!versions ? <p class="muted">Loading…</p> : (
        <>
          <table class="versions-table" id="versions-table">
            <thead><tr><th scope="col">Version</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v} class="version-row" data-version={v}>
                  <th scope="row">{v}{v === app.version && <span class="label current">current</span>}</th>
                  <td class="row-actions">
                    {v !== app.version && (
                      <ConfirmButton small label="Roll back to this version" confirmLabel="Roll back"
                        question={<>Roll <b>{app.id}</b> back to the definition of <b>{v}</b>? Marathon deploys it as a new version.</>}
                        onConfirm={() => rollBack(v)} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {versions.length > 1 && (
            <div class="compare" role="group" aria-label="Compare two versions">
              <label for="diff-from">Compare</label>
              <select id="diff-from" value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
                {versions.map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
              <label for="diff-to">with</label>
              <select id="diff-to" value={to} onChange={(e) => setTo(e.currentTarget.value)}>
                {versions.map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
            </div>
          )}
          {versions.length > 1 && from && to && <VersionDiff appId={app.id} from={from} to={to} />}
        </>
      )}
    </section>
  );
}

function VersionDiff({ appId, from, to }: { readonly appId: string; readonly from: string; readonly to: string }) {
  // A stored version never changes, so each is read once per page.
  const cache = useRef(new Map<string, Definition>());
  const [changes, setChanges] = useState<readonly FieldChange[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let current = true;
    setChanges(undefined);
    const read = async (version: string): Promise<Definition | string> => {
      const cached = cache.current.get(version);
      if (cached) return cached;
      const answer = await requestJson('GET', `${appPath(appId)}/versions/${encodeURIComponent(version)}`);
      if (!answer.ok || !isRecord(answer.body)) return stringOf(recordOf(answer.body).message, `Marathon answered ${answer.status} for version ${version}`);
      cache.current.set(version, answer.body);
      return answer.body;
    };
    void Promise.all([read(from), read(to)]).then(([before, after]) => {
      if (!current) return;
      if (typeof before === 'string' || typeof after === 'string') return setError(typeof before === 'string' ? before : String(after));
      setError(undefined);
      setChanges(diffDefinitions(before, after));
    });
    return () => {
      current = false;
    };
  }, [appId, from, to]);

  if (error) return <p class="outcome error" role="alert">{error}</p>;
  if (!changes) return <p class="muted">Reading both versions…</p>;
  if (changes.length === 0) return <p class="muted" id="diff-empty">{from === to ? 'The same version.' : 'No differences in the definition.'}</p>;
  return (
    <table class="diff" id="version-diff" aria-label={`Changes from ${from} to ${to}`}>
      <thead><tr><th scope="col">Field</th><th scope="col">Change</th><th scope="col">{from}</th><th scope="col">{to}</th></tr></thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path} class={`diff-row diff-${c.kind}`} data-path={c.path} data-kind={c.kind}>
            <th scope="row"><code>{c.path}</code></th>
            <td>{c.kind}</td>
            <td><code>{formatDiffValue(c.before)}</code></td>
            <td><code>{formatDiffValue(c.after)}</code></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
