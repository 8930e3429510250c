import { expect } from 'chai';
import { TestCluster } from './test-cluster';

// Decline filters (refuse_seconds) and SUPPRESS / REVIVE, driven through the allocator's events.

describe('HierarchicalAllocator: decline filters', () => {
  const rows: Array<{ name: string; frameworks: string[]; refuseSeconds: number | undefined; atMs: number; expect: string[] }> = [
    { name: 'not re-offered to the decliner before refuse_seconds', frameworks: ['A'], refuseSeconds: 10, atMs: 9_999, expect: [] },
    { name: 're-offered once refuse_seconds have passed', frameworks: ['A'], refuseSeconds: 10, atMs: 10_000, expect: ['A@s1'] },
    { name: 'offered to another framework meanwhile', frameworks: ['A', 'B'], refuseSeconds: 10, atMs: 1_000, expect: ['B@s1'] },
    { name: 'refuse_seconds 0 installs no filter', frameworks: ['A'], refuseSeconds: 0, atMs: 1_000, expect: ['A@s1'] },
    { name: 'resources returned without filters are offered at once', frameworks: ['A'], refuseSeconds: undefined, atMs: 0, expect: ['A@s1'] },
    { name: 'a filter shorter than the interval lasts one interval', frameworks: ['A'], refuseSeconds: 0.1, atMs: 999, expect: [] },
    { name: 'negative refuse_seconds means the 5 s default', frameworks: ['A'], refuseSeconds: -3, atMs: 4_999, expect: [] },
    { name: 'the 5 s default ends on time', frameworks: ['A'], refuseSeconds: -3, atMs: 5_000, expect: ['A@s1'] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const cluster = new TestCluster();
      for (const id of row.frameworks) cluster.framework(id, ['r']);
      cluster.agent('s1', 'cpus:4;mem:1024');
      const [first] = cluster.cycle();
      expect(first.frameworkId).to.equal('A');
      cluster.decline(first, row.refuseSeconds);
      cluster.now = row.atMs;
      expect(TestCluster.describe(cluster.cycle())).to.deep.equal(row.expect);
    });
  }

  it('re-offers at once when the agent has more free than was refused', () => {
    const cluster = new TestCluster().framework('A', ['r']).framework('X', ['r']);
    cluster.agent('s1', 'cpus:6;mem:1536', { X: ['r', 'cpus:2;mem:512'] });
    const [offer] = cluster.cycle();
    expect(offer.frameworkId).to.equal('A');
    cluster.decline(offer, 3600);
    cluster.now = 1_000;
    cluster.allocator.suppressOffers('X');
    expect(cluster.cycle()).to.deep.equal([]);
    expect(cluster.last?.skipped.fullyFilteredAgents).to.equal(1);
    cluster.allocator.recoverResources('X', 's1', cluster.allocator.frameworkAllocation('X'), undefined, cluster.now);
    cluster.now = 2_000;
    const [again] = cluster.cycle();
    expect(again.frameworkId).to.equal('A');
    expect(again.resources.scalar('cpus')).to.equal(6);
  });

  it('keeps filters per role: declining in one role leaves the other', () => {
    const cluster = new TestCluster().framework('A', ['r1', 'r2']);
    cluster.agent('s1', 'cpus:4;mem:1024');
    const [first] = cluster.cycle();
    expect(first.role).to.equal('r1');
    cluster.decline(first, 60);
    cluster.now = 1_000;
    expect(cluster.cycle().map((o) => o.role)).to.deep.equal(['r2']);
  });

  it('skips an agent every framework has declined without walking the frameworks', () => {
    const cluster = new TestCluster().framework('A', ['r']).framework('B', ['r']);
    cluster.agent('s1', 'cpus:4;mem:1024');
    for (let t = 0; t < 2; t++) for (const offer of cluster.cycle()) cluster.decline(offer, 3600);
    cluster.now = 1_000;
    expect(cluster.cycle()).to.deep.equal([]);
    expect(cluster.last?.skipped).to.include({ filtered: 0, fullyFilteredAgents: 1 });
    cluster.framework('C', ['r']);
    expect(TestCluster.describe(cluster.cycle())).to.deep.equal(['C@s1']);
  });

  it('skips an agent where nothing could be offered last time until something changes', () => {
    const cluster = new TestCluster()
      .framework('A', ['r'])
      .framework('B', ['r'], { minAllocatable: new Map([['r', [new Map([['cpus', 8]])]]]) });
    cluster.agent('s1', 'cpus:4;mem:1024');
    for (const offer of cluster.cycle()) cluster.decline(offer, 3600);
    cluster.now = 1_000;
    expect(cluster.cycle()).to.deep.equal([]);
    expect(cluster.last?.skipped).to.include({ filtered: 1, belowMinAllocatable: 1 });
    cluster.now = 2_000;
    expect(cluster.cycle()).to.deep.equal([]);
    expect(cluster.last?.skipped).to.include({ filtered: 0, belowMinAllocatable: 0, unchangedIdleAgents: 1 });
    cluster.allocator.reviveOffers('A');
    expect(TestCluster.describe(cluster.cycle())).to.deep.equal(['A@s1']);
  });
});

describe('HierarchicalAllocator: SUPPRESS and REVIVE', () => {
  const rows: Array<{ name: string; roles: string[]; steps: (c: TestCluster) => void; expectRoles: string[] }> = [
    { name: 'SUPPRESS stops offers', roles: ['r'], steps: (c) => c.allocator.suppressOffers('A'), expectRoles: [] },
    {
      name: 'REVIVE restarts them',
      roles: ['r'],
      steps: (c) => {
        c.allocator.suppressOffers('A');
        c.cycle();
        c.allocator.reviveOffers('A');
      },
      expectRoles: ['r'],
    },
    {
      name: 'REVIVE clears decline filters',
      roles: ['r'],
      steps: (c) => {
        for (const offer of c.cycle()) c.decline(offer, 3600);
        c.allocator.reviveOffers('A', ['r']);
      },
      expectRoles: ['r'],
    },
    {
      name: 'suppressing one role leaves the other offered',
      roles: ['r1', 'r2'],
      steps: (c) => c.allocator.suppressOffers('A', ['r1']),
      expectRoles: ['r2'],
    },
    {
      name: 'reviving one role keeps the other suppressed',
      roles: ['r1', 'r2'],
      steps: (c) => {
        c.allocator.suppressOffers('A');
        c.allocator.reviveOffers('A', ['r2']);
      },
      expectRoles: ['r2'],
    },
    {
      name: 'UPDATE_FRAMEWORK unsuppressing a role clears its filters',
      roles: ['r'],
      steps: (c) => {
        for (const offer of c.cycle()) c.decline(offer, 3600);
        c.allocator.updateFramework('A', { roles: ['r'], suppressedRoles: ['r'], multiRole: true });
        c.allocator.updateFramework('A', { roles: ['r'], suppressedRoles: [], multiRole: true });
      },
      expectRoles: ['r'],
    },
    {
      name: 'subscribing with suppressed roles',
      roles: ['r'],
      steps: (c) => {
        c.allocator.removeFramework('A');
        c.framework('A', ['r'], { suppressedRoles: ['r'] });
      },
      expectRoles: [],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const cluster = new TestCluster().framework('A', row.roles);
      cluster.agent('s1', 'cpus:4;mem:1024');
      row.steps(cluster);
      // Whatever earlier steps were offered comes back without a filter before the checked cycle.
      for (const role of row.roles) {
        const held = cluster.allocator.frameworkAllocation('A').filter((r) => r.allocation_info?.role === role);
        if (!held.isEmpty()) cluster.allocator.recoverResources('A', 's1', held, undefined, cluster.now);
      }
      cluster.now += 1_000;
      expect(cluster.cycle().map((o) => o.role)).to.deep.equal(row.expectRoles);
    });
  }

  it('counts suppressed framework-roles in the skip summary', () => {
    const cluster = new TestCluster().framework('A', ['r1', 'r2']).framework('B', ['r1']);
    cluster.agent('s1', 'cpus:4;mem:1024');
    cluster.allocator.suppressOffers('A');
    cluster.allocator.deactivateFramework('B');
    cluster.cycle();
    expect(cluster.last?.skipped).to.include({ suppressedFrameworkRoles: 2, inactiveFrameworks: 1 });
  });
});
