// Prometheus series of the agent's containers, summed over its live executors at each scrape from
// the same sample /monitor/statistics serves (a scrape's series share one sample).
import { Gauge, type Registry } from 'prom-client';
import type { ResourceStatistics } from '@tepui/protocol';

export interface UsageTotals {
  readonly containers: number;
  readonly cpuUserSeconds: number;
  readonly cpuSystemSeconds: number;
  readonly memoryRssBytes: number;
  readonly diskUsedBytes: number;
}

/** Totals over the containers sampled; a figure a container lacks adds nothing. */
export function usageTotals(samples: readonly ResourceStatistics[]): UsageTotals {
  const sum = (pick: (s: ResourceStatistics) => number | undefined) => samples.reduce((total, s) => total + (pick(s) ?? 0), 0);
  return {
    containers: samples.length,
    cpuUserSeconds: sum((s) => s.cpus_user_time_secs),
    cpuSystemSeconds: sum((s) => s.cpus_system_time_secs),
    memoryRssBytes: sum((s) => s.mem_rss_bytes),
    diskUsedBytes: sum((s) => s.disk_used_bytes),
  };
}

/**
 * Gauges rather than counters for CPU time: the total falls when an executor ends, which a
 * Prometheus counter would read as a reset.
 */
export function usageMetrics(registry: Registry, sample: () => Promise<readonly ResourceStatistics[]>): void {
  const series: Array<{ name: string; help: string; pick: (t: UsageTotals) => number }> = [
    { name: 'tepui_agent_containers', help: 'Live executor containers on this agent', pick: (t) => t.containers },
    { name: 'tepui_agent_containers_cpu_user_seconds', help: 'User CPU time of the live containers, summed', pick: (t) => t.cpuUserSeconds },
    { name: 'tepui_agent_containers_cpu_system_seconds', help: 'System CPU time of the live containers, summed', pick: (t) => t.cpuSystemSeconds },
    { name: 'tepui_agent_containers_memory_rss_bytes', help: 'Resident memory of the live containers, summed', pick: (t) => t.memoryRssBytes },
    { name: 'tepui_agent_containers_disk_used_bytes', help: 'Bytes under the live containers\' sandboxes, summed (sampled every 15 s)', pick: (t) => t.diskUsedBytes },
  ];
  for (const { name, help, pick } of series) {
    new Gauge({ name, help, registers: [registry], async collect() { this.set(pick(usageTotals(await sample()))); } });
  }
}
