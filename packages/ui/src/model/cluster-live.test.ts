import { expect } from 'chai';
import { appendSample, chartColumns, clusterEventEffect, masterBannerText, utilisationOf } from './cluster-live';

describe('cluster page live updates', () => {
  it('reads everything after (re)subscribing, patches on a change, reads nothing on a heartbeat', () => {
    expect(clusterEventEffect('SUBSCRIBED')).to.equal('read-all');
    for (const type of ['TASK_ADDED', 'TASK_UPDATED', 'AGENT_ADDED', 'AGENT_REMOVED', 'FRAMEWORK_ADDED', 'FRAMEWORK_UPDATED', 'FRAMEWORK_REMOVED']) {
      expect(clusterEventEffect(type), type).to.equal('patch');
    }
    expect(clusterEventEffect('HEARTBEAT')).to.equal('sample');
    expect(clusterEventEffect('UNKNOWN')).to.equal(undefined);
  });

  it('keeps the utilisation of the last minutes, in time order', () => {
    const at = (t: number) => utilisationOf({ cpus: 2, mem: 1024 }, { cpus: 8, mem: 4096, disk: 0 }, t);
    expect(at(0)).to.deep.equal({ at: 0, cpus: 0.25, mem: 0.25, disk: 0 });
    let history = appendSample([], at(1_000), 60_000);
    history = appendSample(history, at(30_000), 60_000);
    history = appendSample(history, at(65_000), 60_000);
    expect(history.map((s) => s.at)).to.deep.equal([30_000, 65_000]);
    expect(chartColumns(history)).to.deep.equal([[30, 65], [25, 25], [25, 25], [0, 0]]);
  });

  it('says when the master connection is lost and when it is back', () => {
    expect(masterBannerText('lost')).to.contain('lost');
    expect(masterBannerText('restored')).to.contain('back');
    expect(masterBannerText('live')).to.equal(undefined);
  });
});
