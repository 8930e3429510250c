// The apps page's filter and current group, kept in the URL query so a filtered view is a link:
// ?group=/prod&q=web&status=running,delayed&label=team=a&label=canary
import { APP_STATUSES, type AppStatus } from './app-status';

export interface LabelSelector {
  readonly key: string;
  /** Absent: the label only has to exist. */
  readonly value?: string;
}

export interface AppFilter {
  /** The group whose contents are listed ('/' for the root). */
  readonly group: string;
  /** Case-insensitive substring of the app id. */
  readonly text: string;
  readonly labels: readonly LabelSelector[];
  /** Empty: any status. */
  readonly statuses: readonly AppStatus[];
}

export const NO_FILTER: AppFilter = { group: '/', text: '', labels: [], statuses: [] };

export function isFiltering(filter: AppFilter): boolean {
  return filter.text.trim() !== '' || filter.labels.length > 0 || filter.statuses.length > 0;
}

export function parseLabelSelector(text: string): LabelSelector | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const eq = trimmed.indexOf('=');
  return eq < 0 ? { key: trimmed } : { key: trimmed.slice(0, eq).trim(), value: trimmed.slice(eq + 1).trim() };
}

export function formatLabelSelector(selector: LabelSelector): string {
  return selector.value === undefined ? selector.key : `${selector.key}=${selector.value}`;
}

export function normaliseGroup(group: string): string {
  const parts = group.split('/').filter(Boolean);
  return `/${parts.join('/')}`;
}

export function parseAppFilter(search: string): AppFilter {
  const query = new URLSearchParams(search);
  const statuses = (query.get('status') ?? '').split(',').filter((s): s is AppStatus => (APP_STATUSES as readonly string[]).includes(s));
  return {
    group: normaliseGroup(query.get('group') ?? '/'),
    text: query.get('q') ?? '',
    labels: query.getAll('label').map(parseLabelSelector).filter((s): s is LabelSelector => s !== undefined),
    statuses,
  };
}

/** The query string (with its '?', or '' when there is nothing to say) for a filter. */
export function formatAppFilter(filter: AppFilter): string {
  const query = new URLSearchParams();
  if (filter.group !== '/') query.set('group', filter.group);
  if (filter.text !== '') query.set('q', filter.text);
  if (filter.statuses.length > 0) query.set('status', filter.statuses.join(','));
  for (const label of filter.labels) query.append('label', formatLabelSelector(label));
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

export function matchesLabels(labels: Readonly<Record<string, string>>, selectors: readonly LabelSelector[]): boolean {
  return selectors.every((s) => Object.prototype.hasOwnProperty.call(labels, s.key) && (s.value === undefined || labels[s.key] === s.value));
}
