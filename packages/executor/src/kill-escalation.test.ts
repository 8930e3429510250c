import { expect } from 'chai';
import { escalateKill, killGraceMs, shutdownKillGraceMs, type KillEscalation } from './kill-escalation';

describe('kill escalation', () => {
  const started: KillEscalation = { startedAt: 1000, deadline: 21_000 }; // first KILL at 1 s with 20 s grace

  const rows: Array<{ name: string; current?: KillEscalation; graceMs: number; now: number; deadline: number; rescheduled: boolean }> = [
    { name: 'the first KILL starts the grace period', graceMs: 20_000, now: 1000, deadline: 21_000, rescheduled: true },
    { name: 'a retried KILL with the same grace changes nothing', current: started, graceMs: 20_000, now: 11_000, deadline: 21_000, rescheduled: false },
    { name: 'a longer grace is ignored', current: started, graceMs: 30_000, now: 2000, deadline: 21_000, rescheduled: false },
    { name: 'a shorter grace not yet spent brings the SIGKILL forward', current: started, graceMs: 5000, now: 3000, deadline: 6000, rescheduled: true },
    { name: 'a shorter grace already spent means SIGKILL now', current: started, graceMs: 5000, now: 9000, deadline: 9000, rescheduled: true },
    { name: 'a zero grace means SIGKILL now', current: started, graceMs: 0, now: 4000, deadline: 4000, rescheduled: true },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const d = escalateKill(row.current, row.graceMs, row.now);
      expect({ deadline: d.escalation.deadline, rescheduled: d.rescheduled, startedAt: d.escalation.startedAt })
        .to.deep.equal({ deadline: row.deadline, rescheduled: row.rescheduled, startedAt: row.current?.startedAt ?? row.now });
    });
  }

  it('takes the grace of the KILL, else of the task, else the default', () => {
    const task = { name: 't', task_id: { value: 't' }, agent_id: { value: 'a' }, kill_policy: { grace_period: { nanoseconds: 7e9 } } };
    expect(killGraceMs({ grace_period: { nanoseconds: 2e9 } }, task, 3000)).to.equal(2000);
    expect(killGraceMs(undefined, task, 3000)).to.equal(7000);
    expect(killGraceMs({}, { ...task, kill_policy: undefined }, 3000)).to.equal(3000);
  });

  it('kills on SHUTDOWN with the shutdown grace less 2 s, never below zero', () => {
    expect(shutdownKillGraceMs(5000)).to.equal(3000);
    expect(shutdownKillGraceMs(1500)).to.equal(0);
  });
});
