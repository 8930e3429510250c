// The contract every StateStore passes: the file and memory stores in their unit tests, the
// ZooKeeper store against a real ensemble in the integration tests.
import { expect } from 'chai';
import { StateStoreError, decodeSegment, encodeSegment, type StateStore } from './state-store';

export interface StoreUnderTest {
  readonly store: StateStore;
  readonly cleanup: () => void | Promise<void>;
}

export function describeStateStoreContract(name: string, make: () => StoreUnderTest | Promise<StoreUnderTest>): void {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore;
    let cleanup: () => void | Promise<void>;
    beforeEach(async () => ({ store, cleanup } = await make()));
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

    it('applies a batch in order: a subtree deleted and written into again, a key written twice', async () => {
      await store.batch([{ put: '/apps/a', value: 1 }, { put: '/apps/a/versions/v1', value: 1 }, { put: '/apps/a/versions/v2', value: 2 }]);
      await store.batch([{ delete: '/apps/a' }, { put: '/apps/a/versions/v3', value: 3 }, { put: '/k', value: 'first' }, { put: '/k', value: 'second' }]);
      expect(await store.get('/apps/a'), 'the parent of a new key holds no document').to.equal(undefined);
      expect(await store.children('/apps/a/versions')).to.deep.equal(['v3']);
      expect(await store.get('/k')).to.equal('second');
      await store.batch([{ put: '/gone/x', value: 1 }, { delete: '/gone' }]);
      expect(await store.children('/gone')).to.deep.equal([]);
      expect(await store.children('/')).to.deep.equal(['apps', 'k']);
    });

    it('keeps the children of a key written over, and deletes nothing that is not there', async () => {
      await store.put('/apps/a/versions/v1', { v: 1 });
      await store.put('/apps/a', { id: '/a' });
      await store.put('/apps/a', { id: '/a', instances: 3 });
      expect(await store.get('/apps/a')).to.deep.equal({ id: '/a', instances: 3 });
      expect(await store.get('/apps/a/versions/v1')).to.deep.equal({ v: 1 });
      await store.delete('/never/was');
      await store.batch([]);
    });

    it('stores documents of several megabytes, and overwrites and deletes them', async () => {
      const big = { id: '/big', apps: Array.from({ length: 30_000 }, (_, i) => ({ id: `/group/app-${i}`, cmd: `sleep ${i}`, labels: { team: 'a'.repeat(40) } })) };
      expect(JSON.stringify(big).length).to.be.greaterThan(2_500_000);
      await store.batch([{ put: '/groups/root', value: big }, { put: '/groups/small', value: 1 }]);
      expect(await store.get('/groups/root')).to.deep.equal(big);
      const smaller = { ...big, apps: big.apps.slice(0, 20_000) };
      await store.put('/groups/root', smaller);
      expect(await store.get('/groups/root')).to.deep.equal(smaller);
      await store.put('/groups/root', { id: '/' });
      expect(await store.get('/groups/root')).to.deep.equal({ id: '/' });
      await store.put('/groups/root', big);
      await store.delete('/groups');
      expect(await store.get('/groups/root')).to.equal(undefined);
      expect(await store.children('/')).to.deep.equal([]);
    });

    it('applies nothing of a batch holding a bad key', async () => {
      await store.put('/a', 1);
      try {
        await store.batch([{ put: '/a', value: 2 }, { put: '/b', value: 2 }, { put: 'no-slash', value: 2 }]);
        expect.fail('accepted a bad key');
      } catch (err) {
        expect(err).to.be.instanceOf(StateStoreError);
      }
      expect([await store.get('/a'), await store.get('/b')]).to.deep.equal([1, undefined]);
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
