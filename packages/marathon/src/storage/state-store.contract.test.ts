// One suite, run against every StateStore (the ZooKeeper one joins it in the HA issue).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { FileStateStore } from './file-state-store';
import { MemoryStateStore } from './memory-state-store';
import { StateStoreError, decodeSegment, encodeSegment, type StateStore } from './state-store';

const implementations: Array<{ name: string; make: () => { store: StateStore; cleanup: () => void | Promise<void> } }> = [
  { name: 'MemoryStateStore', make: () => ({ store: new MemoryStateStore(), cleanup: () => undefined }) },
  {
    name: 'FileStateStore',
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), 'tepui-store-'));
      const store = FileStateStore.open(dir);
      return { store, cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      } };
    },
  },
];

for (const impl of implementations) {
  describe(`StateStore contract: ${impl.name}`, () => {
    let store: StateStore;
    let cleanup: () => void | Promise<void>;
    beforeEach(() => ({ store, cleanup } = impl.make()));
    afterEach(() => cleanup());

    it('stores, reads and deletes JSON documents', async () => {
      expect(await store.get('/apps/a')).to.equal(undefined);
      await store.put('/apps/a', { id: '/a', instances: 2 });
      expect(await store.get('/apps/a')).to.deep.equal({ id: '/a', instances: 2 });
      await store.delete('/apps/a');
      expect(await store.get('/apps/a')).to.equal(undefined);
    });

    it('lists children, sorted, and deletes subtrees', async () => {
      await store.put('/apps/b', 1);
      await store.put('/apps/a', 1);
      await store.put('/apps/a/versions/v1', 1);
      expect(await store.children('/apps')).to.deep.equal(['a', 'b']);
      expect(await store.children('/apps/a/versions')).to.deep.equal(['v1']);
      expect(await store.children('/nothing')).to.deep.equal([]);
      await store.delete('/apps/a');
      expect(await store.children('/apps')).to.deep.equal(['b']);
    });

    it('applies a batch of puts and deletes', async () => {
      await store.put('/x', 1);
      await store.batch([{ put: '/y', value: 2 }, { delete: '/x' }, { put: '/z/w', value: 3 }]);
      expect([await store.get('/x'), await store.get('/y'), await store.get('/z/w')]).to.deep.equal([undefined, 2, 3]);
    });

    it('rejects keys that could escape the store', async () => {
      for (const bad of ['apps', '/a/../b', '/a//b', '/a/b c']) {
        try {
          await store.put(bad, 1);
          expect.fail(`accepted '${bad}'`);
        } catch (err) {
          expect(err).to.be.instanceOf(StateStoreError);
        }
      }
    });

    it('encodes app ids (which are paths) into single segments', async () => {
      const id = '/prod/web-1.0';
      await store.put(`/apps/${encodeSegment(id)}`, { id });
      const [segment] = await store.children('/apps');
      expect(decodeSegment(segment!)).to.equal(id);
    });
  });
}

describe('FileStateStore durability', () => {
  it('replays the log a crash left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tepui-store-'));
    writeFileSync(join(dir, 'wal.log'), `${JSON.stringify([{ put: '/apps/a', value: { v: 2 } }, { put: '/apps/b', value: { v: 1 } }])}\n${JSON.stringify([{ delete: '/apps/b' }])}\n`);
    const store = FileStateStore.open(dir);
    expect(await store.get('/apps/a')).to.deep.equal({ v: 2 });
    expect(await store.get('/apps/b')).to.equal(undefined);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged batch across kill -9 (a store never closed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tepui-store-'));
    const crashed = FileStateStore.open(dir);
    await crashed.batch([{ put: '/apps/a', value: { v: 1 } }, { put: '/instances/a/i1', value: { s: 'RUNNING' } }]);
    await crashed.delete('/apps/a');
    const reopened = FileStateStore.open(dir);
    expect(await reopened.get('/apps/a')).to.equal(undefined);
    expect(await reopened.children('/instances/a')).to.deep.equal(['i1']);
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('snapshots on close and empties the log; the snapshot alone restores the tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tepui-store-'));
    const store = FileStateStore.open(dir);
    for (let i = 0; i < 100; i++) await store.put(`/instances/a/i${i}`, { n: i });
    await store.close();
    expect(readFileSync(join(dir, 'wal.log'), 'utf8')).to.equal('');
    const again = FileStateStore.open(dir);
    expect(await again.children('/instances/a')).to.have.length(100);
    expect(await again.get('/instances/a/i42')).to.deep.equal({ n: 42 });
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ignores a record torn mid-write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tepui-store-'));
    const store1 = FileStateStore.open(dir);
    await store1.put('/apps/a', { v: 1 });
    await store1.close();
    writeFileSync(join(dir, 'wal.log'), '[{"put":"/apps/a","val');
    const store2 = FileStateStore.open(dir);
    expect(await store2.get('/apps/a')).to.deep.equal({ v: 1 });
    await store2.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
