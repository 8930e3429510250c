// Which cache files go when the fetcher cache is over its size (Mesos' --fetcher_cache_size):
// the least recently used ones that no fetch is reading, until the rest fits. An entry still
// downloading or being copied into a sandbox is never chosen.

export interface CacheEntryState {
  readonly key: string;
  readonly size: number;
  readonly lastUsedAt: number;
  readonly inUse: boolean;
}

export function cacheEvictions(entries: readonly CacheEntryState[], capacityBytes: number): string[] {
  let total = entries.reduce((sum, e) => sum + e.size, 0);
  const victims: string[] = [];
  const candidates = entries.filter((e) => !e.inUse).sort((a, b) => a.lastUsedAt - b.lastUsedAt);
  for (const entry of candidates) {
    if (total <= capacityBytes) break;
    victims.push(entry.key);
    total -= entry.size;
  }
  return victims;
}
