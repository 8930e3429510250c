import { expect } from 'chai';
import type { MinAllocatable } from './allocator-types';
import { resources } from './resource-fixtures';
import { TestCluster } from './test-cluster';

// What goes into an offer: min_allocatable, reservations, revocable resources, capabilities.

const q = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('HierarchicalAllocator: min_allocatable_resources', () => {
  const rows: Array<{ name: string; agent: string; global?: MinAllocatable; override?: MinAllocatable; offered: boolean }> = [
    { name: 'below both defaults: not offered', agent: 'cpus:0.005;mem:16', offered: false },
    { name: 'cpus at the default minimum', agent: 'cpus:0.01;mem:16', offered: true },
    { name: 'mem at the default minimum', agent: 'cpus:0.001;mem:32', offered: true },
    { name: 'no cpus or mem at all', agent: 'disk:1000;ports:[1-10]', offered: false },
    { name: 'a configured minimum of disk', agent: 'disk:1000', global: [q({ disk: 100 })], offered: true },
    { name: 'every quantity of a set is needed', agent: 'cpus:1;mem:1024', global: [q({ cpus: 2, mem: 64 })], offered: false },
    { name: 'a framework override of no minimum', agent: 'cpus:0.005', override: [], offered: true },
    { name: 'a stricter framework override', agent: 'cpus:1;mem:1024', override: [q({ cpus: 2 })], offered: false },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const cluster = new TestCluster(row.global ? { minAllocatable: row.global } : {});
      const minAllocatable = row.override ? new Map([['r', row.override]]) : undefined;
      cluster.framework('A', ['r'], { minAllocatable }).agent('s1', row.agent);
      expect(cluster.cycle().length).to.equal(row.offered ? 1 : 0);
      expect(cluster.last?.skipped.belowMinAllocatable).to.equal(row.offered ? 0 : 1);
    });
  }
});

describe('HierarchicalAllocator: offer contents', () => {
  const reserved = 'cpus:2;mem:512;cpus(eng):4;mem(eng):1024';
  const rows: Array<{ name: string; agent: string; role: string; info?: { revocable?: boolean }; expect: string | undefined }> = [
    { name: 'reservations are not offered to other roles', agent: reserved, role: 'ops', expect: 'cpus:2;mem:512' },
    { name: 'reservations are offered to their role with the unreserved rest', agent: reserved, role: 'eng', expect: reserved },
    { name: "a child role gets its parent's reservations", agent: reserved, role: 'eng/frontend', expect: reserved },
    { name: 'a parent role does not get its child’s reservations', agent: 'cpus:1;mem:64;cpus(eng/web):3', role: 'eng', expect: 'cpus:1;mem:64' },
    { name: 'a fully reserved agent is offered to nobody else', agent: 'cpus(eng):4;mem(eng):1024', role: 'ops', expect: undefined },
    { name: 'revocable resources need the capability', agent: '~cpus:2;cpus:1;mem:256', role: 'r', expect: 'cpus:1;mem:256' },
    { name: 'revocable resources with the capability', agent: '~cpus:2;cpus:1;mem:256', role: 'r', info: { revocable: true }, expect: '~cpus:2;cpus:1;mem:256' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const cluster = new TestCluster().framework('A', [row.role], row.info ?? {}).agent('s1', row.agent);
      const offers = cluster.cycle();
      if (row.expect === undefined) {
        expect(offers).to.deep.equal([]);
        return;
      }
      expect(offers).to.have.length(1);
      expect(offers[0].role).to.equal(row.role);
      expect(offers[0].resources.equals(resources(row.expect).allocate(row.role))).to.equal(true);
    });
  }

  it('splits an agent between a reserved role and the others in one cycle', () => {
    const cluster = new TestCluster().framework('O', ['ops']).framework('E', ['eng']);
    cluster.agent('busy', 'cpus:1;mem:64', { E: ['eng', 'cpus:1;mem:64'] }); // so ops sorts first
    cluster.agent('s1', 'cpus(eng):4;mem(eng):1024;cpus:2;mem:512');
    const offers = cluster.cycle();
    expect(TestCluster.describe(offers)).to.deep.equal(['E@s1', 'O@s1']);
    const byFramework = new Map(offers.map((o) => [o.frameworkId, o.resources]));
    expect(byFramework.get('O')?.equals(resources('cpus:2;mem:512').allocate('ops'))).to.equal(true);
    expect(byFramework.get('E')?.equals(resources('cpus(eng):4;mem(eng):1024').allocate('eng'))).to.equal(true);
  });

  it('makes one offer per framework-role and agent, each role its own', () => {
    const cluster = new TestCluster().framework('A', ['a', 'b']);
    cluster.agent('s1', 'cpus(a):1;mem(a):64;cpus(b):1;mem(b):64');
    const offers = cluster.cycle();
    expect(offers.map((o) => `${o.frameworkId}/${o.role}@${o.agentId}`).sort()).to.deep.equal(['A/a@s1', 'A/b@s1']);
    expect(cluster.cycle()).to.deep.equal([]);
  });

  it('hides non-MULTI_ROLE agents from MULTI_ROLE frameworks', () => {
    const cluster = new TestCluster().framework('A', ['r']).agent('old', 'cpus:1;mem:64', {}, false);
    expect(cluster.cycle()).to.deep.equal([]);
    expect(cluster.last?.skipped.incapable).to.equal(1);
  });

  const inactivityRows = [
    { name: 'a deactivated agent', act: (c: TestCluster) => c.allocator.deactivateAgent('s1'), skip: { inactiveAgents: 1 } },
    { name: 'a deactivated framework', act: (c: TestCluster) => c.allocator.deactivateFramework('A'), skip: { inactiveFrameworks: 1 } },
    { name: 'a removed framework', act: (c: TestCluster) => c.allocator.removeFramework('A'), skip: {} },
  ];
  for (const row of inactivityRows) {
    it(`offers nothing for ${row.name}`, () => {
      const cluster = new TestCluster().framework('A', ['r']).agent('s1', 'cpus:1;mem:64');
      row.act(cluster);
      expect(cluster.cycle()).to.deep.equal([]);
      expect(cluster.last?.skipped).to.include(row.skip);
    });
  }

  it('counts offered resources as allocated until they are recovered', () => {
    const cluster = new TestCluster().framework('A', ['r']).agent('s1', 'cpus:2;mem:128');
    const [offer] = cluster.cycle();
    expect(cluster.allocator.agentAvailable('s1').isEmpty()).to.equal(true);
    expect(cluster.allocator.frameworkAllocation('A').equals(offer.resources)).to.equal(true);
    const [summary] = cluster.allocator.roles();
    expect(summary).to.include({ role: 'r', weight: 1 });
    expect(summary.frameworkIds).to.deep.equal(['A']);
    expect(summary.allocated.equals(offer.resources)).to.equal(true);
    cluster.decline(offer, undefined);
    expect(cluster.allocator.agentAvailable('s1').equals(resources('cpus:2;mem:128'))).to.equal(true);
    expect(cluster.allocator.frameworkAllocation('A').isEmpty()).to.equal(true);
  });
});
