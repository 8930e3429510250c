// The app definition editor the create and edit pages share: a form for the common fields, or the
// whole definition as JSON. Marathon validates; its 422 details appear next to the fields they
// name, the rest above the form.
import { useState } from 'preact/hooks';
import {
  definitionToForm, formErrorsOf, formToDefinition, NO_FORM_ERRORS,
  type AppFormField, type AppFormFields, type Definition, type FormErrors,
} from '../model/app-form';
import { isRecord } from '../model/wire-read';
import type { Answer } from './marathon-client';

interface FieldSpec {
  readonly name: AppFormField;
  readonly label: string;
  readonly hint?: string;
  readonly multiline?: boolean;
  readonly numeric?: boolean;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'id', label: 'ID', hint: 'e.g. /prod/web — lowercase letters, digits, dashes; slashes make groups' },
  { name: 'cmd', label: 'Command', hint: '$PORT0 is the first host port', multiline: true },
  { name: 'instances', label: 'Instances', numeric: true },
  { name: 'cpus', label: 'CPUs', numeric: true },
  { name: 'mem', label: 'Memory (MiB)', numeric: true },
  { name: 'disk', label: 'Disk (MiB)', numeric: true },
  { name: 'labels', label: 'Labels', hint: 'one key=value per line', multiline: true },
  { name: 'env', label: 'Environment', hint: 'one NAME=value per line', multiline: true },
];

export interface AppEditorProps {
  readonly title: string;
  readonly titleId: string;
  readonly fields: AppFormFields;
  /** Fields of the definition the form does not show, kept through form edits. */
  readonly rest: Definition;
  readonly submitId: string;
  readonly submitLabel: string;
  readonly sendingLabel: string;
  /** The edit form cannot rename: its ID is shown read-only. */
  readonly idReadOnly?: boolean;
  /** Sends the definition; a failed answer's errors are shown, a successful one is the caller's. */
  readonly send: (definition: Record<string, unknown>) => Promise<Answer>;
  readonly onSaved: (definition: Record<string, unknown>, answer: Answer) => void;
}

export function AppEditor(props: AppEditorProps) {
  const [fields, setFields] = useState<AppFormFields>(props.fields);
  const [rest, setRest] = useState<Definition>(props.rest);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [jsonText, setJsonText] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_FORM_ERRORS);
  const [sending, setSending] = useState(false);

  const switchTo = (next: 'form' | 'json') => {
    if (next === mode) return;
    if (next === 'json') {
      setJsonText(JSON.stringify(formToDefinition(fields, rest), null, 2));
    } else {
      const parsed = parseJson(jsonText);
      if (!parsed.ok) return setErrors({ fields: {}, general: [parsed.error] });
      const form = definitionToForm(parsed.definition);
      setFields(form.fields);
      setRest(form.rest);
    }
    setErrors(NO_FORM_ERRORS);
    setMode(next);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    let definition: Record<string, unknown>;
    if (mode === 'json') {
      const parsed = parseJson(jsonText);
      if (!parsed.ok) return setErrors({ fields: {}, general: [parsed.error] });
      definition = { ...parsed.definition };
    } else definition = formToDefinition(fields, rest);
    setSending(true);
    const answer = await props.send(definition);
    setSending(false);
    if (answer.ok) props.onSaved(definition, answer);
    else setErrors(formErrorsOf(answer.status, answer.body));
  };

  const fieldErrorCount = Object.values(errors.fields).reduce((n, list) => n + (list?.length ?? 0), 0);
  return (
    <>
      <div class="page-head">
        <h1 id={props.titleId}>{props.title}</h1>
        <div class="mode" role="group" aria-label="Editor">
          <button type="button" id="mode-form" aria-pressed={mode === 'form'} onClick={() => switchTo('form')}>Form</button>
          <button type="button" id="mode-json" aria-pressed={mode === 'json'} onClick={() => switchTo('json')}>JSON</button>
        </div>
      </div>
      <form id="app-form" noValidate onSubmit={(e) => void submit(e)}>
        {(errors.general.length > 0 || fieldErrorCount > 0) && (
          <div class="form-errors" role="alert" id="form-errors">
            <p>Marathon did not accept the app{fieldErrorCount > 0 ? ` (${fieldErrorCount} field error${fieldErrorCount === 1 ? '' : 's'} below)` : ''}.</p>
            {errors.general.length > 0 && <ul>{errors.general.map((e, i) => <li key={i}>{e}</li>)}</ul>}
            {mode === 'json' && fieldErrorCount > 0 && (
              <ul>{Object.entries(errors.fields).map(([field, list]) => (list ?? []).map((e, i) => <li key={`${field}${i}`} data-field-error={field}>{field}: {e}</li>))}</ul>
            )}
          </div>
        )}
        {mode === 'form' ? (
          <div class="fields">
            {FIELDS.map((spec) => (
              <FormField key={spec.name} spec={spec} value={fields[spec.name]} errors={errors.fields[spec.name] ?? []}
                readOnly={spec.name === 'id' && props.idReadOnly === true}
                onInput={(value) => setFields({ ...fields, [spec.name]: value })} />
            ))}
          </div>
        ) : (
          <div class="field">
            <label for="app-json">App definition (JSON)</label>
            <textarea id="app-json" class="json" rows={24} spellcheck={false} value={jsonText} onInput={(e) => setJsonText(e.currentTarget.value)} />
          </div>
        )}
        <div class="actions">
          <button type="submit" class="primary" id={props.submitId} disabled={sending}>{sending ? props.sendingLabel : props.submitLabel}</button>
        </div>
      </form>
    </>
  );
}

interface FormFieldProps {
  readonly spec: FieldSpec;
  readonly value: string;
  readonly errors: readonly string[];
  readonly readOnly: boolean;
  readonly onInput: (value: string) => void;
}

function FormField({ spec, value, errors, readOnly, onInput }: FormFieldProps) {
  const id = `field-${spec.name}`;
  const described = [spec.hint ? `${id}-hint` : '', errors.length > 0 ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name: spec.name, value, readOnly, 'aria-invalid': errors.length > 0, 'aria-describedby': described };
  return (
    <div class={`field ${errors.length > 0 ? 'invalid' : ''}`} data-field={spec.name}>
      <label for={id}>{spec.label}</label>
      {spec.multiline
        ? <textarea {...common} rows={spec.name === 'cmd' ? 2 : 3} onInput={(e) => onInput(e.currentTarget.value)} />
        : <input {...common} type="text" inputMode={spec.numeric ? 'decimal' : undefined} autoComplete="off" onInput={(e) => onInput(e.currentTarget.value)} />}
      {spec.hint && <p class="hint" id={`${id}-hint`}>{spec.hint}</p>}
      {errors.length > 0 && <p class="field-error" id={`${id}-error`} data-field-error={spec.name}>{errors.join('; ')}</p>}
    </div>
  );
}

function parseJson(text: string): { ok: true; definition: Definition } | { ok: false; error: string } {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? { ok: true, definition: value } : { ok: false, error: 'The JSON must be one object (an app definition).' };
  } catch (err) {
    return { ok: false, error: `The JSON does not parse: ${err instanceof Error ? err.message : String(err)}` };
  }
}
