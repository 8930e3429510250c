// The edit page's starting point: the form prefilled from the app's current definition (the JSON
// editor shows the same definition, built from the form), and the definition a save sends back. Saving is a
// PUT /v2/apps/{id}?partialUpdate=false: the whole definition replaces the old one, so a label
// removed in the form is removed in Marathon too.
import { definitionToForm, formToDefinition, type AppFormFields, type Definition } from './app-form';

/** Fields GET adds about the app's state or history; a definition sent back leaves them out. */
const NOT_DEFINITION = new Set([
  'version', 'versionInfo', 'tasks', 'tasksRunning', 'tasksStaged', 'tasksHealthy', 'tasksUnhealthy',
  'deployments', 'lastTaskFailure', 'taskStats', 'readinessCheckResults',
]);

export interface EditFormPrefill {
  readonly fields: AppFormFields;
  /** Every field the form does not show, sent back unchanged. */
  readonly rest: Definition;
}

export function definitionOnly(app: Definition): Record<string, unknown> {
  return Object.fromEntries(Object.entries(app).filter(([key]) => !NOT_DEFINITION.has(key)));
}

export function prefillEditForm(app: Definition): EditFormPrefill {
  return definitionToForm(definitionOnly(app));
}

/** The definition to PUT: the id is the edited app's, whatever the JSON says (a PUT cannot rename). */
export function editedDefinition(appId: string, edited: Definition): Record<string, unknown> {
  return { ...definitionOnly(edited), id: appId };
}

export function editedFromForm(appId: string, fields: AppFormFields, rest: Definition): Record<string, unknown> {
  return editedDefinition(appId, formToDefinition(fields, rest));
}

export function editPath(appPath: string): string {
  return `${appPath}?partialUpdate=false`;
}
