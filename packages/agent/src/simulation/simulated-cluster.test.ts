// Simulated agents count their registrations, so a benchmark learns from them (not from polling
// the master) when every agent is back after a failover.
import { expect } from 'chai';
import { ManualLeaderDetector } from '@tepui/coordination';
import { until, type MasterInfo } from '@tepui/protocol';
import { fakeMaster } from '../testing/fake-master';
import { startSimulatedAgents } from './simulated-cluster';

describe('simulated agents', () => {
  it('count every registration and re-registration, and when the last one came', async () => {
    const [first, second] = [await fakeMaster('m1'), await fakeMaster('m2')];
    const detector = new ManualLeaderDetector<MasterInfo>((a, b) => a.id === b.id);
    detector.set(first.info);
    const sim = startSimulatedAgents({ master: 'unused:1', detector, count: 5 });
    try {
      await sim.ready(10_000);
      expect(sim.registrations().count).to.equal(5);
      const movedAt = Date.now();
      detector.set(second.info);
      await until(() => sim.registrations().count === 10 && sim.registeredCount() === 5, 'every agent re-registered with the second master');
      expect(sim.registrations().lastAt).to.be.at.least(movedAt);
      expect(second.received.filter((m) => m.type === 'REREGISTER_AGENT')).to.have.length(5);
    } finally {
      sim.stop();
      await Promise.all([first.close(), second.close()]);
    }
  });
});
