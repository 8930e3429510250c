// The apps page: the group tree as folders, each app's status and instances against its target,
// cpus/mem and labels; filters by id, label and status live in the URL.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatAppFilter, formatLabelSelector, parseLabelSelector, type AppFilter, type LabelSelector } from '../model/app-filter';
import { buildAppListView, type AppRow, type GroupRow } from '../model/app-list';
import { APP_STATUSES, STATUS_LABELS, type AppStatus } from '../model/app-status';
import { formatMem, formatNumber } from '../model/format';
import { appHref, appsHref, CREATE_HREF } from '../model/routes';
import type { LiveStore } from './live-store';
import { Link, navigate } from './router';
import { StatusBadge } from './status-badge';
import { useProgressiveRows } from './use-progressive-rows';
import { useStoreRevision } from './use-store';

/** Marked once the first loaded list has been painted: what tests and the benchmark call interactive. */
export const APPS_INTERACTIVE_MARK = 'tepui:apps-interactive';

const labelsText = (labels: readonly LabelSelector[]): string => labels.map(formatLabelSelector).join(', ');
const parseLabels = (text: string): LabelSelector[] => text.split(',').map(parseLabelSelector).filter((s): s is LabelSelector => s !== undefined);

export function AppsPage({ store, filter }: { readonly store: LiveStore; readonly filter: AppFilter }) {
  const revision = useStoreRevision(store);
  const view = useMemo(() => buildAppListView(store.apps.values(), store.queue, filter, store.groupIds), [revision, filter]);
  const shownRows = useProgressiveRows(view.apps.length, filter);
  // The same element objects from slice to slice: Preact skips an element it rendered before, so
  // each slice costs only its new rows.
  const appLines = useMemo(() => view.apps.map((row) => <AppLine key={row.id} row={row} />), [view]);
  const [labelInput, setLabelInput] = useState(labelsText(filter.labels));
  const search = useRef<HTMLInputElement>(null);
  const setFilter = (next: AppFilter) => navigate(appsHref(formatAppFilter(next)), { replace: true });
  const toggleStatus = (status: AppStatus) =>
    setFilter({ ...filter, statuses: filter.statuses.includes(status) ? filter.statuses.filter((s) => s !== status) : [...filter.statuses, status] });

  useEffect(() => {
    // Effects run after the browser painted, with the page's handlers attached.
    if (store.loaded && performance.getEntriesByName(APPS_INTERACTIVE_MARK).length === 0) performance.mark(APPS_INTERACTIVE_MARK);
  }, [store.loaded]);

  useEffect(() => {
    // "/" jumps to the search box, as on GitHub and in Nomad's UI.
    const onKey = (event: KeyboardEvent) => {
      const target = event.target;
      if (event.key !== '/' || (target instanceof HTMLElement && target.closest('input, textarea, select'))) return;
      event.preventDefault();
      search.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <section class="apps-page" aria-labelledby="apps-title">
      <div class="page-head">
        <h1 id="apps-title">Applications</h1>
        <Link class="button primary" href={CREATE_HREF}>Create app</Link>
      </div>
      <div class="filters" role="search">
        <label>
          <span>Id</span>
          <input ref={search} id="app-search" type="search" placeholder="part of an app id (press /)" value={filter.text}
            onInput={(e) => setFilter({ ...filter, text: e.currentTarget.value })} />
        </label>
        <label>
          <span>Labels</span>
          <input id="label-filter" type="search" placeholder="key or key=value, comma-separated" value={labelInput}
            onInput={(e) => {
              setLabelInput(e.currentTarget.value);
              setFilter({ ...filter, labels: parseLabels(e.currentTarget.value) });
            }} />
        </label>
        <div class="status-filter" role="group" aria-label="Status">
          {APP_STATUSES.map((status) => (
            <button type="button" key={status} class={`chip status-${status}`} aria-pressed={filter.statuses.includes(status)} data-status-filter={status}
              onClick={() => toggleStatus(status)}>
              {STATUS_LABELS[status]} <span class="count">{view.statusCounts[status]}</span>
            </button>
          ))}
        </div>
      </div>
      <nav class="breadcrumbs" aria-label="Group">
        {view.breadcrumbs.map((b, i) => (
          <span key={b.id}>
            {i > 0 && <span aria-hidden="true"> / </span>}
            {i === view.breadcrumbs.length - 1 ? <span aria-current="page">{b.name}</span> : <Link href={appsHref(formatAppFilter({ ...filter, group: b.id }))}>{b.name}</Link>}
          </span>
        ))}
      </nav>
      {!store.loaded ? (
        <p class="muted">{store.loadError ?? 'Loading apps…'}</p>
      ) : view.groups.length === 0 && view.apps.length === 0 ? (
        <p class="muted" id="apps-empty">{view.total === 0 ? 'No apps here yet.' : 'No app matches the filter.'}</p>
      ) : (
        <table class="apps" id="apps-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Instances</th>
              <th scope="col" class="wide-only">Health</th>
              <th scope="col" class="num wide-only">CPU</th>
              <th scope="col" class="num wide-only">Memory</th>
              <th scope="col" class="wide-only">Labels</th>
            </tr>
          </thead>
          <tbody>
            {view.groups.map((g) => <GroupLine key={g.id} group={g} filter={filter} />)}
            {appLines.slice(0, shownRows)}
          </tbody>
        </table>
      )}
    </section>
  );
}

function GroupLine({ group, filter }: { readonly group: GroupRow; readonly filter: AppFilter }) {
  return (
    <tr class="group-row" data-group-id={group.id}>
      <th scope="row"><Link href={appsHref(formatAppFilter({ ...filter, group: group.id }))}><span aria-hidden="true">▸ </span>{group.name}/</Link> <span class="muted">({group.apps === 0 ? 'no apps' : `${group.apps} app${group.apps === 1 ? '' : 's'}`})</span></th>
      <td>{group.status ? <StatusBadge status={group.status} /> : <span class="muted">—</span>}</td>
      <td class="instances">{group.running} / {group.target}</td>
      <td class="wide-only" />
      <td class="num wide-only">{formatNumber(group.cpusTotal)}</td>
      <td class="num wide-only">{formatMem(group.memTotal)}</td>
      <td class="wide-only" />
    </tr>
  );
}

function AppLine({ row }: { readonly row: AppRow }) {
  return (
    <tr class="app-row" data-app-id={row.id} data-status={row.status}>
      <th scope="row"><Link href={appHref(row.id)}>{row.name}</Link></th>
      <td><StatusBadge status={row.status} /></td>
      <td class="instances" data-running={row.running} data-target={row.target}>
        {row.running} / {row.target}
        {row.staged > 0 && <span class="muted"> ({row.staged} staged)</span>}
      </td>
      <td class="wide-only health">
        {row.healthChecked ? <><span class="healthy">{row.healthy} healthy</span>{row.unhealthy > 0 && <span class="unhealthy">, {row.unhealthy} unhealthy</span>}</> : <span class="muted">no checks</span>}
      </td>
      <td class="num wide-only" title={`${formatNumber(row.cpus)} per instance`}>{formatNumber(row.cpusTotal)}</td>
      <td class="num wide-only" title={`${formatMem(row.mem)} per instance`}>{formatMem(row.memTotal)}</td>
      <td class="wide-only labels">{row.labels.map(([k, v]) => <span class="label" key={k}>{v === '' ? k : `${k}=${v}`}</span>)}</td>
    </tr>
  );
}
