import { STATUS_LABELS, type AppStatus } from '../model/app-status';

export function StatusBadge({ status }: { readonly status: AppStatus }) {
  return <span class={`status status-${status}`} data-status={status}>{STATUS_LABELS[status]}</span>;
}
