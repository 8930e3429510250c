// The StateStore contract run against the memory and file stores, and the file store's durability.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { FileStateStore } from './file-state-store';
import { MemoryStateStore } from './memory-state-store';
import { describeStateStoreContract } from './state-store.contract';
import type { StateStore } from './state-store';

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

for (const impl of implementations) describeStateStoreContract(impl.name, impl.make);

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
