// The monitor's shell over a /proc written into a temp dir: which processes each live executor is
// charged, its limits and sandbox bytes, a process that vanished mid-sample, and one sample shared
// by concurrent requests. Time is a ManualClock.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pino from 'pino';
import { ManualClock, TASK_PGID_FILE, type Resource } from '@tepui/protocol';
import { ExecutorRun } from '../executors/executor-run';
import { DiskUsageSampler } from './disk-usage';
import { ResourceMonitor } from './resource-monitor';

const MIB = 1024 * 1024;
const scalar = (name: string, value: number): Resource => ({ name, type: 'SCALAR', scalar: { value } });

describe('ResourceMonitor (a /proc in a temp dir)', () => {
  let dir: string;
  let proc: string;
  const clock = new ManualClock(1_700_000_000_000);

  /** Writes /proc/<pid>/stat and status: utime/stime in ticks, rss in kB. */
  const fakeProcess = (pid: number, ppid: number, pgrp: number, utime: number, stime: number, rssKb: number | undefined, threads = 1) => {
    mkdirSync(join(proc, String(pid)), { recursive: true });
    writeFileSync(join(proc, String(pid), 'stat'), `${pid} (p${pid}) S ${ppid} ${pgrp} ${pgrp} 0 -1 0 0 0 0 0 ${utime} ${stime} 0 0 20 0 ${threads} 0 1 1 1`);
    writeFileSync(join(proc, String(pid), 'status'), `Name:\tp${pid}\n${rssKb === undefined ? '' : `VmRSS:\t${rssKb} kB\n`}Threads:\t${threads}\n`);
  };
  const run = (executorId: string, pid: number | undefined, sandbox: string) => {
    const r = new ExecutorRun('fw', { executor_id: { value: executorId }, resources: [scalar('cpus', 0.1), scalar('mem', 32)] }, `c-${executorId}`, { meta: '/m', sandbox }, false);
    r.pid = pid;
    r.tasks.set('t', { info: { name: 't', task_id: { value: 't' }, agent_id: { value: 'a' }, resources: [scalar('cpus', 0.4), scalar('mem', 96), scalar('disk', 10)] }, state: 'TASK_RUNNING', launched: true });
    return r;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tepui-monitor-'));
    proc = join(dir, 'proc');
    mkdirSync(proc);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("charges each executor its tree and its tasks' groups, with its limits and sandbox bytes", async () => {
    // Executor 100 with task group 101 (child 102, and 103 re-parented to init); executor 200 alone; 300 unrelated.
    fakeProcess(1, 0, 1, 0, 0, undefined);
    fakeProcess(100, 1, 100, 100, 10, 40 * 1024, 7);
    fakeProcess(101, 100, 101, 250, 50, 1024);
    fakeProcess(102, 101, 101, 0, 0, 200 * 1024);
    fakeProcess(103, 1, 101, 50, 0, 10 * 1024, 2);
    fakeProcess(200, 1, 200, 30, 0, 30 * 1024);
    fakeProcess(300, 1, 1, 9999, 9999, 999 * 1024);
    mkdirSync(join(proc, 'self'));
    const sandboxA = join(dir, 'a');
    mkdirSync(sandboxA);
    writeFileSync(join(sandboxA, TASK_PGID_FILE), '101');
    const runs = [run('a', 100, sandboxA), run('b', 200, join(dir, 'b-missing'))];
    const disk = new DiskUsageSampler(async (d) => ({ bytes: d === sandboxA ? 5 * MIB : 0, complete: true }), clock);
    const monitor = new ResourceMonitor({
      liveRuns: () => runs, agentId: () => 'S0', docker: () => ({ available: false, host: '' }), clock, log: pino({ level: 'silent' }),
      host: { cpus: 2, memBytes: 1024 * MIB }, procRoot: proc, disk,
    });
    const [a, b] = await monitor.usage();
    expect(a!.run.id).to.equal('a');
    expect(a!.statistics).to.deep.equal({
      timestamp: 1_700_000_000, processes: 4, threads: 11, cpus_user_time_secs: 4, cpus_system_time_secs: 0.6,
      mem_rss_bytes: 251 * MIB, cpus_limit: 0.5, mem_limit_bytes: 128 * MIB, disk_used_bytes: 5 * MIB, disk_limit_bytes: 10 * MIB,
    });
    expect(b!.statistics).to.include({ processes: 1, cpus_user_time_secs: 0.3, mem_rss_bytes: 30 * MIB, disk_used_bytes: 0 });
  });

  it('an executor whose process is gone is charged nothing; a process without a status file no memory', async () => {
    fakeProcess(100, 1, 100, 100, 0, undefined);
    rmSync(join(proc, '100', 'status'));
    const runs = [run('a', 100, join(dir, 'none')), run('gone', 4242, join(dir, 'none'))];
    const monitor = new ResourceMonitor({
      liveRuns: () => runs, agentId: () => 'S0', docker: () => ({ available: false, host: '' }), clock, log: pino({ level: 'silent' }),
      procRoot: proc, disk: new DiskUsageSampler(async () => Promise.reject(new Error('ENOENT')), clock),
    });
    const [a, gone] = await monitor.usage();
    expect(a!.statistics).to.include({ processes: 1, cpus_user_time_secs: 1, mem_rss_bytes: 0 });
    expect(a!.statistics).to.not.have.property('disk_used_bytes');
    expect(gone!.statistics).to.include({ processes: 0, threads: 0, cpus_user_time_secs: 0, mem_rss_bytes: 0 });
  });

  it('concurrent requests share one sample; a later request takes a new one', async () => {
    let listed = 0;
    const runs = [run('a', 100, join(dir, 'none'))];
    const monitor = new ResourceMonitor({
      liveRuns: () => {
        listed++;
        return runs;
      },
      agentId: () => 'S0', docker: () => ({ available: false, host: '' }), clock, log: pino({ level: 'silent' }), procRoot: proc,
      disk: new DiskUsageSampler(async () => ({ bytes: 0, complete: true }), clock),
    });
    const [first, second] = await Promise.all([monitor.usage(), monitor.usage()]);
    expect(first).to.equal(second);
    expect(listed).to.equal(1);
    await monitor.usage();
    expect(listed).to.equal(2);
  });

  it('no live executors: an empty sample, without reading /proc', async () => {
    const monitor = new ResourceMonitor({
      liveRuns: () => [], agentId: () => 'S0', docker: () => ({ available: false, host: '' }), clock, log: pino({ level: 'silent' }), procRoot: join(dir, 'no-proc'),
    });
    expect(await monitor.usage()).to.deep.equal([]);
  });
});
