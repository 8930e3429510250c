// Display formatting, with the time passed in so views stay functions of their inputs.

/** "12 s ago", "4 min ago", "3 h ago", "2 d ago"; '' for a missing or unreadable time. */
export function formatAge(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** Up to two decimals, without trailing zeros: 0.5, 1, 1.25. */
export function formatNumber(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** Marathon's mem is in MiB. */
export function formatMem(mib: number): string {
  return mib >= 1024 ? `${formatNumber(mib / 1024)} GiB` : `${formatNumber(mib)} MiB`;
}

/** TASK_RUNNING → Running. */
export function formatTaskState(state: string): string {
  const word = state.replace(/^TASK_/, '').toLowerCase();
  return word.charAt(0).toUpperCase() + word.slice(1);
}
