// Long tables are painted a slice at a time: the first screenful at once, the rest in slices
// between which the browser handles input, so 1,000 apps never block the page for the whole
// table. Live updates keep the rows already shown; a new filter starts again from the top.
import { useEffect, useState } from 'preact/hooks';

export const FIRST_ROWS = 100;
export const MORE_ROWS_PER_SLICE = 200;
/** Marked when every row of the first long table has been painted, for the benchmark. */
export const ALL_ROWS_MARK = 'tepui:apps-all-rows';

export function useProgressiveRows(total: number, resetKey: unknown): number {
  const [shown, setShown] = useState(FIRST_ROWS);
  useEffect(() => setShown(FIRST_ROWS), [resetKey]);
  useEffect(() => {
    if (shown >= total) {
      if (total > FIRST_ROWS && performance.getEntriesByName(ALL_ROWS_MARK).length === 0) performance.mark(ALL_ROWS_MARK);
      return undefined;
    }
    const timer = setTimeout(() => setShown((n) => n + MORE_ROWS_PER_SLICE), 0);
    return () => clearTimeout(timer);
  }, [shown, total]);
  return shown;
}
