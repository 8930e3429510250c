// The create/edit form as data. The form holds what its inputs hold (strings); the definition it
// sends keeps every other field of the JSON editor untouched. Marathon is the validator: a value
// that is not a number is sent as typed, so Marathon's 422 names the field and the form shows it.
import type { AppDefinition } from '@tepui/protocol';
import { arrayOf, isRecord, recordOf, stringOf, stringRecordOf } from './wire-read';

export interface AppFormFields {
  readonly id: string;
  readonly cmd: string;
  readonly instances: string;
  readonly cpus: string;
  readonly mem: string;
  readonly disk: string;
  /** One `key=value` per line. */
  readonly labels: string;
  /** One `NAME=value` per line. */
  readonly env: string;
}

export type AppFormField = keyof AppFormFields;

/** Each form field is the app definition's field of that name (so 422 paths name them). */
export const APP_FORM_FIELDS: ReadonlyArray<AppFormField & keyof AppDefinition> = ['id', 'cmd', 'instances', 'cpus', 'mem', 'disk', 'labels', 'env'];

export const NEW_APP_FORM: AppFormFields = { id: '', cmd: '', instances: '1', cpus: '0.1', mem: '32', disk: '0', labels: '', env: '' };

export type Definition = Readonly<Record<string, unknown>>;

function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

export function parseKeyValueLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) out[line.trim()] = '';
    else out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

export function formatKeyValueLines(record: Readonly<Record<string, string>>): string {
  return Object.entries(record).map(([k, v]) => `${k}=${v}`).join('\n');
}

/** The definition to send: `rest` (every field the form does not show) plus the form's fields. */
export function formToDefinition(fields: AppFormFields, rest: Definition = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...rest, id: fields.id.trim() };
  const cmd = fields.cmd.trim();
  if (cmd !== '') out.cmd = fields.cmd;
  else delete out.cmd;
  for (const key of ['instances', 'cpus', 'mem', 'disk'] as const) {
    const value = numberOrText(fields[key]);
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  const labels = parseKeyValueLines(fields.labels);
  if (Object.keys(labels).length > 0 || 'labels' in rest) out.labels = labels;
  const env = parseKeyValueLines(fields.env);
  // Secrets in env ({secret: …}) are not shown in the form; keep them.
  const secretEnv = Object.fromEntries(Object.entries(recordOf(rest.env)).filter(([, v]) => isRecord(v)));
  if (Object.keys(env).length > 0 || Object.keys(secretEnv).length > 0 || 'env' in rest) out.env = { ...secretEnv, ...env };
  return out;
}

/** The form's fields from a definition, and the rest of it. */
export function definitionToForm(definition: Definition): { fields: AppFormFields; rest: Definition } {
  const text = (v: unknown): string => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');
  const { id, cmd, instances, cpus, mem, disk, labels, env, ...rest } = definition;
  const secretEnv = Object.fromEntries(Object.entries(recordOf(env)).filter(([, v]) => isRecord(v)));
  return {
    fields: {
      id: stringOf(id), cmd: stringOf(cmd), instances: text(instances), cpus: text(cpus), mem: text(mem), disk: text(disk),
      labels: formatKeyValueLines(stringRecordOf(labels)), env: formatKeyValueLines(stringRecordOf(env)),
    },
    rest: Object.keys(secretEnv).length > 0 ? { ...rest, env: secretEnv } : rest,
  };
}

export interface FormErrors {
  readonly fields: Readonly<Partial<Record<AppFormField, readonly string[]>>>;
  /** Errors that name no form field (or the whole object), shown above the form. */
  readonly general: readonly string[];
}

export const NO_FORM_ERRORS: FormErrors = { fields: {}, general: [] };

/** Play JSON's error keys, which Marathon's 422 details carry, in words. */
const ERROR_WORDS: Readonly<Record<string, string>> = {
  'error.min': 'is below the allowed minimum',
  'error.max': 'is above the allowed maximum',
  'error.path.missing': 'is required',
  'error.expected.jsnumber': 'must be a number',
  'error.expected.jsstring': 'must be text',
  'error.expected.jsboolean': 'must be true or false',
  'error.expected.jsarray': 'must be a list',
  'error.expected.jsobject': 'must be an object',
};

export function describeError(error: string): string {
  const words = ERROR_WORDS[error];
  return words ? `${words} (${error})` : error;
}

/** The form field a 422 detail path names: `/cpus` → cpus, `/labels/team` → labels. */
export function fieldOfPath(path: string): AppFormField | undefined {
  const first = path.split('/').filter(Boolean)[0];
  return APP_FORM_FIELDS.find((f) => f === first);
}

/** Marathon's error answer (422 `{message, details: [{path, errors}]}`, 409, 400…) for the form. */
export function formErrorsOf(status: number, body: unknown): FormErrors {
  const answer = recordOf(body);
  const message = stringOf(answer.message, `Marathon answered ${status}`);
  const fields: Partial<Record<AppFormField, string[]>> = {};
  const general: string[] = [];
  const details = arrayOf(answer.details);
  for (const detail of details) {
    const path = stringOf(recordOf(detail).path, '/');
    const errors = arrayOf(recordOf(detail).errors).map((e) => describeError(stringOf(e))).filter(Boolean);
    const field = fieldOfPath(path);
    if (field) (fields[field] ??= []).push(...errors);
    else general.push(...errors.map((e) => (path === '/' || path === '' ? e : `${path}: ${e}`)));
  }
  if (typeof answer.details === 'string') general.push(answer.details);
  if (details.length === 0 || general.length > 0) general.unshift(message);
  if (status === 409) general.push('An app in this change is locked by a running deployment.');
  return { fields, general };
}
