// Two versions of an app definition compared field by field, for the app page's version diff.
// Leaves are compared (objects are walked into, arrays by position), so a changed label shows as
// `labels.team` rather than the whole `labels` object. `version` and `versionInfo` say when a
// version was stored, not what it is, so they are left out.
import { isRecord } from './wire-read';

export type DiffKind = 'added' | 'removed' | 'changed';

export interface FieldChange {
  /** Dotted path with array positions in brackets: `env.A`, `portDefinitions[0].port`. */
  readonly path: string;
  readonly kind: DiffKind;
  readonly before?: unknown;
  readonly after?: unknown;
}

const IGNORED_TOP_LEVEL = new Set(['version', 'versionInfo']);

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function walk(path: string, before: unknown, after: unknown, out: FieldChange[]): void {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      if (path === '' && IGNORED_TOP_LEVEL.has(key)) continue;
      const inBefore = Object.hasOwn(before, key);
      const inAfter = Object.hasOwn(after, key);
      if (inBefore && inAfter) walk(join(path, key), before[key], after[key], out);
      else if (inBefore) out.push({ path: join(path, key), kind: 'removed', before: before[key] });
      else out.push({ path: join(path, key), kind: 'added', after: after[key] });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const at = `${path}[${i}]`;
      if (i >= after.length) out.push({ path: at, kind: 'removed', before: before[i] });
      else if (i >= before.length) out.push({ path: at, kind: 'added', after: after[i] });
      else walk(at, before[i], after[i], out);
    }
    return;
  }
  if (before !== after) out.push({ path, kind: 'changed', before, after });
}

/** What changed from `before` to `after`, in path order. Both are definitions as Marathon returns them. */
export function diffDefinitions(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk('', isRecord(before) ? before : {}, isRecord(after) ? after : {}, out);
  return out;
}

/** A value as the diff table shows it: JSON, with "—" for a side that has no value. */
export function formatDiffValue(value: unknown): string {
  return value === undefined ? '—' : JSON.stringify(value);
}
