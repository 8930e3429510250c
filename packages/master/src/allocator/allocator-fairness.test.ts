import { expect } from 'chai';
import { TestCluster } from './test-cluster';

// DRF acceptance: shares converge, weights scale them, freed resources go to whoever is furthest
// below its share, and hierarchical roles compare subtrees first.

/** Offers agents one at a time (event-triggered runs) and lets each offered framework launch one task. */
function launchRounds(cluster: TestCluster, agentIds: string[], steps: number, tasks: Record<string, string>): void {
  for (let i = 0; i < steps; i++) {
    for (const offer of cluster.cycle([agentIds[i % agentIds.length]])) cluster.launch(offer, tasks[offer.frameworkId]);
  }
}

function tenAgents(cluster: TestCluster): string[] {
  const ids = Array.from({ length: 10 }, (_, i) => `s${i}`);
  for (const id of ids) cluster.agent(id, 'cpus:10;mem:10240;ports:[31000-32000]');
  return ids;
}

describe('HierarchicalAllocator: DRF fairness', () => {
  const convergence = [
    { name: 'frameworks in one role', roles: { cpuHeavy: 'web', memHeavy: 'web' } },
    { name: 'frameworks in different roles', roles: { cpuHeavy: 'web', memHeavy: 'batch' } },
  ];
  for (const row of convergence) {
    it(`gives different demand vectors equal dominant shares: ${row.name}`, () => {
      const cluster = new TestCluster();
      const agents = tenAgents(cluster);
      cluster.framework('cpuHeavy', [row.roles.cpuHeavy]).framework('memHeavy', [row.roles.memHeavy]);
      // cpuHeavy tasks dominate on cpus (1% of the cluster each), memHeavy on mem (1.5% each).
      launchRounds(cluster, agents, 40, { cpuHeavy: 'cpus:1;mem:128', memHeavy: 'cpus:0.1;mem:1536' });
      const cpuShare = cluster.allocator.dominantShare('cpuHeavy');
      const memShare = cluster.allocator.dominantShare('memHeavy');
      expect(Math.abs(cpuShare - memShare)).to.be.at.most(0.015 + 1e-9);
      expect(cluster.taskCount('cpuHeavy')).to.equal(24);
      expect(cluster.taskCount('memHeavy')).to.equal(16);
    });
  }

  const weightRows = [
    { name: 'weights 2:1 give shares 2:1', weights: { gold: 2, silver: 1 }, expectRatio: 2 },
    { name: 'weights 3:1 give shares 3:1', weights: { gold: 3, silver: 1 }, expectRatio: 3 },
    { name: 'no weights give equal shares', weights: {}, expectRatio: 1 },
  ];
  for (const row of weightRows) {
    it(row.name, () => {
      const cluster = new TestCluster({ weights: new Map(Object.entries(row.weights)) });
      const agents = tenAgents(cluster);
      cluster.framework('g', ['gold']).framework('s', ['silver']);
      launchRounds(cluster, agents, 60, { g: 'cpus:1;mem:128', s: 'cpus:1;mem:128' });
      const gold = cluster.allocator.dominantShare('g');
      const silver = cluster.allocator.dominantShare('s');
      expect(gold / silver).to.be.closeTo(row.expectRatio, 0.2);
      expect(cluster.taskCount('g') + cluster.taskCount('s')).to.equal(60);
    });
  }

  const freedRows = [
    { name: 'frameworks in one role', roles: { A: 'r', B: 'r', C: 'r' }, suppress: [], expect: 'C' },
    { name: 'frameworks in their own roles', roles: { A: 'ra', B: 'rb', C: 'rc' }, suppress: [], expect: 'C' },
    { name: 'the furthest below is suppressed, so the next one', roles: { A: 'r', B: 'r', C: 'r' }, suppress: ['C'], expect: 'B' },
  ];
  for (const row of freedRows) {
    it(`offers a freed resource to the framework furthest below its share: ${row.name}`, () => {
      const cluster = new TestCluster();
      for (const [id, role] of Object.entries(row.roles)) cluster.framework(id, [role]);
      cluster
        .agent('s1', 'cpus:8;mem:1024', { A: [row.roles.A, 'cpus:8;mem:1024'] })
        .agent('s2', 'cpus:8;mem:1024', { B: [row.roles.B, 'cpus:4;mem:512'] })
        .agent('s3', 'cpus:8;mem:1024', { C: [row.roles.C, 'cpus:2;mem:256'] })
        .agent('s4', 'cpus:8;mem:1024', { A: [row.roles.A, 'cpus:8;mem:1024'] });
      for (const id of row.suppress) cluster.allocator.suppressOffers(id);
      // Everything but s2/s3's rest is in use; keep those out of the picture.
      cluster.allocator.deactivateAgent('s2');
      cluster.allocator.deactivateAgent('s3');
      cluster.allocator.recoverResources('A', 's4', cluster.allocator.agentAllocated('s4'), undefined, 0);
      expect(TestCluster.describe(cluster.cycle())).to.deep.equal([`${row.expect}@s4`]);
    });
  }

  const hierarchyRows = [
    {
      name: 'a subtree is compared as a whole (eng = frontend + backend)',
      used: { frontend: 'cpus:4', backend: 'cpus:0.5', ops: 'cpus:3' },
      weights: {},
      expect: 'ops',
    },
    {
      name: 'inside the cheaper subtree, the cheaper child',
      used: { frontend: 'cpus:1', backend: 'cpus:0.5', ops: 'cpus:3' },
      weights: {},
      expect: 'backend',
    },
    {
      name: 'a weight on the parent role scales the whole subtree',
      used: { frontend: 'cpus:4', backend: 'cpus:0.5', ops: 'cpus:3' },
      weights: { eng: 2 },
      expect: 'backend',
    },
  ];
  for (const row of hierarchyRows) {
    it(`hierarchical roles: ${row.name}`, () => {
      const roles = { frontend: 'eng/frontend', backend: 'eng/backend', ops: 'ops' };
      const cluster = new TestCluster({ weights: new Map(Object.entries(row.weights)) });
      for (const [id, role] of Object.entries(roles)) cluster.framework(id, [role]);
      for (const [id, used] of Object.entries(row.used)) {
        cluster.agent(`used-${id}`, used, { [id]: [roles[id as keyof typeof roles], used] });
      }
      cluster.agent('free', 'cpus:1;mem:128');
      expect(TestCluster.describe(cluster.cycle())).to.deep.equal([`${row.expect}@free`]);
    });
  }
});
