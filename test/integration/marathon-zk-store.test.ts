// Marathon's ZooKeeper state store on a real 3-node ensemble: the StateStore contract the file and
// memory stores pass, documents split into chunks past the node size, and writes fenced on the
// writer's leader-latch node (a deposed leader's batch is refused whole, the new leader's stands).
import { join } from 'node:path';
import { expect } from 'chai';
import { ZkElection, ZkSession, marathonLatchCodec, parseZkUrl, type ZkCandidacyHandle } from '@tepui/coordination';
import { FencedWriteRefused, StateStoreError, ZkStateStore } from '@tepui/marathon';
import { CHUNKS_DIR, chunkNames, describeStateStoreContract, encodeManifest, splitDocument } from '@tepui/marathon/testing';
import { removeDir, tempDir } from '../support/processes';
import { ZkEnsemble } from '../support/zookeeper';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('Marathon state in ZooKeeper (real 3-node ensemble)', function () {
  this.timeout(120_000);
  const dir = tempDir('zk-store');
  let zk: ZkEnsemble;
  let stores = 0;

  before(async () => {
    zk = await ZkEnsemble.start(join(dir, 'zk'));
  });
  after(async () => {
    await zk?.stop();
    removeDir(dir);
  });

  /** A candidate in `/<base>/leader` whose latch node fences a store at `/<base>/state`. */
  const candidate = async (base: string): Promise<{ election: ZkElection<string>; handle: () => ZkCandidacyHandle | undefined }> => {
    const election = new ZkElection(parseZkUrl(zk.url(base)), `${base}/leader`, marathonLatchCodec, (a, b) => a === b, { sessionTimeoutMs: 4000, log: quiet });
    await election.contender(`127.0.0.1:${8080 + stores}`).contend();
    return { election, handle: () => election.candidacy() };
  };

  describeStateStoreContract('ZkStateStore', async () => {
    const base = `/marathon-${++stores}`;
    const { election, handle } = await candidate(base);
    return { store: new ZkStateStore({ candidacy: handle, root: `${base}/state` }), cleanup: () => election.close() };
  });

  it('splits documents past --zk_max_node_size into chunks no reader sees, and leaves none behind', async () => {
    const base = `/marathon-${++stores}`;
    const { election, handle } = await candidate(base);
    const store = new ZkStateStore({ candidacy: handle, root: `${base}/state`, maxNodeBytes: 1000 });
    const session = await ZkSession.connect(parseZkUrl(zk.url('/')), { sessionTimeoutMs: 4000, log: quiet });
    try {
      const doc = { id: '/', apps: Array.from({ length: 200 }, (_, i) => ({ id: `/a${i}` })) };
      const size = JSON.stringify(doc).length;
      await store.batch([{ put: '/group/root', value: doc }, { put: '/group/other', value: { n: 1 } }]);
      const chunks = await session.children(`${base}/state/#chunks`);
      expect(chunks).to.have.length(Math.ceil(size / 1000));
      expect(await store.children('/')).to.deep.equal(['group']);
      expect(await store.get('/group/root')).to.deep.equal(doc);
      // Several small documents that together exceed the limit still go in one transaction.
      await store.batch(Array.from({ length: 10 }, (_, i) => ({ put: `/many/d${i}`, value: 'x'.repeat(300) })));
      expect(await store.children('/many')).to.have.length(10);
      await store.put('/group/root', { id: '/' });
      await store.delete('/many');
      expect(await session.children(`${base}/state/#chunks`), 'chunks of overwritten and deleted documents').to.deep.equal([]);
      // A new leader's store reads what an earlier one chunked.
      const reader = new ZkStateStore({ candidacy: handle, root: `${base}/state`, maxNodeBytes: 1000 });
      await store.put('/group/root', doc);
      expect(await reader.get('/group/root')).to.deep.equal(doc);
    } finally {
      session.close();
      await election.close();
    }
  });

  it('applies a batch too large for one transaction through a journal, and a subtree delete piece by piece', async () => {
    const base = `/marathon-${++stores}`;
    const { election, handle } = await candidate(base);
    const store = new ZkStateStore({ candidacy: handle, root: `${base}/state`, maxNodeBytes: 2000 });
    const session = handle()!.session;
    try {
      const ops = Array.from({ length: 120 }, (_, i) => ({ put: `/instances/web/i${String(i).padStart(3, '0')}`, value: { n: i, pad: 'x'.repeat(60) } }));
      await store.batch([...ops, { put: '/deployments/d1', value: { step: 1 } }]);
      expect(await store.children('/instances/web')).to.have.length(120);
      expect(await store.get('/instances/web/i119')).to.deep.equal({ n: 119, pad: 'x'.repeat(60) });
      expect(await session.exists(`${base}/state/#journal`)).to.equal(undefined);
      await store.batch([{ delete: '/instances' }, { put: '/deployments/d1', value: { step: 2 } }]);
      expect(await store.children('/')).to.deep.equal(['deployments']);
      expect(await store.get('/deployments/d1')).to.deep.equal({ step: 2 });
      expect(await session.children(`${base}/state/${CHUNKS_DIR}`)).to.deep.equal([]);
    } finally {
      await election.close();
    }
  });

  it('applies a journal a crashed leader left half done before its successor reads anything', async () => {
    const base = `/marathon-${++stores}`;
    const { election, handle } = await candidate(base);
    const session = handle()!.session;
    try {
      const store = new ZkStateStore({ candidacy: handle, root: `${base}/state` });
      await store.batch([{ put: '/apps/a', value: { v: 1 } }, { put: '/apps/b', value: { v: 1 } }]);
      // What a leader that died between its journal and the last of its transactions leaves behind.
      const ops = [{ put: '/apps/a', value: { v: 2 } }, { delete: '/apps/b' }, { put: '/apps/c', value: { v: 2 } }];
      const { manifest, chunks } = splitDocument(Buffer.from(JSON.stringify(ops)), 40);
      await session.ensurePath(`${base}/state/${CHUNKS_DIR}`);
      for (const [i, name] of chunkNames(manifest).entries()) await session.create(`${base}/state/${CHUNKS_DIR}/${name}`, chunks[i]!, {});
      await session.create(`${base}/state/#journal`, encodeManifest(manifest), {});
      await session.set(`${base}/state/apps/a`, Buffer.from(JSON.stringify({ v: 2 })), -1);
      const successor = new ZkStateStore({ candidacy: handle, root: `${base}/state` });
      expect(await successor.children('/apps')).to.deep.equal(['a', 'c']);
      expect([await successor.get('/apps/a'), await successor.get('/apps/b'), await successor.get('/apps/c')]).to.deep.equal([{ v: 2 }, undefined, { v: 2 }]);
      expect(await session.exists(`${base}/state/#journal`)).to.equal(undefined);
      expect(await session.children(`${base}/state/${CHUNKS_DIR}`)).to.deep.equal([]);
    } finally {
      await election.close();
    }
  });

  it('refuses the whole batch of a deposed leader; the new leader’s state stands', async () => {
    const base = `/marathon-${++stores}`;
    const first = await candidate(base);
    const second = await candidate(base);
    const oldLeader = new ZkStateStore({ candidacy: first.handle, root: `${base}/state` });
    const newLeader = new ZkStateStore({ candidacy: second.handle, root: `${base}/state` });
    try {
      await oldLeader.put('/apps/web', { instances: 1 });
      // The old leader's latch node goes (its session expired, or it abdicated) without its knowing.
      const session = await ZkSession.connect(parseZkUrl(zk.url('/')), { sessionTimeoutMs: 4000, log: quiet });
      await session.delete(first.handle()!.node);
      session.close();
      await newLeader.put('/apps/web', { instances: 5 });
      let refused: unknown;
      try {
        await oldLeader.batch([{ put: '/apps/web', value: { instances: 1 } }, { put: '/apps/stale', value: {} }]);
      } catch (err) {
        refused = err;
      }
      expect(refused).to.be.instanceOf(FencedWriteRefused);
      expect((refused as Error).message).to.match(/no longer leads .*latch node .* is gone/);
      expect(await newLeader.get('/apps/web')).to.deep.equal({ instances: 5 });
      expect(await newLeader.get('/apps/stale')).to.equal(undefined);
    } finally {
      await first.election.close();
      await second.election.close();
    }
    // And with no candidacy at all, nothing is written.
    let closed: unknown;
    await newLeader.put('/x', 1).catch((err: unknown) => (closed = err));
    expect(closed).to.be.instanceOf(FencedWriteRefused);
  });

  it('names the key of a znode holding garbage', async () => {
    const base = `/marathon-${++stores}`;
    const { election, handle } = await candidate(base);
    try {
      await handle()!.session.ensurePath(`${base}/state/framework`);
      await handle()!.session.create(`${base}/state/framework/id`, Buffer.from('{not json'), {});
      const store = new ZkStateStore({ candidacy: handle, root: `${base}/state` });
      let error: unknown;
      await store.get('/framework/id').catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(StateStoreError);
      expect((error as Error).message).to.include(`'/framework/id'`).and.include(`${base}/state/framework/id`);
    } finally {
      await election.close();
    }
  });
});
