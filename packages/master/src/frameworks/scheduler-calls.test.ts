// DECLINE filters through the real scheduler API: Filters.refuse_seconds is read once, by the
// allocator's rules (Mesos: negative ⇒ 5 s, above a year or Infinity ⇒ a year, 0 ⇒ none).
import { expect } from 'chai';
import { startInProcess, ScriptedScheduler, until, type InProcessCluster } from '../testing/in-process';

const DAY_MS = 24 * 3600 * 1000;

describe('DECLINE refuse_seconds (in-process master)', () => {
  let cluster: InProcessCluster | undefined;
  afterEach(() => cluster?.stop());
  // For the year-long filters time moves in days, so the clock does not fire 31 million timers.
  const slowFlags = ['--allocation_interval=1days', '--agent_ping_timeout=400days', '--heartbeat_interval=400days'];

  const rows: Array<{ name: string; refuse: unknown; notBeforeMs: number; byMs: number }> = [
    { name: 'absent: the 5 s default', refuse: undefined, notBeforeMs: 4_999, byMs: 5_000 },
    { name: 'negative: the 5 s default', refuse: -3, notBeforeMs: 4_999, byMs: 5_000 },
    { name: 'zero: offered again at once', refuse: 0, notBeforeMs: 0, byMs: 0 },
    { name: '"Infinity" (stout accepts it): capped at a year, not the default', refuse: 'Infinity', notBeforeMs: 364 * DAY_MS, byMs: 365 * DAY_MS },
    { name: '1e300: capped at a year', refuse: 1e300, notBeforeMs: 364 * DAY_MS, byMs: 365 * DAY_MS },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      cluster = await startInProcess(row.byMs > DAY_MS ? slowFlags : []);
      const { clock } = cluster;
      const s = new ScriptedScheduler(cluster.master.url);
      await s.subscribe({ user: 'root', name: 'decliner' });
      const offer = await until(() => s.find((e) => e.offers?.offers?.[0]), 'an offer');
      const filters = row.refuse === undefined ? {} : { filters: { refuse_seconds: row.refuse } };
      expect(await s.call({ type: 'DECLINE', decline: { offer_ids: [offer.id], ...filters } })).to.equal(202);
      // Allocation runs synchronously on the clock, so the master's books show a re-offer at once.
      const outstanding = () => cluster!.master.master.offers.ofFramework(s.frameworkId!).length;
      if (row.notBeforeMs > 0) {
        clock.advance(row.notBeforeMs);
        expect(outstanding()).to.equal(0);
      }
      clock.advance(row.byMs - row.notBeforeMs + 1_000);
      expect(outstanding()).to.equal(1);
      await until(() => s.all((e) => e.offers?.offers).length === 2, 'the declined resources offered again');
      s.disconnect();
    });
  }
});
