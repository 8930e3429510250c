// Renders a component again whenever the live store changed.
import { useEffect, useState } from 'preact/hooks';
import type { LiveStore } from './live-store';

export function useStoreRevision(store: LiveStore): number {
  const [revision, setRevision] = useState(store.revision);
  useEffect(() => {
    setRevision(store.revision);
    return store.subscribe(() => setRevision(store.revision));
  }, [store]);
  return revision;
}

/**
 * The time of this render, for "started 3 min ago"; the component also renders again every
 * `everyMs` so ages move on while nothing else changes. No requests involved.
 */
export function useNow(everyMs: number): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return Date.now();
}
