// The cluster page (/ui/cluster): the leading master's agents with used / total resources, its
// frameworks and roles with their DRF dominant shares and weights, outstanding offers, and the
// utilisation of the last minutes. Everything comes through Marathon's proxy of the master and
// is kept current by the master's event stream (see cluster-store.ts).
import { useEffect, useState } from 'preact/hooks';
import { formatShare, SHOWN_RESOURCES, type Amounts, type ClusterView } from '../model/cluster';
import { masterBannerText } from '../model/cluster-live';
import { formatMem, formatNumber } from '../model/format';
import { ClusterStore } from './cluster-store';
import { UtilisationChart } from './utilisation-chart';

const RESOURCE_LABELS: Readonly<Record<(typeof SHOWN_RESOURCES)[number], string>> = { cpus: 'CPUs', mem: 'Memory', disk: 'Disk', ports: 'Ports' };

function amount(name: string, value: number): string {
  return name === 'mem' || name === 'disk' ? formatMem(value) : formatNumber(value);
}

function UsedOfTotal({ name, used, total }: { readonly name: string; readonly used: Amounts; readonly total: Amounts }) {
  const u = used[name] ?? 0;
  const t = total[name] ?? 0;
  return <td class="num" data-resource={name} data-used={u} data-total={t}>{amount(name, u)} / {amount(name, t)}</td>;
}

function useClusterStore(): ClusterStore {
  const [store] = useState(() => new ClusterStore());
  const [, setRevision] = useState(0);
  useEffect(() => {
    const unsubscribe = store.subscribe(() => setRevision(store.revision));
    store.start();
    return () => {
      unsubscribe();
      store.stop();
    };
  }, [store]);
  return store;
}

export function ClusterPage() {
  const store = useClusterStore();
  const banner = masterBannerText(store.connection);
  const view = store.view;
  return (
    <section class="cluster-page" aria-labelledby="cluster-title">
      <div class={`banner ${banner ? store.connection : 'hidden'}`} role="status" aria-live="polite" id="cluster-banner" data-connection={store.connection}>{banner}</div>
      <div class="page-head"><h1 id="cluster-title">Cluster</h1></div>
      {store.error && <p class="outcome error" id="cluster-error">{store.error}</p>}
      {!view ? <p class="muted">Loading…</p> : <ClusterTables view={view} store={store} />}
    </section>
  );
}

function ClusterTables({ view, store }: { readonly view: ClusterView; readonly store: ClusterStore }) {
  return (
    <>
      <p class="summary" id="cluster-summary">
        {view.agents.length} agent{view.agents.length === 1 ? '' : 's'} · {view.frameworks.length} framework{view.frameworks.length === 1 ? '' : 's'} ·{' '}
        <span id="outstanding-offers" data-count={view.outstandingOffers}>{view.outstandingOffers} outstanding offer{view.outstandingOffers === 1 ? '' : 's'}</span>
        {' · '}{formatNumber(view.used.cpus ?? 0)} of {formatNumber(view.total.cpus ?? 0)} CPUs used
      </p>
      <h2>Utilisation</h2>
      <UtilisationChart history={store.history} />

      <h2 id="agents-title">Agents</h2>
      <table class="agents" id="agents-table" aria-labelledby="agents-title">
        <thead><tr><th scope="col">Agent</th>{SHOWN_RESOURCES.map((r) => <th key={r} scope="col" class="num">{RESOURCE_LABELS[r]} used / total</th>)}</tr></thead>
        <tbody>
          {view.agents.map((a) => (
            <tr key={a.id} class="agent-row" data-agent-id={a.id} data-active={a.active}>
              <th scope="row">{a.hostname}<div class="muted task-id">{a.id}</div></th>
              {SHOWN_RESOURCES.map((r) => <UsedOfTotal key={r} name={r} used={a.used} total={a.total} />)}
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="roles-title">Roles</h2>
      <p class="muted">Dominant share: the largest of the role's allocated CPUs, memory, disk (and other scalars) over the cluster's total, as the master's DRF allocator computes it from <code>/master/roles</code>{view.excludedFromSharing.length > 0 ? ` (not counting ${view.excludedFromSharing.join(', ')})` : ''}. Roles are offered resources in the order of their share divided by their weight.</p>
      <table class="roles" id="roles-table" aria-labelledby="roles-title">
        <thead><tr><th scope="col">Role</th><th scope="col" class="num">Weight</th><th scope="col" class="num">Dominant share</th><th scope="col" class="num">Share / weight</th><th scope="col" class="num">Allocated CPUs</th><th scope="col" class="num">Allocated memory</th><th scope="col">Frameworks</th></tr></thead>
        <tbody>
          {view.roles.map((r) => (
            <tr key={r.name} class="role-row" data-role={r.name} data-share={r.dominantShare} data-weight={r.weight}>
              <th scope="row">{r.name}</th>
              <td class="num">{formatNumber(r.weight)}</td>
              <td class="num share">{formatShare(r.dominantShare)}</td>
              <td class="num">{formatShare(r.weightedShare)}</td>
              <td class="num">{formatNumber(r.allocated.cpus ?? 0)}</td>
              <td class="num">{formatMem(r.allocated.mem ?? 0)}</td>
              <td class="task-id">{r.frameworks.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="frameworks-title">Frameworks</h2>
      <table class="frameworks" id="frameworks-table" aria-labelledby="frameworks-title">
        <thead><tr><th scope="col">Framework</th><th scope="col">Roles</th><th scope="col" class="num">Dominant share</th><th scope="col" class="num">CPUs</th><th scope="col" class="num">Memory</th><th scope="col" class="num">Tasks</th><th scope="col" class="num">Offers</th></tr></thead>
        <tbody>
          {view.frameworks.map((f) => (
            <tr key={f.id} class="framework-row" data-framework-id={f.id} data-share={f.dominantShare}>
              <th scope="row">{f.name}{!f.active && <span class="muted"> (inactive)</span>}<div class="muted task-id">{f.id}</div></th>
              <td>{f.roles.join(', ')}</td>
              <td class="num share">{formatShare(f.dominantShare)}</td>
              <td class="num">{formatNumber(f.used.cpus ?? 0)}</td>
              <td class="num">{formatMem(f.used.mem ?? 0)}</td>
              <td class="num">{f.tasks}</td>
              <td class="num">{f.offers}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
