// Prometheus series of the fetcher: fetches by outcome, bytes downloaded, and the cache's size.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { FetcherObserver } from './fetcher';
import type { FetcherCache } from './fetcher-cache';

export function fetcherMetrics(registry: Registry, cache: FetcherCache): FetcherObserver {
  const fetches = new Counter({ name: 'tepui_agent_fetcher_fetches_total', help: 'URIs fetched, by outcome: downloaded, cache_hit, failed', labelNames: ['outcome'], registers: [registry] });
  const bytes = new Counter({ name: 'tepui_agent_fetcher_downloaded_bytes_total', help: 'Bytes downloaded by the fetcher (cache hits download none)', registers: [registry] });
  new Gauge({ name: 'tepui_agent_fetcher_cache_bytes', help: 'Bytes held in the fetcher cache', registers: [registry], collect() { this.set(cache.stats().bytes); } });
  new Gauge({ name: 'tepui_agent_fetcher_cache_files', help: 'Files held in the fetcher cache', registers: [registry], collect() { this.set(cache.stats().entries); } });
  return {
    fetched(outcome, n) {
      fetches.inc({ outcome });
      if (n > 0) bytes.inc(n);
    },
  };
}
