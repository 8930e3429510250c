// The frame around every page: navigation, the connection banner, and the page the URL names.
import { useMemo } from 'preact/hooks';
import { bannerText } from '../model/connection';
import { appsHref, CLUSTER_HREF, CREATE_HREF, DEPLOYMENTS_HREF, parseRoute } from '../model/routes';
import { AppPage } from './app-page';
import { AppsPage } from './apps-page';
import { CreateAppPage } from './create-app-page';
import { ClusterPage } from './cluster-page';
import { DeploymentsPage } from './deployments-page';
import { EditAppPage } from './edit-app-page';
import type { LiveStore } from './live-store';
import { Link, useLocation } from './router';
import { useStoreRevision } from './use-store';

export function AppShell({ store }: { readonly store: LiveStore }) {
  const place = useLocation();
  const route = useMemo(() => parseRoute(place.pathname, place.search), [place.pathname, place.search]);
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <Link href={appsHref()} class="brand">Tepui · Marathon</Link>
        <nav aria-label="Main">
          <Link href={appsHref()} aria-current={route.page === 'apps' || route.page === 'app' ? 'page' : undefined}>Applications</Link>
          <Link href={CREATE_HREF} aria-current={route.page === 'create' ? 'page' : undefined}>Create app</Link>
          <Link href={DEPLOYMENTS_HREF} aria-current={route.page === 'deployments' ? 'page' : undefined}>Deployments</Link>
          <Link href={CLUSTER_HREF} aria-current={route.page === 'cluster' ? 'page' : undefined}>Cluster</Link>
        </nav>
      </header>
      <ConnectionBanner store={store} />
      <main id="main" tabIndex={-1}>
        {route.page === 'apps' && <AppsPage store={store} filter={route.filter} />}
        {route.page === 'app' && <AppPage key={route.appId} store={store} appId={route.appId} />}
        {route.page === 'create' && <CreateAppPage store={store} />}
        {route.page === 'edit' && <EditAppPage key={route.appId} store={store} appId={route.appId} />}
        {route.page === 'deployments' && <DeploymentsPage store={store} />}
        {route.page === 'cluster' && <ClusterPage />}
        {route.page === 'not-found' && <p>Nothing at {route.path}. <Link href={appsHref()}>Applications</Link></p>}
      </main>
    </>
  );
}

function ConnectionBanner({ store }: { readonly store: LiveStore }) {
  useStoreRevision(store);
  const text = bannerText(store.connection);
  return (
    <div class={`banner ${text ? store.connection.kind : 'hidden'}`} role="status" aria-live="polite" id="connection-banner" data-connection={store.connection.kind}>
      {text}
    </div>
  );
}
