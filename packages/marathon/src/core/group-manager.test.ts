// The group manager's commit: a new root group and the deployment that makes it real are stored
// together (a crash leaves both or neither), and which changes count as a scale.
import { expect } from 'chai';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ManualClock, type AppDefinition } from '@tepui/protocol';
import { EventBus } from '../events/event-bus';
import { app } from '../scheduling/test-fixtures';
import { FileStateStore } from '../storage/file-state-store';
import { MemoryStateStore } from '../storage/memory-state-store';
import { MarathonRepository } from '../storage/repository';
import type { StateStore, StoreOp } from '../storage/state-store';
import { DeploymentManager } from './deployment-manager';
import { GroupManager } from './group-manager';
import { RootGroup } from './root-group';

async function managerOn(store: StateStore, clock = new ManualClock(Date.parse('2026-03-01T00:00:00.000Z'))) {
  const repository = new MarathonRepository(store);
  const root = new RootGroup(repository, store);
  await root.load();
  const deployments = new DeploymentManager(repository, new EventBus(clock), pino({ level: 'silent' }), () => undefined);
  await deployments.load();
  return { root, deployments, groups: new GroupManager(root, deployments, new EventBus(clock), clock), repository, clock };
}

const withApp = (a: AppDefinition) => (root: { apps: readonly AppDefinition[]; groups: ReadonlyArray<{ id: string; dependencies: readonly string[] }> }) => ({
  groups: root.groups, apps: [...root.apps.filter((x) => x.id !== a.id), a],
});

describe('group manager', () => {
  describe('commit under a crash', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'tepui-group-commit-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('stores the root group and its deployment in one write: a crash at any byte of it leaves neither', async () => {
      const first = await managerOn(FileStateStore.open(dir));
      await first.groups.update(withApp(app({ id: '/a', version: undefined })), { force: false });
      const before = statSync(join(dir, 'wal.log')).size;
      first.clock.advance(1000);
      const plan = await first.groups.update(withApp(app({ id: '/b', version: undefined })), { force: false });
      const record = readFileSync(join(dir, 'wal.log')).subarray(before).toString();
      expect(record.split('\n').filter((l) => l).length, 'the app, the groups and the deployment in one log record').to.equal(1);
      expect(record).to.include('/apps/@2Fb/current').and.include('"/groups"').and.include(`/deployments/${plan.id}`);
      const after = statSync(join(dir, 'wal.log')).size;
      // The crash: the process died while writing that record, `cut` bytes of it on disk (all but
      // the closing bracket and newline at most).
      for (const cut of [1, Math.floor((after - before) / 2), after - before - 2]) {
        const copy = mkdtempSync(join(tmpdir(), 'tepui-group-crash-'));
        try {
          for (const name of ['wal.log', 'snapshot.jsonl']) if (existsSync(join(dir, name))) copyFileSync(join(dir, name), join(copy, name));
          truncateSync(join(copy, 'wal.log'), before + cut);
          const reopened = await managerOn(FileStateStore.open(copy));
          expect(reopened.root.allApps().map((a) => a.id), `cut at ${cut}`).to.deep.equal(['/a']);
          expect(reopened.deployments.list().map((d) => d.id), `cut at ${cut}`).to.not.include(plan.id);
          expect(reopened.root.groupVersions()).to.have.length(1);
        } finally {
          rmSync(copy, { recursive: true, force: true });
        }
      }
      const reopened = await managerOn(FileStateStore.open(dir));
      expect(reopened.root.allApps().map((a) => a.id), 'the whole record: both').to.deep.equal(['/a', '/b']);
      expect(reopened.deployments.list().map((d) => d.id)).to.include(plan.id);
    });

    it('changes nothing in memory when the write fails', async () => {
      class FailingStore extends MemoryStateStore {
        fail = false;
        override async batch(ops: readonly StoreOp[]): Promise<void> {
          if (this.fail) throw new Error('disk full');
          return super.batch(ops);
        }
      }
      const store = new FailingStore();
      const m = await managerOn(store);
      await m.groups.update(withApp(app({ id: '/a', version: undefined })), { force: false });
      const version = m.root.version;
      store.fail = true;
      let failed = false;
      await m.groups.update(withApp(app({ id: '/b', version: undefined })), { force: false }).catch(() => (failed = true));
      expect(failed).to.equal(true);
      expect(m.root.allApps().map((a) => a.id)).to.deep.equal(['/a']);
      expect(m.root.version).to.equal(version);
      expect(m.deployments.list()).to.have.length(1); // only the first one, still running
      store.fail = false;
      expect((await managerOn(store)).root.allApps().map((a) => a.id)).to.deep.equal(['/a']);
    });
  });

  it('takes a definition equal but for key order and instances as a scale: lastConfigChangeAt stays', async () => {
    const m = await managerOn(new MemoryStateStore());
    await m.groups.update(withApp(app({ id: '/a', version: undefined, env: { A: '1', B: '2' }, labels: { x: 'y' } })), { force: false });
    const first = m.root.app('/a')!;
    m.clock.advance(1000);
    // The same definition as a client sends it back: other key order, different instances.
    const reordered = JSON.parse(JSON.stringify({ ...first, instances: 5, env: { B: '2', A: '1' } })) as AppDefinition;
    const plan = await m.groups.update(withApp(reordered), { force: true });
    const scaled = m.root.app('/a')!;
    expect(plan.steps.flatMap((s) => s.actions.map((a) => a.action))).to.deep.equal(['ScaleApplication']);
    expect(scaled.versionInfo?.lastConfigChangeAt).to.equal(first.versionInfo?.lastConfigChangeAt);
    expect(scaled.versionInfo?.lastScalingAt).to.not.equal(first.versionInfo?.lastScalingAt);
    m.clock.advance(1000);
    const changedPlan = await m.groups.update(withApp({ ...scaled, cmd: 'sleep 2' }), { force: true });
    expect(changedPlan.steps.flatMap((s) => s.actions.map((a) => a.action))).to.deep.equal(['RestartApplication']);
    expect(m.root.app('/a')!.versionInfo?.lastConfigChangeAt).to.equal(m.root.app('/a')!.version);
  });
});
