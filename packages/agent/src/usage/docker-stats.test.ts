// The Docker Engine's stats answer as usage, under cgroup v1 and v2 and from engines that leave
// fields out; never a figure made up from a malformed answer.
import { expect } from 'chai';
import { parseDockerStats } from './docker-stats';

const MIB = 1024 * 1024;

describe('parseDockerStats', () => {
  it('cgroup v1: CPU nanoseconds as seconds, rss as resident memory, pids as threads', () => {
    const body = {
      cpu_stats: { cpu_usage: { total_usage: 3_500_000_000, usage_in_usermode: 3_000_000_000, usage_in_kernelmode: 500_000_000 } },
      memory_stats: { usage: 40 * MIB, limit: 64 * MIB, stats: { rss: 12 * MIB, cache: 20 * MIB, total_inactive_file: 18 * MIB } },
      pids_stats: { current: 5 },
    };
    expect(parseDockerStats(body)).to.deep.equal({ userSecs: 3, systemSecs: 0.5, rssBytes: 12 * MIB, threads: 5 });
  });

  it('cgroup v2: anonymous memory', () => {
    const body = {
      cpu_stats: { cpu_usage: { usage_in_usermode: 1_000_000, usage_in_kernelmode: 0 } },
      memory_stats: { usage: 30 * MIB, stats: { anon: 7 * MIB, inactive_file: 10 * MIB } },
    };
    expect(parseDockerStats(body)).to.deep.equal({ userSecs: 0.001, systemSecs: 0, rssBytes: 7 * MIB });
  });

  it('neither rss nor anon: usage less the inactive page cache, never below zero', () => {
    const cpu = { cpu_usage: { usage_in_usermode: 0, usage_in_kernelmode: 0 } };
    expect(parseDockerStats({ cpu_stats: cpu, memory_stats: { usage: 30 * MIB, stats: { inactive_file: 10 * MIB } } })?.rssBytes).to.equal(20 * MIB);
    expect(parseDockerStats({ cpu_stats: cpu, memory_stats: { usage: 1, stats: { inactive_file: 10 } } })?.rssBytes).to.equal(0);
    expect(parseDockerStats({ cpu_stats: cpu })?.rssBytes).to.equal(0);
  });

  it('no CPU figures (a stopped container, or not a stats answer): nothing', () => {
    for (const body of [undefined, null, 'text', [], {}, { cpu_stats: {} }, { cpu_stats: { cpu_usage: { usage_in_usermode: '3' , usage_in_kernelmode: 0 } } }, { cpu_stats: { cpu_usage: { usage_in_usermode: -1, usage_in_kernelmode: 0 } } }]) {
      expect(parseDockerStats(body), JSON.stringify(body)).to.equal(undefined);
    }
  });
});
