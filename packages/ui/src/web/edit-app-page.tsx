// Edit an app: the shared editor prefilled from its current definition; saving PUTs the whole
// definition (Marathon starts a deployment when it changed), then shows the app's page.
import { useEffect } from 'preact/hooks';
import { editedDefinition, editPath, prefillEditForm } from '../model/edit-form';
import { appHref } from '../model/routes';
import { AppEditor } from './app-editor';
import type { LiveStore } from './live-store';
import { appPath, requestJson } from './marathon-client';
import { Link, navigate } from './router';
import { useStoreRevision } from './use-store';

export function EditAppPage({ store, appId }: { readonly store: LiveStore; readonly appId: string }) {
  useStoreRevision(store);
  useEffect(() => store.watchApp(appId), [store, appId]);
  const app = store.apps.get(appId);
  if (!app) {
    return (
      <section class="edit-page">
        <p><Link href={appHref(appId)}>← {appId}</Link></p>
        <p class="muted">{store.missing.has(appId) ? 'This app does not exist (any more).' : 'Loading…'}</p>
      </section>
    );
  }
  // Prefilled once, from the definition as it was when the page opened: later changes by others
  // do not overwrite what the user is typing.
  return <Editor key={appId} store={store} appId={appId} definition={app.definition} />;
}

function Editor({ store, appId, definition }: { readonly store: LiveStore; readonly appId: string; readonly definition: Readonly<Record<string, unknown>> }) {
  const prefill = prefillEditForm(definition);
  return (
    <section class="edit-page" aria-labelledby="edit-title" data-app-id={appId}>
      <p><Link href={appHref(appId)}>← {appId}</Link></p>
      <AppEditor title={`Edit ${appId}`} titleId="edit-title" fields={prefill.fields} rest={prefill.rest} idReadOnly
        submitId="edit-submit" submitLabel="Save" sendingLabel="Saving…"
        send={(edited) => requestJson('PUT', editPath(appPath(appId)), editedDefinition(appId, edited))}
        onSaved={() => {
          store.markStale([appId]);
          navigate(appHref(appId));
        }} />
    </section>
  );
}
