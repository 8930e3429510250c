import { expect } from 'chai';
import pino from 'pino';
import { ManualClock } from '@tepui/protocol';
import { GcSchedule, gcDelayFor, maxAllowedAgeMs } from './sandbox-gc';
import { SandboxCollector, isInside, type CollectorIo } from './collector';

const WEEK = 604_800_000;

describe('sandbox gc: the age Mesos allows at a disk usage', () => {
  const table: Array<[usage: number, headroom: number, expected: number]> = [
    [0, 0.1, WEEK * 0.9],
    [0.05, 0.1, WEEK * 0.85],
    [0.7, 0.1, WEEK * 0.2],
    [0.9, 0.1, 0],
    [0.95, 0.1, 0],
    [1, 0, 0],
  ];
  for (const [usage, headroom, expected] of table) {
    it(`usage ${usage}, headroom ${headroom} → ${expected / WEEK} × gc_delay`, () => {
      expect(maxAllowedAgeMs(WEEK, headroom, usage)).to.be.closeTo(expected, 1);
    });
  }

  it('counts gc_delay from the last modification, never below zero', () => {
    expect(gcDelayFor(1000, 10_000, 10_000)).to.equal(1000);
    expect(gcDelayFor(1000, 10_000, 9_700)).to.equal(700);
    expect(gcDelayFor(1000, 10_000, 0)).to.equal(0);
    expect(gcDelayFor(1000, 10_000, 20_000)).to.equal(1000); // a clock that went back
  });
});

describe('sandbox gc: the schedule', () => {
  const delay = 100_000;
  const now = 1_000_000;

  it('is due gc_delay after scheduling, earliest first', () => {
    const plan = new GcSchedule(delay, 0.1);
    plan.schedule('/w/a', delay, now);
    plan.schedule('/w/b', delay / 2, now);
    expect(plan.nextDue()).to.equal(now + delay / 2);
    expect(plan.takeDue(now + delay / 2 - 1)).to.deep.equal([]);
    expect(plan.takeDue(now + delay / 2)).to.deep.equal(['/w/b']);
    expect(plan.takeDue(now + delay)).to.deep.equal(['/w/a']);
    expect(plan.size).to.equal(0);
  });

  it('unschedule keeps a directory', () => {
    const plan = new GcSchedule(delay, 0.1);
    plan.schedule('/w/a', 0, now);
    expect(plan.unschedule('/w/a')).to.equal(true);
    expect(plan.takeDue(now + delay)).to.deep.equal([]);
  });

  // Three directories finished 0, 50% and 85% of gc_delay ago.
  const cases: Array<[usage: number, pruned: string[]]> = [
    [0, []], // allowed age 0.9 × delay: none is that old
    [0.05, ['/w/old']], // 0.85 × delay
    [0.7, ['/w/mid', '/w/old']], // 0.2 × delay
    [0.9, ['/w/new', '/w/mid', '/w/old']], // 0: everything
    [0.99, ['/w/new', '/w/mid', '/w/old']],
  ];
  for (const [usage, pruned] of cases) {
    it(`prunes at usage ${usage}: ${pruned.length} directories`, () => {
      const plan = new GcSchedule(delay, 0.1);
      plan.schedule('/w/new', delay, now);
      plan.schedule('/w/mid', delay * 0.5, now);
      plan.schedule('/w/old', delay * 0.15, now);
      expect(plan.prune(now, usage).sort()).to.deep.equal([...pruned].sort());
      expect(plan.size).to.equal(3 - pruned.length);
    });
  }
});

describe('sandbox gc: the collector shell', () => {
  const log = pino({ level: 'silent' });
  const setup = (usage = { value: 0 }) => {
    const clock = new ManualClock();
    const removed: string[] = [];
    const io: CollectorIo = {
      remove: async (path) => void removed.push(path),
      modifiedAt: async () => clock.now(),
      diskUsage: () => usage.value,
    };
    const collector = new SandboxCollector({ workDir: '/work', gcDelayMs: 10_000, gcDiskHeadroom: 0.1, diskWatchIntervalMs: 1000 }, clock, log, io);
    return { clock, removed, collector, usage };
  };
  const settle = () => new Promise((r) => setImmediate(r));

  it('removes a directory gc_delay after it was last modified, and calls back first', async () => {
    const { clock, removed, collector } = setup();
    let detached = false;
    await collector.collect('/work/slaves/a/runs/1', () => (detached = true));
    clock.advance(9_999);
    await settle();
    expect(removed).to.deep.equal([]);
    clock.advance(1);
    await settle();
    expect(removed).to.deep.equal(['/work/slaves/a/runs/1']);
    expect(detached).to.equal(true);
    expect(collector.isScheduled('/work/slaves/a/runs/1')).to.equal(false);
  });

  it('re-arms for a sooner directory scheduled later', async () => {
    const { clock, removed, collector } = setup();
    await collector.collect('/work/late');
    clock.advance(5_000);
    await collector.collect('/work/soon');
    clock.advance(5_000);
    await settle();
    expect(removed).to.deep.equal(['/work/late']);
    clock.advance(5_000);
    await settle();
    expect(removed).to.deep.equal(['/work/late', '/work/soon']);
  });

  it('prunes on the disk watch as the disk fills', async () => {
    const usage = { value: 0.2 };
    const { clock, removed, collector } = setup(usage);
    collector.start();
    await collector.collect('/work/a');
    clock.advance(3_000);
    await settle();
    expect(removed).to.deep.equal([]);
    usage.value = 0.7; // allowed age 0.2 × 10 s: /work/a (3 s old) goes at the next check
    clock.advance(1_000);
    await settle();
    expect(removed).to.deep.equal(['/work/a']);
    collector.stop();
  });

  it('never schedules a path outside the work_dir', async () => {
    const { collector } = setup();
    for (const path of ['/etc', '/work', '/work/../etc', '/workother/x']) {
      let error: Error | undefined;
      await collector.collect(path).catch((err: Error) => (error = err));
      expect(error?.message, path).to.match(/not inside the work_dir/);
    }
    expect(isInside('/work', '/work/slaves/x')).to.equal(true);
  });

  it('unschedule keeps a directory', async () => {
    const { clock, removed, collector } = setup();
    await collector.collect('/work/a');
    collector.unschedule('/work/a');
    clock.advance(20_000);
    await settle();
    expect(removed).to.deep.equal([]);
  });
});
