import { expect } from 'chai';
import { ManualClock } from '@tepui/protocol';
import { AllocationLoop } from './allocation-loop';
import type { AllocationResult } from './allocator-types';
import { emptySkipSummary } from './allocator-types';

/** Records the runs the loop asks for: `all` for a full run, else the sorted agent ids. */
class RecordingAllocator {
  readonly runs: Array<{ at: number; agents: string }> = [];
  allocate(now: number, agentIds?: Iterable<string>): AllocationResult {
    this.runs.push({ at: now, agents: agentIds === undefined ? 'all' : Array.from(agentIds).sort().join(',') });
    return { offers: [], skipped: emptySkipSummary() };
  }
}

describe('AllocationLoop', () => {
  const start = 1_700_000_000_000;
  const rows: Array<{ name: string; steps: (loop: AllocationLoop, clock: ManualClock) => void; expect: Array<{ at: number; agents: string }> }> = [
    {
      name: 'runs a full cycle every interval',
      steps: (_loop, clock) => clock.advance(3_000),
      expect: [
        { at: start + 1_000, agents: 'all' },
        { at: start + 2_000, agents: 'all' },
        { at: start + 3_000, agents: 'all' },
      ],
    },
    {
      name: 'merges a burst of requests into one run on the next tick',
      steps: (loop, clock) => {
        loop.requestAllocation(['s1']);
        loop.requestAllocation(['s2', 's1']);
        loop.requestAllocation(['s3']);
        clock.advance(0);
        clock.advance(10);
      },
      expect: [{ at: start, agents: 's1,s2,s3' }],
    },
    {
      name: 'widens a burst to all agents when one request names none',
      steps: (loop, clock) => {
        loop.requestAllocation(['s1']);
        loop.requestAllocation();
        clock.advance(0);
      },
      expect: [{ at: start, agents: 'all' }],
    },
    {
      name: 'keeps periodic runs going alongside event-triggered ones',
      steps: (loop, clock) => {
        clock.advance(999);
        loop.requestAllocation(['s1']);
        clock.advance(1);
      },
      expect: [{ at: start + 999, agents: 's1' }, { at: start + 1_000, agents: 'all' }],
    },
    {
      name: 'runs nothing once stopped',
      steps: (loop, clock) => {
        loop.requestAllocation(['s1']);
        loop.stop();
        loop.requestAllocation(['s2']);
        clock.advance(5_000);
      },
      expect: [],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const clock = new ManualClock(start);
      const allocator = new RecordingAllocator();
      const results: AllocationResult[] = [];
      const loop = new AllocationLoop(allocator, clock, 1_000, (r) => results.push(r));
      loop.start();
      row.steps(loop, clock);
      expect(allocator.runs).to.deep.equal(row.expect);
      expect(results).to.have.length(row.expect.length);
      loop.stop();
    });
  }

  it('leaves no timers behind when stopped', () => {
    const clock = new ManualClock(start);
    const loop = new AllocationLoop(new RecordingAllocator(), clock, 1_000, () => undefined);
    loop.start();
    loop.requestAllocation(['s1']);
    loop.stop();
    expect(clock.pendingTimers).to.equal(0);
  });
});
