// ResourceStatistics from samples: CPU seconds from ticks (reaped children included), summed
// memory, the limits an executor and its tasks asked for, and the fields left out when unknown.
import { expect } from 'chai';
import type { ExecutorInfo, Resource, TaskInfo } from '@tepui/protocol';
import type { ProcStat } from './proc-stat';
import { addUsage, containerLimits, processUsage, resourceStatistics } from './resource-statistics';

const MIB = 1024 * 1024;
const scalar = (name: string, value: number): Resource => ({ name, type: 'SCALAR', scalar: { value } });
const stat = (pid: number, times: Partial<ProcStat>): ProcStat => ({
  pid, ppid: 1, pgrp: pid, session: pid, state: 'R', utime: 0, stime: 0, cutime: 0, cstime: 0, threads: 1, ...times,
});
const executor = (resources: Resource[] = []): ExecutorInfo => ({ executor_id: { value: 'e' }, resources });
const task = (id: string, resources: Resource[], limits?: TaskInfo['limits']): TaskInfo => ({
  name: id, task_id: { value: id }, agent_id: { value: 'a' }, resources, ...(limits ? { limits } : {}),
});
const host = { cpus: 8, memBytes: 16 * 1024 * MIB };

describe('processUsage', () => {
  it('sums ticks as seconds (100 a second), reaped children included, and memory and threads', () => {
    const usage = processUsage([
      { stat: stat(1, { utime: 150, stime: 20, cutime: 50, cstime: 10, threads: 4 }), rssBytes: 10 * MIB },
      { stat: stat(2, { utime: 100, stime: 0, threads: 1 }), rssBytes: 5 * MIB },
    ]);
    expect(usage).to.deep.equal({ userSecs: 3, systemSecs: 0.3, rssBytes: 15 * MIB, processes: 2, threads: 5 });
  });
  it('no processes: all zero', () => {
    expect(processUsage([])).to.deep.equal({ userSecs: 0, systemSecs: 0, rssBytes: 0, processes: 0, threads: 0 });
  });
});

describe('addUsage', () => {
  it('adds times and memory; keeps a count only when both sides have it', () => {
    const processes = { userSecs: 1, systemSecs: 0.5, rssBytes: 100, processes: 2, threads: 3 };
    const container = { userSecs: 2, systemSecs: 1, rssBytes: 50, threads: 7 };
    expect(addUsage(processes, container)).to.deep.equal({ userSecs: 3, systemSecs: 1.5, rssBytes: 150, threads: 10 });
    expect(addUsage(processes, processes)).to.deep.equal({ userSecs: 2, systemSecs: 1, rssBytes: 200, processes: 4, threads: 6 });
  });
});

describe('containerLimits', () => {
  const rows: Array<{ name: string; executor: ExecutorInfo; tasks: TaskInfo[]; expect: object }> = [
    {
      name: "the executor's and its tasks' requests summed, in thousandths",
      executor: executor([scalar('cpus', 0.1), scalar('mem', 32)]),
      tasks: [task('t1', [scalar('cpus', 0.2), scalar('mem', 64), scalar('disk', 10)]), task('t2', [scalar('cpus', 0.3)])],
      expect: { cpus: 0.6, memBytes: 96 * MIB, diskBytes: 10 * MIB },
    },
    {
      name: "a task's limits replace its requests",
      executor: executor(),
      tasks: [task('t', [scalar('cpus', 0.5), scalar('mem', 64)], { cpus: { value: 2 }, mem: { value: 256 } })],
      expect: { cpus: 2, memBytes: 256 * MIB },
    },
    {
      name: 'an infinite limit is the host',
      executor: executor(),
      tasks: [task('t', [scalar('cpus', 0.5), scalar('mem', 64)], { cpus: { value: Infinity }, mem: { value: Infinity } })],
      expect: { cpus: 8, memBytes: 16 * 1024 * MIB },
    },
    { name: 'nothing asked for: no limits', executor: executor(), tasks: [], expect: {} },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(containerLimits(row.executor, row.tasks, host)).to.deep.equal(row.expect);
    });
  }
});

describe('resourceStatistics', () => {
  it("Mesos' field names, the timestamp in seconds, CPU seconds rounded to the tick", () => {
    const statistics = resourceStatistics({
      now: 1_700_000_000_500,
      usage: { userSecs: 1.234999, systemSecs: 0.1 + 0.2, rssBytes: 42, processes: 3, threads: 4 },
      limits: { cpus: 0.5, memBytes: 64 * MIB, diskBytes: 100 * MIB },
      diskUsedBytes: 8192,
    });
    expect(statistics).to.deep.equal({
      timestamp: 1_700_000_000.5, processes: 3, threads: 4, cpus_user_time_secs: 1.23, cpus_system_time_secs: 0.3,
      mem_rss_bytes: 42, cpus_limit: 0.5, mem_limit_bytes: 64 * MIB, disk_used_bytes: 8192, disk_limit_bytes: 100 * MIB,
    });
  });
  it('leaves out what was not sampled or not asked for', () => {
    expect(resourceStatistics({ now: 2000, limits: {} })).to.deep.equal({ timestamp: 2 });
    expect(resourceStatistics({ now: 2000, usage: { userSecs: 0, systemSecs: 0, rssBytes: 0 }, limits: {} })).to.deep.equal({
      timestamp: 2, cpus_user_time_secs: 0, cpus_system_time_secs: 0, mem_rss_bytes: 0,
    });
  });
});
