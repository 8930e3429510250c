// The agent's container totals: sums over the sample, and the series a scrape shows.
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { usageMetrics, usageTotals } from './usage-metrics';

const samples = [
  { timestamp: 1, cpus_user_time_secs: 1.5, cpus_system_time_secs: 0.5, mem_rss_bytes: 100, disk_used_bytes: 4096 },
  { timestamp: 1, cpus_user_time_secs: 2, cpus_system_time_secs: 1, mem_rss_bytes: 50 },
  { timestamp: 1 },
];

describe('usageTotals', () => {
  it('sums each figure over the containers that have it', () => {
    expect(usageTotals(samples)).to.deep.equal({ containers: 3, cpuUserSeconds: 3.5, cpuSystemSeconds: 1.5, memoryRssBytes: 150, diskUsedBytes: 4096 });
    expect(usageTotals([])).to.deep.equal({ containers: 0, cpuUserSeconds: 0, cpuSystemSeconds: 0, memoryRssBytes: 0, diskUsedBytes: 0 });
  });
});

describe('usageMetrics', () => {
  it('a scrape shows the totals over the sample', async () => {
    const registry = new Registry();
    usageMetrics(registry, async () => samples);
    const text = await registry.metrics();
    expect(text).to.include('tepui_agent_containers 3\n');
    expect(text).to.include('tepui_agent_containers_cpu_user_seconds 3.5\n');
    expect(text).to.include('tepui_agent_containers_memory_rss_bytes 150\n');
    expect(text).to.include('tepui_agent_containers_disk_used_bytes 4096\n');
  });
});
