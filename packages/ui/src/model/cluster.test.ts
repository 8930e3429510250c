import { expect } from 'chai';
import { amountsOf, buildClusterView, countRanges, dominantShare, formatShare } from './cluster';

describe('cluster view', () => {
  const state = {
    flags: { fair_sharing_excluded_resource_names: 'gpus' },
    slaves: [
      { id: 'A2', hostname: 'node-b', active: true, resources: { cpus: 4, mem: 4096, disk: 10240, gpus: 1, ports: '[21000-21999]' }, used_resources: { cpus: 1, mem: 2048, disk: 0, gpus: 1, ports: '[21000-21001]' } },
      { id: 'A1', hostname: 'node-a', active: true, resources: { cpus: 4, mem: 4096, disk: 10240, gpus: 1, ports: '[20000-20999]' }, used_resources: { cpus: 0.5, mem: 64, disk: 0, ports: '[20005-20005, 20010-20011]' } },
    ],
    frameworks: [
      { id: 'F1', name: 'marathon', role: 'web', active: true, used_resources: { cpus: 1.5, mem: 2112, disk: 0, gpus: 1, ports: '[…]' }, tasks: [{}, {}], offers: [{}] },
      { id: 'F2', name: 'batch', roles: ['etl', 'etl/nightly'], active: false, used_resources: {}, tasks: [], offers: [{}, {}] },
    ],
  };
  const roles = { roles: [
    { name: 'web', weight: 2, allocated: { cpus: 1.5, mem: 2112, disk: 0, gpus: 1, ports: 5 }, frameworks: ['F1'] },
    { name: 'etl', weight: 1, allocated: {}, frameworks: ['F2'] },
  ] };

  it("lists agents (by hostname) with used and total cpus, mem, disk and ports", () => {
    const view = buildClusterView(state, roles);
    expect(view.agents.map((a) => a.id)).to.deep.equal(['A1', 'A2']);
    expect(view.agents[0]).to.deep.include({ used: { cpus: 0.5, mem: 64, disk: 0, ports: 3 }, total: { cpus: 4, mem: 4096, disk: 10240, gpus: 1, ports: 1000 } });
    expect(view.total).to.deep.include({ cpus: 8, mem: 8192, ports: 2000 });
    expect(view.used).to.deep.include({ cpus: 1.5, mem: 2112, ports: 5 });
    expect(view.outstandingOffers).to.equal(3);
  });

  it("computes dominant shares as the master's DRF does: scalars only, excluded names skipped, weight divides", () => {
    const view = buildClusterView(state, roles);
    // mem 2112/8192 = 0.2578 beats cpus 1.5/8; gpus are excluded from fair sharing, ports are not scalars.
    expect(view.roles[0]).to.deep.include({ name: 'web', weight: 2, dominantShare: 2112 / 8192, weightedShare: 2112 / 8192 / 2 });
    expect(view.roles[1]).to.deep.include({ name: 'etl', dominantShare: 0 });
    expect(view.frameworks[0]).to.deep.include({ id: 'F1', roles: ['web'], dominantShare: 2112 / 8192, tasks: 2, offers: 1 });
    expect(view.frameworks[1]).to.deep.include({ roles: ['etl', 'etl/nightly'], active: false, dominantShare: 0 });
    expect(view.excludedFromSharing).to.deep.equal(['gpus']);
  });

  it('skips totals of zero, reads ranges and odd input without failing', () => {
    expect(dominantShare({ cpus: 1, gpus: 1 }, { cpus: 4, gpus: 0 })).to.equal(0.25);
    expect(countRanges('[31000-31002, 31005-31005]')).to.equal(4);
    expect(amountsOf({ cpus: 'x', mem: 5, ports: '[]' })).to.deep.equal({ mem: 5, ports: 0 });
    expect(buildClusterView(undefined, 'nonsense')).to.deep.include({ agents: [], frameworks: [], roles: [], outstandingOffers: 0 });
    expect(formatShare(2112 / 8192)).to.equal('25.8%');
  });
});
