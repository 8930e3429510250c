// Create an app: the shared editor (form or JSON), POST /v2/apps, then the new app's page.
import { NEW_APP_FORM } from '../model/app-form';
import { appHref } from '../model/routes';
import { recordOf, stringOf } from '../model/wire-read';
import { AppEditor } from './app-editor';
import type { LiveStore } from './live-store';
import { requestJson } from './marathon-client';
import { navigate } from './router';

export function CreateAppPage({ store }: { readonly store: LiveStore }) {
  return (
    <section class="create-page" aria-labelledby="create-title">
      <AppEditor title="Create an app" titleId="create-title" fields={NEW_APP_FORM} rest={{}}
        submitId="create-submit" submitLabel="Create app" sendingLabel="Creating…"
        send={(definition) => requestJson('POST', '/v2/apps', definition)}
        onSaved={(definition, answer) => {
          const id = stringOf(recordOf(answer.body).id, stringOf(definition.id));
          store.markStale([id]);
          navigate(appHref(id));
        }} />
    </section>
  );
}
