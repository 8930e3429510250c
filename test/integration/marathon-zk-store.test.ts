// Marathon's ZooKeeper state store on a real 3-node ensemble: the StateStore contract the file and
// memory stores pass, documents split into chunks past the node size, and writes fenced on the
// writer's leader-latch node (a deposed leader's batch is refused whole, the new leader's stands),
// and the copy a standby keeps by watches: after it has seen another session's last write it answers
// exactly as ZooKeeper does, also across a reconnection.
import { join } from 'node:path';
import { expect } from 'chai';
import { ZkElection, ZkSession, marathonLatchCodec, parseZkUrl, type ZkCandidacyHandle } from '@tepui/coordination';
import { SystemClock, seededRandom } from '@tepui/protocol';
import { FencedWriteRefused, MemoryStateStore, StateStoreError, ZkStateCache, ZkStateStore, type StateStore, type StoreOp } from '@tepui/marathon';
import { CHUNKS_DIR, chunkNames, describeStateStoreContract, encodeManifest, splitDocument } from '@tepui/marathon/testing';
import { eventually } from '../support/eventually';
import { removeDir, tempDir } from '../support/processes';
import { ZkEnsemble } from '../support/zookeeper';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** The standby's session: long enough to ride out a ZooKeeper member's restart on a slow machine. */
const STANDBY_SESSION_MS = 60_000;

describe('Marathon state in ZooKeeper (real 3-node ensemble)', function () {
  this.timeout(120_000);
  const dir = tempDir('zk-store');
  let zk: ZkEnsemble;
  let stores = 0;

  before(async () => {
    // A standby's session must outlive a member's restart (the reconnection test): however slowly
    // a JVM starts on the machine, so sessions may be long here.
    zk = await ZkEnsemble.start(join(dir, 'zk'), { maxSessionTimeoutMs: STANDBY_SESSION_MS });
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

  // The same contract with a copy following the tree all along: every read after a write must still
  // see the write (the write's own watch events reach the copy before the write is acknowledged).
  describeStateStoreContract('ZkStateStore reading through a following standby copy', async () => {
    const base = `/marathon-${++stores}`;
    const { election, handle } = await candidate(base);
    const cache = standbyCopy(`${base}/state`, () => handle()?.session);
    cache.follow();
    return { store: new ZkStateStore({ candidacy: handle, root: `${base}/state`, cache }), cleanup: () => {
      cache.release();
      return election.close();
    } };
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

  describe('a standby’s copy of the state, kept by watches', () => {
    /**
     * A second candidate with a session of its own (candidates of one process share a session;
     * naming the servers in another order makes another one), following `<base>/state` with a copy.
     */
    const standby = async (base: string, servers = [...zk.servers.split(',')].reverse().join(',')) => {
      const election = new ZkElection(parseZkUrl(`zk://${servers}${base}`), `${base}/leader`, marathonLatchCodec, (a, b) => a === b, { sessionTimeoutMs: STANDBY_SESSION_MS, log: quiet });
      await election.contender(`127.0.0.1:${9080 + stores}`).contend();
      const cache = standbyCopy(`${base}/state`, () => election.candidacy()?.session);
      cache.follow();
      const store = new ZkStateStore({ candidacy: () => election.candidacy(), root: `${base}/state`, cache });
      return { election, cache, store, session: () => election.candidacy()!.session };
    };

    /** Writes `round` to `/marker` and waits until the standby's session reads it straight from ZooKeeper. */
    const caughtUp = async (writer: StateStore, reader: ZkSession, base: string, round: number): Promise<void> => {
      await writer.put('/marker', round);
      await eventually(async () => {
        try {
          return JSON.parse((await reader.get(`${base}/state/marker`)).data.toString()) === round;
        } catch {
          return false;
        }
      }, { timeoutMs: 20_000, intervalMs: 20, message: `the standby's session never saw round ${round}` });
    };

    it('answers every read as ZooKeeper does once it has seen the writer’s last write, mostly from memory', async () => {
      const base = `/marathon-${++stores}`;
      const leader = await candidate(base);
      const writer = new ZkStateStore({ candidacy: leader.handle, root: `${base}/state`, maxNodeBytes: 2000 });
      const model = new MemoryStateStore();
      const follower = await standby(base);
      const random = seededRandom(20261204);
      try {
        for (let round = 1; round <= 8; round++) {
          for (let b = 0; b < 6; b++) {
            const ops = randomOps(random, 1 + Math.floor(random() * 8));
            await writer.batch(ops);
            await model.batch(ops);
          }
          await model.put('/marker', round);
          await caughtUp(writer, follower.session(), base, round);
          // Odd rounds read at once (the copy still re-reading what changed), even ones once it is complete.
          if (round % 2 === 0) await follower.cache.settled();
          const missesBefore = follower.cache.stats().misses;
          expect(await treeOf(follower.store), `round ${round}`).to.deep.equal(await treeOf(model));
          if (round % 2 === 0) expect(follower.cache.stats().misses, `round ${round}: reads that went to ZooKeeper`).to.equal(missesBefore);
        }
        expect(follower.cache.stats().hits).to.be.greaterThan(500);
      } finally {
        follower.cache.release();
        await follower.election.close();
        await leader.election.close();
      }
    });

    it('drops the copy when its session reconnects, reads it again and stays right', async () => {
      const base = `/marathon-${++stores}`;
      const leader = await candidate(base);
      const writer = new ZkStateStore({ candidacy: leader.handle, root: `${base}/state`, maxNodeBytes: 2000 });
      const model = new MemoryStateStore();
      // The standby talks to member 3 only, so that stopping it is sure to cut the standby off.
      const follower = await standby(base, `127.0.0.1:${zk.clientPort(3)}`);
      const random = seededRandom(7);
      try {
        const write = async (n: number) => {
          for (let b = 0; b < n; b++) {
            const ops = randomOps(random, 6);
            await writer.batch(ops);
            await model.batch(ops);
          }
        };
        await write(10);
        await model.put('/marker', 1);
        await caughtUp(writer, follower.session(), base, 1);
        await follower.cache.settled();
        const connections = follower.session().connections();
        await zk.kill(3);
        await write(10); // changes the standby cannot hear of while it is cut off
        await zk.restart(3);
        await eventually(() => follower.session().isConnected() && follower.session().connections() > connections, { timeoutMs: 60_000, intervalMs: 100, message: 'the standby never reconnected' });
        await write(5);
        await model.put('/marker', 2);
        await caughtUp(writer, follower.session(), base, 2);
        expect(await treeOf(follower.store)).to.deep.equal(await treeOf(model));
        // Read again in full: a complete read of the tree needs ZooKeeper no more.
        await eventually(async () => {
          await follower.cache.settled();
          return follower.cache.stats().nodes > 20;
        }, { timeoutMs: 20_000, intervalMs: 100, message: 'the copy was not read again' });
        const missesBefore = follower.cache.stats().misses;
        expect(await treeOf(follower.store)).to.deep.equal(await treeOf(model));
        expect(follower.cache.stats().misses).to.equal(missesBefore);
      } finally {
        follower.cache.release();
        await follower.election.close();
        await leader.election.close();
        await zk.restart(3);
        await zk.waitServing();
      }
    });
  });
});

function standbyCopy(root: string, session: () => ZkSession | undefined): ZkStateCache {
  return new ZkStateCache({ session, root, follows: () => true, clock: new SystemClock(), log: quiet });
}

/** Every key with its document, read the way a new leader reads: children, then each document. */
async function treeOf(store: StateStore, prefix = '/'): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of await store.children(prefix)) {
    const key = prefix === '/' ? `/${name}` : `${prefix}/${name}`;
    const doc = await store.get(key);
    if (doc !== undefined) out[key] = doc;
    Object.assign(out, await treeOf(store, key));
  }
  return out;
}

/** Puts and deletes over a small key space (apps, instances, deployments), some documents chunked. */
function randomOps(random: () => number, n: number): StoreOp[] {
  const pick = (k: number) => Math.floor(random() * k);
  return Array.from({ length: n }, (): StoreOp => {
    const key = [`/apps/a${pick(6)}/current`, `/instances/a${pick(6)}/i${pick(12)}`, `/deployments/d${pick(4)}`][pick(3)]!;
    if (random() < 0.25) return { delete: random() < 0.2 ? key.slice(0, key.lastIndexOf('/')) : key };
    return { put: key, value: { n: pick(1000), pad: 'x'.repeat(random() < 0.1 ? 5000 : pick(200)) } };
  });
}
