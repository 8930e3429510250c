import { expect } from 'chai';
import type { AppDefinition } from '@tepui/protocol';
import { MemoryStateStore } from './memory-state-store';
import { MarathonRepository } from './repository';

function app(id: string, version: string, instances = 1): AppDefinition {
  return {
    id, version, instances, cmd: 'sleep 100', cpus: 0.1, mem: 32, disk: 0, gpus: 0, executor: '', constraints: [], fetch: [],
    backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300, healthChecks: [], readinessChecks: [], dependencies: [],
    upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 }, labels: {}, networks: [{ mode: 'host' }],
    portDefinitions: [], requirePorts: false, killSelection: 'YOUNGEST_FIRST', unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
  };
}

describe('MarathonRepository', () => {
  it('keeps the current app and its version history, newest first', async () => {
    const repo = new MarathonRepository(new MemoryStateStore());
    await repo.storeApp(app('/prod/web', '2026-01-01T00:00:00.000Z', 1));
    await repo.storeApp(app('/prod/web', '2026-01-02T00:00:00.000Z', 3));
    expect((await repo.app('/prod/web'))?.instances).to.equal(3);
    expect(await repo.versions('/prod/web')).to.deep.equal(['2026-01-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    expect((await repo.appVersion('/prod/web', '2026-01-01T00:00:00.000Z'))?.instances).to.equal(1);
    expect((await repo.apps()).map((a) => a.id)).to.deep.equal(['/prod/web']);
  });

  it('prunes versions beyond the limit', async () => {
    const repo = new MarathonRepository(new MemoryStateStore(), 3);
    for (let day = 1; day <= 5; day++) await repo.storeApp(app('/a', `2026-01-0${day}T00:00:00.000Z`));
    expect(await repo.versions('/a')).to.deep.equal(['2026-01-05T00:00:00.000Z', '2026-01-04T00:00:00.000Z', '2026-01-03T00:00:00.000Z']);
  });

  it('deletes an app but keeps its versions (group rollback) and its instances (they leave as they end)', async () => {
    const repo = new MarathonRepository(new MemoryStateStore());
    await repo.storeApp(app('/a', '2026-01-01T00:00:00.000Z'));
    await repo.storeInstance('/a', 'a.1', { state: 'running' });
    await repo.deleteApp('/a');
    expect(await repo.app('/a')).to.equal(undefined);
    expect(await repo.apps()).to.deep.equal([]);
    expect(await repo.versions('/a')).to.deep.equal(['2026-01-01T00:00:00.000Z']);
    expect(await repo.instances('/a')).to.have.length(1);
  });

  it('stores the framework id, deployments and instances', async () => {
    const repo = new MarathonRepository(new MemoryStateStore());
    await repo.setFrameworkId('M-0001');
    await repo.storeDeployment('d-1', { id: 'd-1' });
    await repo.storeInstance('/a', 'a.1', { id: 'a.1' });
    expect(await repo.frameworkId()).to.equal('M-0001');
    expect(await repo.deployments()).to.deep.equal([{ id: 'd-1' }]);
    expect(await repo.instances('/a')).to.deep.equal([{ id: 'a.1' }]);
    await repo.deleteDeployment('d-1');
    expect(await repo.deployments()).to.deep.equal([]);
  });
});
